// Without a CUDA build the GPU bodies of the commitment kernels exist only to say so
// (resolve_backend already refuses 'cuda' then; this keeps the link complete).
#ifndef ZKLLM_WITH_CUDA
#include <stdexcept>
#include "commit_backend.h"
#include "msm_rows.h"

namespace cuda {
void derive_generators(const uint8_t*, uint8_t, uint64_t, size_t, G1Affine*) {
  throw std::runtime_error("addon built without CUDA");
}
void commit_rows_fixed_base(const PedersenGenerators&, const ScalarRaw*, size_t, G1Jacobian*, MsmTiming*) {
  throw std::runtime_error("addon built without CUDA");
}
void g1_msm_rows(const G1Affine*, size_t, const MsmRowsScalars&, size_t, G1Jacobian*, MsmTiming*) {
  throw std::runtime_error("addon built without CUDA");
}
}  // namespace cuda
#endif
