// The row-batched bucket MSM (msm_rows.h) for callers that keep their data on the device.
#pragma once
#include "../device/cuda_common.cuh"
#include "msm_rows.h"

// Device buffers kept between MSMs, so that repeated small ones (the IPA rounds) allocate nothing:
// each grows to the largest size asked of it.
struct MsmScratch {
  DeviceBuffer<uint32_t> digits, counts, offsets, cursor, sorted, scan;
  DeviceBuffer<uint32_t> chunk_counts[2], chunk_offsets[2], chunk_owner, chunk_stats;
  DeviceBuffer<G1Jacobian> buckets, segments, chunk_sums[2];
};

// A fixed-base window table: virtual point k·stride + i is 2^(c·k)·P_i for k < windows. The digit
// of virtual element (row, k·stride + i) is window k of scalar (row, i) (rows of `used` <= stride
// scalars, n in all), so an MSM of full scalars against the table is one window of 2^c buckets and
// needs no doublings at all.
struct WindowTableDigits {
  const ScalarRaw* s;
  size_t stride, used, cols, n;  // cols = windows · stride
  int c;
  ZK_HD uint32_t operator()(size_t idx, int, int) const {
    const size_t row = idx / cols, j = idx % cols, i = j % stride, si = row * used + i;
    if (i >= used || si >= n) return 0;
    return scalar_window(s[si], (int)(j / stride) * c, c);
  }
};

namespace cuda {
// As g1_msm_rows, with the points (cols of them) and the scalars (s.raw or s.ints, n of them)
// already in device memory. The current device must already be selected.
void g1_msm_rows_on_device(const G1Affine* d_points, size_t cols, const MsmRowsScalars& d_s, size_t n, G1Jacobian* out);
// n device scalars in rows of `used` (the last row may be short) against a window table of
// `windows` windows of c bits (windows · c >= 255): out[r] = Σ_{i < used} s[r·used + i]·P_i.
void g1_msm_rows_table(const G1Affine* d_table, size_t stride, size_t used, int windows, int c, const ScalarRaw* d_s,
                       size_t n, G1Jacobian* out, MsmScratch& scratch);
}  // namespace cuda
