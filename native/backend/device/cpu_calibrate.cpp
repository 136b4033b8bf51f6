#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>
#include "../backend.h"
#include "../../platform/cpu_parallel.h"

namespace cpu {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
template <class F>
double median_of(int reps, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < reps; i++) t.push_back(f());
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}
}  // namespace

// Same shape as the GPU measurement: each thread runs dependent chains x <- x·y, with a few
// independent chains per thread so the core's multiplier pipeline stays busy.
Calibration calibrate() {
  const unsigned threads = thread_count();
  const size_t chains_per_thread = 4, steps = 200000;
  std::vector<Fr> sink(threads);
  auto mul_run = [&] {
    auto t0 = std::chrono::steady_clock::now();
    cpu_parallel_chunks(
        threads,
        [&](size_t lo, size_t hi, size_t) {
          for (size_t t = lo; t < hi; t++) {
            Fr x[chains_per_thread], y = Fr::from_u64(0x9e3779b97f4a7c15ULL + t);
            for (size_t c = 0; c < chains_per_thread; c++) x[c] = Fr::from_u64(c + 3 + t);
            for (size_t s = 0; s < steps; s++)
              for (size_t c = 0; c < chains_per_thread; c++) x[c] = x[c] * y;
            Fr acc = Fr::zero();
            for (size_t c = 0; c < chains_per_thread; c++) acc += x[c];
            sink[t] = acc;
          }
        },
        1);
    return seconds_since(t0);
  };
  mul_run();  // warm-up
  double t_mul = median_of(3, mul_run);
  double muls = double(threads) * chains_per_thread * steps;

  const size_t bytes = size_t(256) << 20;
  std::vector<uint8_t> src(bytes, 1), dst(bytes, 0);
  auto copy_run = [&] {
    auto t0 = std::chrono::steady_clock::now();
    cpu_parallel_chunks(
        bytes, [&](size_t lo, size_t hi, size_t) { std::memcpy(dst.data() + lo, src.data() + lo, hi - lo); },
        size_t(1) << 20);
    return seconds_since(t0);
  };
  copy_run();
  double t_copy = median_of(5, copy_run);

  Calibration c;
  c.fr_mul_per_s = muls / t_mul;
  c.copy_bytes_per_s = 2.0 * bytes / t_copy;
  c.method = "cpu: " + std::to_string(threads) + " threads x 4 dependent chains of 200000 Fr products (median of 3); "
             "memcpy of 256 MiB split across threads, bytes read+written (median of 5)";
  return c;
}

}  // namespace cpu
