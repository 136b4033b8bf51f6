#include "../../platform/cpu_parallel.h"
#include "elementwise_ops.cuh"

namespace cpu {
void fr_elementwise(FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n) {
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) out[i] = fr_apply(op, x[i], y ? y[i] : Fr::zero());
  });
}
void g1_elementwise(G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out, size_t n) {
  static const ScalarRaw zero_k{{0, 0, 0, 0}};
  cpu_parallel_chunks(
      n,
      [&](size_t lo, size_t hi, size_t) {
        for (size_t i = lo; i < hi; i++)
          out[i] = g1_apply(op, p[i], q ? q[i] : G1Affine::identity(), k ? k[i] : zero_k);
      },
      16);
}
}  // namespace cpu
