#include <chrono>
#include <vector>
#include "../curve/msm_windows.h"
#include "backend.h"
#include "cpu_parallel.h"

namespace cpu {

// Pippenger: per window, points go into buckets by their digit; a running sum over the buckets
// from the top gives Σ d·B_d; windows are then combined by c doublings each.
G1Jacobian g1_msm(const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing) {
  auto t0 = std::chrono::steady_clock::now();
  if (n == 0) return G1Jacobian::identity();
  const int c = msm_window_bits(n);
  const int windows = (SCALAR_BITS + c - 1) / c;
  const size_t nbuckets = (size_t(1) << c) - 1;
  std::vector<G1Jacobian> window_sums(windows);
  cpu_parallel_chunks(
      windows,
      [&](size_t lo, size_t hi, size_t) {
        std::vector<G1Jacobian> buckets(nbuckets);
        for (size_t w = lo; w < hi; w++) {
          for (auto& b : buckets) b = G1Jacobian::identity();
          for (size_t i = 0; i < n; i++) {
            uint32_t d = scalar_window(scalars[i], int(w) * c, c);
            if (d) buckets[d - 1] = buckets[d - 1].add_mixed(points[i]);
          }
          G1Jacobian running = G1Jacobian::identity(), total = G1Jacobian::identity();
          for (size_t b = nbuckets; b-- > 0;) {
            running = running.add(buckets[b]);
            total = total.add(running);
          }
          window_sums[w] = total;
        }
      },
      1);
  G1Jacobian acc = G1Jacobian::identity();
  for (int w = windows - 1; w >= 0; w--) {
    for (int k = 0; k < c; k++) acc = acc.dbl();
    acc = acc.add(window_sums[w]);
  }
  if (timing) timing->total_ms = timing->compute_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return acc;
}

}  // namespace cpu
