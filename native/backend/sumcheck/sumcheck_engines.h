// The backends' sumcheck engines (the interface is the protocol's: proto/sumcheck_engine.h).
#pragma once
#include "../../proto/sumcheck_engine.h"
#include "../../proto/tensor_store.h"

namespace cpu {
std::unique_ptr<SumcheckEngine> make_sumcheck_engine(std::vector<std::vector<Fr>>& tensors, const SumcheckTerms& terms);
std::unique_ptr<SumcheckEngine> make_split_eq_engine(const std::vector<Fr>& point, std::vector<std::vector<Fr>> others,
                                                     const SumcheckTerms& terms);
}
namespace cuda {
std::unique_ptr<SumcheckEngine> make_sumcheck_engine(std::vector<std::vector<Fr>>& tensors, const SumcheckTerms& terms,
                                                     size_t device_budget);
std::unique_ptr<TensorStore> make_tensor_store();
size_t free_device_bytes();
}  // namespace cuda
