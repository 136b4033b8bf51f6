// Exclusive prefix sum of 32-bit counts on the device (no CUB here): each block scans 1024
// values with warp shuffles, the block totals are scanned recursively, then added back.
#pragma once
#include "../device/cuda_common.cuh"

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

// Words of scratch that exclusive_scan_u32 needs for n values: block totals and their scan, per level.
inline size_t exclusive_scan_scratch(size_t n) {
  const size_t blocks = (n + scan_detail::BLOCK - 1) / scan_detail::BLOCK;
  return blocks + (blocks > 1 ? blocks + exclusive_scan_scratch(blocks) : 0);
}

// tmp: exclusive_scan_scratch(n) words of device memory, so repeated scans allocate nothing.
inline void exclusive_scan_u32(const uint32_t* in, uint32_t* out, size_t n, uint32_t* tmp) {
  using namespace scan_detail;
  if (n == 0) return;
  const size_t blocks = (n + BLOCK - 1) / BLOCK;
  uint32_t* totals = tmp;
  block_scan_kernel<<<(unsigned)blocks, BLOCK>>>(in, out, totals, n);
  CUDA_CHECK_LAUNCH();
  if (blocks > 1) {
    uint32_t* offsets = tmp + blocks;
    exclusive_scan_u32(totals, offsets, blocks, tmp + 2 * blocks);
    add_block_offsets_kernel<<<(unsigned)blocks, BLOCK>>>(out, offsets, n);
    CUDA_CHECK_LAUNCH();
  }
}
