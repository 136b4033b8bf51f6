// Exclusive prefix sum of 32-bit counts on the device (no CUB here): each block scans 1024
// values with warp shuffles, the block totals are scanned recursively, then added back.
#pragma once
#include "cuda_common.cuh"

namespace scan_detail {
constexpr unsigned BLOCK = 1024;

__global__ void block_scan_kernel(const uint32_t* in, uint32_t* out, uint32_t* block_totals, size_t n) {
  __shared__ uint32_t warp_totals[32];
  const size_t i = blockIdx.x * (size_t)BLOCK + threadIdx.x;
  const unsigned lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  uint32_t v = i < n ? in[i] : 0, incl = v;
#pragma unroll
  for (int d = 1; d < 32; d <<= 1) {
    uint32_t o = __shfl_up_sync(0xffffffffu, incl, d);
    if (lane >= (unsigned)d) incl += o;
  }
  if (lane == 31) warp_totals[warp] = incl;
  __syncthreads();
  if (warp == 0) {
    uint32_t t = warp_totals[lane], ti = t;
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
      uint32_t o = __shfl_up_sync(0xffffffffu, ti, d);
      if (lane >= (unsigned)d) ti += o;
    }
    warp_totals[lane] = ti - t;  // exclusive over warps
    if (lane == 31) block_totals[blockIdx.x] = ti;
  }
  __syncthreads();
  if (i < n) out[i] = incl - v + warp_totals[warp];
}

__global__ void add_block_offsets_kernel(uint32_t* out, const uint32_t* offsets, size_t n) {
  const size_t i = blockIdx.x * (size_t)BLOCK + threadIdx.x;
  if (i < n) out[i] += offsets[blockIdx.x];
}
}  // namespace scan_detail

inline void exclusive_scan_u32(const uint32_t* in, uint32_t* out, size_t n) {
  using namespace scan_detail;
  if (n == 0) return;
  const size_t blocks = (n + BLOCK - 1) / BLOCK;
  DeviceBuffer<uint32_t> totals(blocks);
  block_scan_kernel<<<(unsigned)blocks, BLOCK>>>(in, out, totals.get(), n);
  CUDA_CHECK_LAUNCH();
  if (blocks > 1) {
    DeviceBuffer<uint32_t> offsets(blocks);
    exclusive_scan_u32(totals.get(), offsets.get(), blocks);
    add_block_offsets_kernel<<<(unsigned)blocks, BLOCK>>>(out, offsets.get(), n);
    CUDA_CHECK_LAUNCH();
  }
}
