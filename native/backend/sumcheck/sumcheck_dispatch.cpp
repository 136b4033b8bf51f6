#include <stdexcept>
#include "sumcheck_engines.h"
#include "sumcheck_pair_values.cuh"
#include "split_eq.cuh"

std::unique_ptr<SumcheckEngine> make_sumcheck_engine(const ProverConfig& cfg, std::vector<std::vector<Fr>>& tensors,
                                                     const SumcheckTerms& terms) {
  if (tensors.empty() || tensors.size() > SUMCHECK_MAX_TENSORS) throw std::logic_error("sumcheck: 1 to 8 tensors");
  const size_t n = tensors[0].size();
  for (auto& t : tensors)
    if (t.size() != n) throw std::logic_error("sumcheck: tensors of different lengths");
  if (n == 0 || (n & (n - 1))) throw std::logic_error("sumcheck: tensor length must be a power of two");
  if (cfg.backend == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::make_sumcheck_engine(tensors, terms, cfg.device_budget));
  return cpu::make_sumcheck_engine(tensors, terms);
}

bool split_eq_supported(const SumcheckTerms& terms) { return split_eq_shape(terms) != SplitEqShape::None; }

std::unique_ptr<SumcheckEngine> make_split_eq_sumcheck_engine(const std::vector<Fr>& point,
                                                              std::vector<std::vector<Fr>> others,
                                                              const SumcheckTerms& terms) {
  if (others.size() != 2) throw std::logic_error("split-eq sumcheck: two tensors beside eq");
  for (auto& t : others)
    if (t.size() != (size_t(1) << point.size())) throw std::logic_error("sumcheck: tensors of different lengths");
  return cpu::make_split_eq_engine(point, std::move(others), terms);
}

std::unique_ptr<TensorStore> make_tensor_store(const ProverConfig& cfg, size_t working_bytes) {
  if (cfg.backend == Backend::Cuda) {
    // keep a fifth of the free memory for scratch (folds, round sums) beside the tensors
    ZKLLM_ON_CUDA(const size_t budget = cfg.device_budget ? cfg.device_budget : cuda::free_device_bytes() / 10 * 8;
                  if (working_bytes <= budget) return cuda::make_tensor_store());
  }
  return std::make_unique<HostTensorStore>(cfg);
}
