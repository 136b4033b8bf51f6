#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>
#include "../curve/msm_windows.h"
#include "backend.h"
#include "cpu_parallel.h"
#include "msm_rows.h"

namespace {

// The work is split into tasks (row, window, chunk of columns); a task fills its own buckets and
// reduces them to Σ d·B_d with a running sum from the top bucket. Chunks exist only to give every
// thread work when rows × windows is small (one MSM, or a few rows of small integers).
struct RowsPlan {
  int c = 1, windows = 1;
  size_t chunks = 1;
};

// Picks c (and the chunk count) minimising the estimated time: per task, one mixed addition per
// column plus about 2·2^c additions (weighted 1.4: a full addition costs more than a mixed one)
// for the bucket reduction, spread over min(threads, tasks) threads.
RowsPlan plan_rows(size_t cols, size_t rows, int bits) {
  const size_t threads = cpu::thread_count();
  RowsPlan best;
  double best_cost = -1;
  // c stops at 18: 2^18 Jacobian buckets are 37 MB per thread.
  for (int c0 = 1; c0 <= std::min(bits, 18); c0++) {
    const int c = msm_even_window_bits(bits, c0);
    if (c != c0) continue;  // the same split as a smaller c0
    const int windows = (bits + c - 1) / c;
    const size_t tasks_rw = rows * (size_t)windows;
    size_t chunks = tasks_rw >= threads ? 1 : (threads + tasks_rw - 1) / tasks_rw;
    chunks = std::max<size_t>(1, std::min(chunks, cols >> std::min(c + 1, 62)));
    const double per_task = double(cols) / double(chunks) + 1.4 * double(size_t(2) << c);
    const double tasks = double(tasks_rw * chunks);
    const double cost = per_task * tasks / std::min<double>(double(threads), tasks);
    if (best_cost < 0 || cost < best_cost) {
      best_cost = cost;
      best = {c, windows, chunks};
    }
  }
  return best;
}

template <class Digits>
void msm_rows(const G1Affine* points, size_t cols, Digits digits, int bits, size_t n, G1Jacobian* out) {
  const size_t rows = (n + cols - 1) / cols;
  if (bits <= 0) {
    for (size_t r = 0; r < rows; r++) out[r] = G1Jacobian::identity();
    return;
  }
  const RowsPlan plan = plan_rows(cols, rows, bits);
  const int c = plan.c, windows = plan.windows;
  const size_t chunks = plan.chunks, chunk_len = (cols + chunks - 1) / chunks;
  const size_t nbuckets = (size_t(1) << c) - 1;
  auto window_sum = [&](size_t row, int w, size_t k, std::vector<G1Jacobian>& buckets) {
    const size_t base = row * cols, c_lo = k * chunk_len;
    const size_t c_hi = std::min({cols, c_lo + chunk_len, n > base ? n - base : size_t(0)});
    for (auto& b : buckets) b = G1Jacobian::identity();
    for (size_t col = c_lo; col < c_hi; col++) {
      const uint32_t d = digits(base + col, w * c, c);
      if (!d) continue;
      const uint32_t mag = d & ~MSM_DIGIT_NEGATE;
      buckets[mag - 1] = buckets[mag - 1].add_mixed((d & MSM_DIGIT_NEGATE) ? points[col].neg() : points[col]);
    }
    G1Jacobian running = G1Jacobian::identity(), total = G1Jacobian::identity();
    for (size_t b = nbuckets; b-- > 0;) {
      running = running.add(buckets[b]);
      total = total.add(running);
    }
    return total;
  };
  // Horner over the windows, top first: c doublings, then that window's partial sums.
  auto combine = [&](const G1Jacobian* partial_of_row) {
    G1Jacobian acc = G1Jacobian::identity();
    for (int w = windows - 1; w >= 0; w--) {
      for (int k = 0; k < c; k++) acc = acc.dbl();
      for (size_t k = 0; k < chunks; k++) acc = acc.add(partial_of_row[w * chunks + k]);
    }
    return acc;
  };
  if (chunks == 1 && rows >= cpu::thread_count()) {
    // Enough rows to share out whole: each thread keeps one row's window sums at a time.
    cpu_parallel_chunks(
        rows,
        [&](size_t lo, size_t hi, size_t) {
          std::vector<G1Jacobian> buckets(nbuckets), partial(windows);
          for (size_t row = lo; row < hi; row++) {
            for (int w = 0; w < windows; w++) partial[w] = window_sum(row, w, 0, buckets);
            out[row] = combine(partial.data());
          }
        },
        1);
    return;
  }
  const size_t per_row = windows * chunks, tasks = rows * per_row;
  std::vector<G1Jacobian> partial(tasks);
  cpu_parallel_chunks(
      tasks,
      [&](size_t lo, size_t hi, size_t) {
        std::vector<G1Jacobian> buckets(nbuckets);
        for (size_t t = lo; t < hi; t++)
          partial[t] = window_sum(t / per_row, int((t / chunks) % windows), t % chunks, buckets);
      },
      1);
  for (size_t row = 0; row < rows; row++) out[row] = combine(partial.data() + row * per_row);
}

}  // namespace

namespace cpu {

void g1_msm_rows(const G1Affine* points, size_t cols, const MsmRowsScalars& s, size_t n, G1Jacobian* out,
                 MsmTiming* timing) {
  auto t0 = std::chrono::steady_clock::now();
  if (cols == 0) throw std::invalid_argument("g1_msm_rows: zero columns");
  if (s.ints)
    msm_rows(points, cols, Int32Digits{s.ints}, std::min(s.bits, 32), n, out);
  else
    msm_rows(points, cols, RawScalarDigits{s.raw}, std::min(s.bits, SCALAR_BITS), n, out);
  if (timing) timing->total_ms = timing->compute_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Pippenger as the one-row case of the row-batched MSM.
G1Jacobian g1_msm(const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing) {
  if (n == 0) {
    if (timing) *timing = MsmTiming{};
    return G1Jacobian::identity();
  }
  G1Jacobian r;
  MsmRowsScalars s;
  s.raw = scalars;
  g1_msm_rows(points, n, s, n, &r, timing);
  return r;
}

}  // namespace cpu
