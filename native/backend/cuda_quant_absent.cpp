// Without a CUDA build the GPU forwards exist only to say so (resolve_backend already refuses
// 'cuda' then; this keeps the link complete).
#ifndef ZKLLM_WITH_CUDA
#include <stdexcept>
#include "quant_backend.h"

namespace cuda {
void llama_forward(const quant::ModelHost&, const quant::QuantWeights*, const quant::ForwardTables*, const quant::ForwardRequest&,
                   quant::ForwardResult&, std::vector<float>*, const std::vector<float>*, std::unique_ptr<quant::BackendCache>&) {
  throw std::runtime_error("addon built without CUDA");
}
void softmax_rows(const quant::SoftmaxParams&, const int64_t*, int, int, bool, int64_t*, int64_t*, quant::AttnStats&) {
  throw std::runtime_error("addon built without CUDA");
}
}  // namespace cuda
#endif
