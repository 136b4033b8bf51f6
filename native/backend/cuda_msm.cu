// Pippenger MSM on the GPU. Per window w and bucket d (1 <= d < 2^c):
//   1. digits: d_{w,i} for every scalar and window;
//   2. counting sort of point indices by (w, d): histogram with atomics, exclusive scan, scatter;
//   3. bucket sums: one thread per (w, d) adds its points (mixed addition);
//   4. per window Σ d·S_d: buckets split into segments, each segment gives its running-sum total
//      plus (first bucket − 1)·(segment sum), and the segments are added pairwise;
//   5. the host combines the windows with c doublings each.
// Addition order inside a bucket depends on the scatter, but the group sum does not, and the
// result is returned in affine form, so it is the same bytes as the CPU's.
#include <chrono>
#include "../curve/msm_windows.h"
#include "cuda_common.cuh"
#include "cuda_scan.cuh"

namespace {

constexpr unsigned SEGMENT = 64;  // buckets per thread in the running-sum reduction

__global__ void digits_kernel(const ScalarRaw* scalars, uint32_t* digits, uint32_t* counts, size_t n, int c,
                              int windows) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= n) return;
  const ScalarRaw s = scalars[i];
  const size_t nb = size_t(1) << c;
  for (int w = 0; w < windows; w++) {
    uint32_t d = scalar_window(s, w * c, c);
    digits[w * n + i] = d;
    if (d) atomicAdd(&counts[w * nb + d], 1u);
  }
}

__global__ void scatter_kernel(const uint32_t* digits, uint32_t* cursor, uint32_t* sorted, size_t n, int c,
                               int windows) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= n) return;
  const size_t nb = size_t(1) << c;
  for (int w = 0; w < windows; w++) {
    uint32_t d = digits[w * n + i];
    if (d) sorted[atomicAdd(&cursor[w * nb + d], 1u)] = (uint32_t)i;
  }
}

__global__ void bucket_sum_kernel(const G1Affine* points, const uint32_t* sorted, const uint32_t* offsets,
                                  const uint32_t* counts, G1Jacobian* buckets, size_t total_buckets) {
  const size_t b = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (b >= total_buckets) return;
  G1Jacobian acc = G1Jacobian::identity();
  const uint32_t start = offsets[b], len = counts[b];
  for (uint32_t j = 0; j < len; j++) acc = acc.add_mixed(points[sorted[start + j]]);
  buckets[b] = acc;
}

// Segment t of window w covers buckets [lo, lo + SEGMENT). Its share of Σ d·S_d is
// Σ (d − lo + 1)·S_d (the running sum) + (lo − 1)·Σ S_d.
__global__ void segment_reduce_kernel(const G1Jacobian* buckets, G1Jacobian* segments, int c, size_t segs_per_window,
                                      size_t total_segments) {
  const size_t g = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (g >= total_segments) return;
  const size_t w = g / segs_per_window, t = g % segs_per_window;
  const size_t nb = size_t(1) << c;
  const size_t lo = t * SEGMENT, hi = lo + SEGMENT < nb ? lo + SEGMENT : nb;
  G1Jacobian running = G1Jacobian::identity(), total = G1Jacobian::identity();
  for (size_t d = hi; d-- > lo;) {
    if (d == 0) break;  // bucket 0 collects zero digits and is never filled
    running = running.add(buckets[w * nb + d]);
    total = total.add(running);
  }
  if (lo > 1) {
    // (lo − 1)·running by double-and-add over at most 16 bits
    G1Jacobian acc = G1Jacobian::identity();
    const uint64_t k = lo - 1;
    for (int bit = 63 - __clzll((long long)k); bit >= 0; bit--) {
      acc = acc.dbl();
      if ((k >> bit) & 1) acc = acc.add(running);
    }
    total = total.add(acc);
  }
  segments[g] = total;
}

// segments[w·stride + j] += segments[w·stride + j + half] for j < half (tail element carried).
__global__ void pairwise_sum_kernel(G1Jacobian* segs, size_t stride, size_t len, int windows) {
  const size_t half = len / 2;
  const size_t g = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (g >= half * windows) return;
  const size_t w = g / half, j = g % half;
  G1Jacobian* base = segs + w * stride;
  base[j] = base[j].add(base[j + (len - half)]);
}

}  // namespace

namespace cuda {

G1Jacobian g1_msm(const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing) {
  cuda_use_device();
  auto t0 = std::chrono::steady_clock::now();
  if (n == 0) return G1Jacobian::identity();
  if (n > 0xffffffffu) throw std::invalid_argument("MSM size above 2^32 points is not supported");
  const int c = msm_window_bits(n);
  const int windows = (SCALAR_BITS + c - 1) / c;
  const size_t nb = size_t(1) << c, total_buckets = nb * windows;

  DeviceBuffer<G1Affine> d_points(points, n);
  DeviceBuffer<ScalarRaw> d_scalars(scalars, n);
  CudaEvent start, stop;
  start.record();

  DeviceBuffer<uint32_t> digits(n * windows), counts(total_buckets), offsets(total_buckets), sorted(n * windows);
  CUDA_CHECK(cudaMemset(counts.get(), 0, total_buckets * sizeof(uint32_t)));
  digits_kernel<<<blocks_for(n, 256), 256>>>(d_scalars.get(), digits.get(), counts.get(), n, c, windows);
  CUDA_CHECK_LAUNCH();
  exclusive_scan_u32(counts.get(), offsets.get(), total_buckets);
  {
    DeviceBuffer<uint32_t> cursor(total_buckets);
    CUDA_CHECK(cudaMemcpy(cursor.get(), offsets.get(), total_buckets * sizeof(uint32_t), cudaMemcpyDeviceToDevice));
    scatter_kernel<<<blocks_for(n, 256), 256>>>(digits.get(), cursor.get(), sorted.get(), n, c, windows);
    CUDA_CHECK_LAUNCH();
  }
  DeviceBuffer<G1Jacobian> buckets(total_buckets);
  bucket_sum_kernel<<<blocks_for(total_buckets, 128), 128>>>(d_points.get(), sorted.get(), offsets.get(), counts.get(),
                                                             buckets.get(), total_buckets);
  CUDA_CHECK_LAUNCH();

  const size_t segs = (nb + SEGMENT - 1) / SEGMENT, total_segs = segs * windows;
  DeviceBuffer<G1Jacobian> seg_sums(total_segs);
  segment_reduce_kernel<<<blocks_for(total_segs, 64), 64>>>(buckets.get(), seg_sums.get(), c, segs, total_segs);
  CUDA_CHECK_LAUNCH();
  for (size_t len = segs; len > 1; len -= len / 2) {
    pairwise_sum_kernel<<<blocks_for((len / 2) * windows, 64), 64>>>(seg_sums.get(), segs, len, windows);
    CUDA_CHECK_LAUNCH();
  }
  std::vector<G1Jacobian> window_sums(windows);
  for (int w = 0; w < windows; w++)
    CUDA_CHECK(cudaMemcpy(&window_sums[w], seg_sums.get() + w * segs, sizeof(G1Jacobian), cudaMemcpyDeviceToHost));
  stop.record();
  float compute_ms = stop.ms_since(start);

  G1Jacobian acc = G1Jacobian::identity();
  for (int w = windows - 1; w >= 0; w--) {
    for (int k = 0; k < c; k++) acc = acc.dbl();
    acc = acc.add(window_sums[w]);
  }
  if (timing) {
    timing->compute_ms = compute_ms;
    timing->total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  return acc;
}

}  // namespace cuda
