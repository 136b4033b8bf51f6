// Multi-scalar multiplication: one sum Σ s_i·P_i (g1_msm) and row-batched sums over one point
// vector (msm_rows.h). msm_dispatch.cpp picks the body.
#pragma once
#include <cstddef>
#include "../../curve/g1.cuh"
#include "../../platform/scalar_raw.h"
#include "../device/devices.h"

// Where the time of one MSM went; on the CPU the two are the same.
struct MsmTiming {
  double total_ms = 0;   // the whole call, host-device copies included
  double compute_ms = 0; // the bucket method alone, inputs already in place
};

G1Jacobian g1_msm(Backend b, const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing = nullptr);

namespace cpu {
G1Jacobian g1_msm(const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing = nullptr);
}
namespace cuda {
G1Jacobian g1_msm(const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing = nullptr);
}
