#include "commit_kernels.h"

void derive_generators(Backend b, const uint8_t digest[32], uint8_t kind, uint64_t first, size_t count, G1Affine* out) {
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::derive_generators(digest, kind, first, count, out));
  cpu::derive_generators(digest, kind, first, count, out);
}

void commit_rows(Backend b, const PedersenGenerators& gens, const MsmRowsScalars& s, size_t n, G1Jacobian* out,
                 MsmTiming* timing) {
  // Wide scalars on the GPU go through the generators' window table: one bucket pass per row
  // instead of ~16 windows each followed by doublings on the host.
  if (b == Backend::Cuda && s.raw && s.bits > 32) ZKLLM_ON_CUDA(return cuda::commit_rows_fixed_base(gens, s.raw, n, out, timing));
  g1_msm_rows(b, gens.g.data(), gens.g.size(), s, n, out, timing);
}
