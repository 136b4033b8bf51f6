#include <algorithm>
#include "field_kernels.h"

void fr_batch_inverse(Backend b, Fr* xs, size_t n, size_t device_budget) {
  if (b != Backend::Cuda) return cpu::fr_batch_inverse(xs, n);
  // three device copies of a piece (values, prefixes, output) must fit the budget
  const size_t piece = device_budget ? std::max<size_t>(device_budget / 96, 1) : n;
  for (size_t lo = 0; lo < n; lo += piece) ZKLLM_ON_CUDA(cuda::fr_batch_inverse(xs + lo, std::min(piece, n - lo)));
}

void fr_elementwise(Backend b, FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n) {
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::fr_elementwise(op, x, y, out, n));
  cpu::fr_elementwise(op, x, y, out, n);
}

void g1_elementwise(Backend b, G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out,
                    size_t n) {
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::g1_elementwise(op, p, q, k, out, n));
  cpu::g1_elementwise(op, p, q, k, out, n);
}
