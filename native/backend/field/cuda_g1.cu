#include "../device/cuda_common.cuh"
#include "elementwise_ops.cuh"

namespace {
__global__ void g1_elementwise_kernel(G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out,
                                      size_t n) {
  size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= n) return;
  const ScalarRaw zero_k{{0, 0, 0, 0}};
  out[i] = g1_apply(op, p[i], q ? q[i] : G1Affine::identity(), k ? k[i] : zero_k);
}
}  // namespace

namespace cuda {
void g1_elementwise(G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out, size_t n) {
  cuda_use_device();
  if (n == 0) return;
  DeviceBuffer<G1Affine> dp(p, n), dout(n);
  DeviceBuffer<G1Affine> dq = q ? DeviceBuffer<G1Affine>(q, n) : DeviceBuffer<G1Affine>();
  DeviceBuffer<ScalarRaw> dk = k ? DeviceBuffer<ScalarRaw>(k, n) : DeviceBuffer<ScalarRaw>();
  g1_elementwise_kernel<<<blocks_for(n, 64), 64>>>(op, dp.get(), dq.get(), dk.get(), dout.get(), n);
  CUDA_CHECK_LAUNCH();
  dout.download(out, n);
}
}  // namespace cuda
