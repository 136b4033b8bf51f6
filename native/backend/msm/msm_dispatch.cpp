#include "msm_rows.h"

G1Jacobian g1_msm(Backend b, const G1Affine* p, const ScalarRaw* s, size_t n, MsmTiming* t) {
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::g1_msm(p, s, n, t));
  return cpu::g1_msm(p, s, n, t);
}

void g1_msm_rows(Backend b, const G1Affine* points, size_t cols, const MsmRowsScalars& s, size_t n, G1Jacobian* out,
                 MsmTiming* timing) {
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::g1_msm_rows(points, cols, s, n, out, timing));
  cpu::g1_msm_rows(points, cols, s, n, out, timing);
}
