#include <algorithm>
#include "../backend.h"
#include "cuda_common.cuh"

namespace {
constexpr int CHAIN = 1024;

// One dependent chain of CHAIN products per thread, as the anchor's measurement does.
__global__ void fr_mul_chain_kernel(Fr* out, size_t threads) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= threads) return;
  Fr x = Fr::from_u64(i + 7), y = Fr::from_u64(0x9e3779b97f4a7c15ULL ^ i);
  for (int k = 0; k < CHAIN; k++) x = x * y;
  out[i] = x;
}

__global__ void copy_kernel(const uint4* __restrict__ src, uint4* __restrict__ dst, size_t n) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
    dst[i] = src[i];
}

template <class F>
double median_ms(int reps, F&& launch) {
  CudaEvent a, b;
  std::vector<double> t;
  launch();  // warm-up
  CUDA_CHECK(cudaDeviceSynchronize());
  for (int r = 0; r < reps; r++) {
    a.record();
    launch();
    b.record();
    t.push_back(b.ms_since(a));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}
}  // namespace

namespace cuda {
Calibration calibrate() {
  cuda_use_device();
  cudaDeviceProp prop;
  CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
  const size_t threads = size_t(prop.multiProcessorCount) * 4096;  // 540,672 on an H100 SXM (132 SMs)
  DeviceBuffer<Fr> out(threads);
  double mul_ms = median_ms(5, [&] {
    fr_mul_chain_kernel<<<blocks_for(threads, 256), 256>>>(out.get(), threads);
    CUDA_CHECK_LAUNCH();
  });

  const size_t bytes = size_t(1) << 30, n = bytes / sizeof(uint4);
  DeviceBuffer<uint4> src(n), dst(n);
  CUDA_CHECK(cudaMemset(src.get(), 1, bytes));
  const unsigned grid = prop.multiProcessorCount * 8;
  double copy_ms = median_ms(10, [&] {
    copy_kernel<<<grid, 512>>>(src.get(), dst.get(), n);
    CUDA_CHECK_LAUNCH();
  });

  Calibration c;
  c.fr_mul_per_s = double(threads) * CHAIN / (mul_ms * 1e-3);
  c.copy_bytes_per_s = 2.0 * bytes / (copy_ms * 1e-3);
  c.method = std::string("cuda ") + prop.name + ": " + std::to_string(threads) +
             " threads x one dependent chain of 1024 Fr products (CUDA events, median of 5 after warm-up); "
             "device-to-device copy kernel of 1 GiB with 16-byte accesses, bytes read+written (median of 10)";
  return c;
}
}  // namespace cuda
