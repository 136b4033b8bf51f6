#include "cuda_field_device.cuh"
#include "elementwise_ops.cuh"

namespace {
__global__ void fr_elementwise_kernel(FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
    out[i] = fr_apply(op, x[i], y ? y[i] : Fr::zero());
}

constexpr unsigned CHUNK = 16;  // elements per thread in one level of the batch inversion

// Chunk c holds elements c, c + m, c + 2m, ... so that neighbouring threads touch neighbouring
// elements. Writes exclusive prefix products and the chunk's total product.
__global__ void chunk_prefix_kernel(const Fr* x, Fr* prefix, Fr* totals, size_t n, size_t m) {
  size_t c = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (c >= m) return;
  Fr acc = Fr::one();
  for (size_t i = c; i < n; i += m) {
    prefix[i] = acc;
    acc = acc * x[i];
  }
  totals[c] = acc;
}

__global__ void chunk_backward_kernel(Fr* x, const Fr* prefix, const Fr* totals_inv, size_t n, size_t m) {
  size_t c = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (c >= m) return;
  Fr inv = totals_inv[c];
  const size_t count = (n - 1 - c) / m + 1;
  for (size_t j = count; j-- > 0;) {
    const size_t i = c + j * m;
    Fr xi = x[i];
    x[i] = inv * prefix[i];
    inv = inv * xi;
  }
}

__global__ void fermat_inverse_kernel(Fr* x, size_t n) {
  size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i < n) x[i] = x[i].inv();
}

}  // namespace

// Montgomery's trick, applied recursively to the chunk totals: about three products per element.
void batch_inverse_device(Fr* x, size_t n) {
  if (n == 0) return;
  if (n <= 8192) {
    fermat_inverse_kernel<<<blocks_for(n, 256), 256>>>(x, n);
    CUDA_CHECK_LAUNCH();
    return;
  }
  size_t m = (n + CHUNK - 1) / CHUNK;
  DeviceBuffer<Fr> prefix(n), totals(m);
  chunk_prefix_kernel<<<blocks_for(m, 256), 256>>>(x, prefix.get(), totals.get(), n, m);
  CUDA_CHECK_LAUNCH();
  batch_inverse_device(totals.get(), m);
  chunk_backward_kernel<<<blocks_for(m, 256), 256>>>(x, prefix.get(), totals.get(), n, m);
  CUDA_CHECK_LAUNCH();
}

namespace cuda {
void fr_elementwise(FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n) {
  cuda_use_device();
  if (n == 0) return;
  DeviceBuffer<Fr> dx(x, n), dout(n);
  DeviceBuffer<Fr> dy = y ? DeviceBuffer<Fr>(y, n) : DeviceBuffer<Fr>();
  fr_elementwise_kernel<<<blocks_for(n, 256), 256>>>(op, dx.get(), dy.get(), dout.get(), n);
  CUDA_CHECK_LAUNCH();
  dout.download(out, n);
}

void fr_batch_inverse(Fr* xs, size_t n) {
  cuda_use_device();
  DeviceBuffer<Fr> d(xs, n);
  batch_inverse_device(d.get(), n);
  d.download(xs, n);
}
}  // namespace cuda
