#include "../../commit/hash_to_g1.cuh"
#include "commit_kernels.h"
#include "../device/cuda_common.cuh"

namespace {
struct LabelDigest {
  uint8_t b[32];
};

// One thread per generator; the counter loop diverges little (a candidate is accepted with
// probability 1/2), and each thread normalises its own point.
__global__ void derive_generators_kernel(LabelDigest digest, uint8_t kind, uint64_t first, size_t count, G1Affine* out) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= count) return;
  out[i] = hash_to_g1(digest.b, kind, first + i).to_affine();
}
}  // namespace

namespace cuda {

void derive_generators(const uint8_t digest[32], uint8_t kind, uint64_t first, size_t count, G1Affine* out) {
  cuda_use_device();
  if (count == 0) return;
  LabelDigest d;
  for (int i = 0; i < 32; i++) d.b[i] = digest[i];
  DeviceBuffer<G1Affine> d_out(count);
  derive_generators_kernel<<<blocks_for(count, 128), 128>>>(d, kind, first, count, d_out.get());
  CUDA_CHECK_LAUNCH();
  d_out.download(out, count);
}

}  // namespace cuda
