// The row-batched bucket MSM (msm_rows.h) for callers that keep their data on the device.
#pragma once
#include "msm_rows.h"

namespace cuda {
// As g1_msm_rows, with the points (cols of them) and the scalars (s.raw or s.ints, n of them)
// already in device memory. The current device must already be selected.
void g1_msm_rows_on_device(const G1Affine* d_points, size_t cols, const MsmRowsScalars& d_s, size_t n, G1Jacobian* out);
}  // namespace cuda
