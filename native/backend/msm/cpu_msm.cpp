#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>
#include "../../curve/msm_windows.h"
#include "../backend.h"
#include "../../platform/cpu_parallel.h"
#include "msm_rows.h"

namespace {

// The buckets of one window. With many buckets (c >= 10) additions are batched: each bucket holds
// an affine point, and up to 1024 additions into distinct buckets (at most a quarter of the
// buckets, to keep clashes rare) share one field inversion (Montgomery's trick), so an addition
// costs about 7 products against 11 for a mixed Jacobian one. An addition whose bucket already
// has one waiting in the batch, or whose point has the bucket's x (doubling or cancellation), goes
// to the bucket's Jacobian part instead, so no input (all points in one bucket, repeated points)
// costs more than the plain Jacobian method.
class BucketSet {
 public:
  explicit BucketSet(size_t nbuckets)
      : n_(nbuckets), batched_(batches(nbuckets)), jac_(nbuckets) {
    if (!batched_) return;
    batch_size_ = std::min<size_t>(1024, nbuckets / 4);
    aff_.resize(nbuckets);
    state_.resize(nbuckets);
    stamp_.assign(nbuckets, 0);
    pend_b_.reserve(batch_size_);
    pend_p_.reserve(batch_size_);
    dx_.resize(batch_size_);
    prefix_.resize(batch_size_);
  }

  // Below about a thousand buckets a batch would be too small to pay for its inversion.
  static bool batches(size_t nbuckets) { return nbuckets >= 1023; }

  void clear() {
    if (!batched_) {
      for (auto& j : jac_) j = G1Jacobian::identity();
      return;
    }
    std::fill(state_.begin(), state_.end(), 0);
  }

  void add(size_t b, const G1Affine& p) {
    if (!batched_) {
      jac_[b] = jac_[b].add_mixed(p);
      return;
    }
    if (p.is_identity()) return;
    if (!state_[b]) {
      aff_[b] = p;
      state_[b] = 1;
    } else if (stamp_[b] == batch_) {
      add_jacobian(b, p);
    } else {
      stamp_[b] = batch_;
      pend_b_.push_back((uint32_t)b);
      pend_p_.push_back(p);
      if (pend_b_.size() == batch_size_) flush();
    }
  }

  // Σ d·B_d over d = 1 .. n, by running sums from the top bucket.
  G1Jacobian weighted_sum() {
    if (batched_) flush();
    G1Jacobian running = G1Jacobian::identity(), total = G1Jacobian::identity();
    for (size_t b = n_; b-- > 0;) {
      if (!batched_) {
        running = running.add(jac_[b]);
      } else if (state_[b]) {
        running = running.add_mixed(aff_[b]);
        if (state_[b] & 2) running = running.add(jac_[b]);
      }
      total = total.add(running);
    }
    return total;
  }

 private:
  // The Jacobian part of a batched bucket is read only once flagged, so a window's buckets need
  // no clearing beyond their flags.
  void add_jacobian(size_t b, const G1Affine& p) {
    if (!(state_[b] & 2)) {
      jac_[b] = G1Jacobian::identity();
      state_[b] |= 2;
    }
    jac_[b] = jac_[b].add_mixed(p);
  }

  void flush() {
    const size_t m = pend_b_.size();
    if (m == 0) return;
    Fq acc = Fq::one();
    for (size_t i = 0; i < m; i++) {
      dx_[i] = pend_p_[i].x - aff_[pend_b_[i]].x;
      prefix_[i] = acc;
      if (!dx_[i].is_zero()) acc *= dx_[i];
    }
    Fq inv = acc.inv();
    for (size_t i = m; i-- > 0;) {
      const uint32_t b = pend_b_[i];
      const G1Affine& p = pend_p_[i];
      if (dx_[i].is_zero()) {
        add_jacobian(b, p);
        continue;
      }
      const Fq dx_inv = inv * prefix_[i];
      inv *= dx_[i];
      const G1Affine& a = aff_[b];
      const Fq lambda = (p.y - a.y) * dx_inv;
      const Fq x3 = lambda.sqr() - a.x - p.x;
      aff_[b] = {x3, lambda * (a.x - x3) - a.y};
    }
    pend_b_.clear();
    pend_p_.clear();
    if (++batch_ == 0) {  // the stamps wrapped: forget them
      std::fill(stamp_.begin(), stamp_.end(), 0);
      batch_ = 1;
    }
  }

  size_t n_;
  bool batched_;
  size_t batch_size_ = 0;
  std::vector<G1Jacobian> jac_;
  std::vector<G1Affine> aff_;
  std::vector<uint8_t> state_;  // per bucket: bit 0, the affine part is set; bit 1, the Jacobian part
  std::vector<uint32_t> stamp_;
  uint32_t batch_ = 1;
  std::vector<uint32_t> pend_b_;
  std::vector<G1Affine> pend_p_;
  std::vector<Fq> dx_, prefix_;
};

// The work is split into tasks (row, window, chunk of columns); a task fills its own buckets and
// reduces them to Σ d·B_d with a running sum from the top bucket. Chunks exist only to give every
// thread work when rows × windows is small (one MSM, or a few rows of small integers).
struct RowsPlan {
  int c = 1, windows = 1;
  size_t chunks = 1;
};

// Picks c (and the chunk count) minimising the estimated time, in field products: per task, one
// bucket addition per column (11, or about 7.5 once BucketSet batches them) plus the reduction's
// two additions per bucket (32, or 27 with affine buckets), spread over min(threads, tasks) threads.
RowsPlan plan_rows(size_t cols, size_t rows, int bits) {
  const size_t threads = cpu::thread_count();
  RowsPlan best;
  double best_cost = -1;
  // c stops at 18: 2^18 buckets take about 64 MB per thread.
  for (int c0 = 1; c0 <= std::min(bits, 18); c0++) {
    const int c = msm_even_window_bits(bits, c0);
    if (c != c0) continue;  // the same split as a smaller c0
    const int windows = (bits + c - 1) / c;
    const size_t tasks_rw = rows * (size_t)windows;
    size_t chunks = tasks_rw >= threads ? 1 : (threads + tasks_rw - 1) / tasks_rw;
    chunks = std::max<size_t>(1, std::min(chunks, cols >> std::min(c + 1, 62)));
    const bool batched = BucketSet::batches((size_t(1) << c) - 1);
    const double per_task =
        (batched ? 7.5 : 11.0) * double(cols) / double(chunks) + (batched ? 27.0 : 32.0) * double(size_t(1) << c);
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
  auto window_sum = [&](size_t row, int w, size_t k, BucketSet& buckets) {
    const size_t base = row * cols, c_lo = k * chunk_len;
    const size_t c_hi = std::min({cols, c_lo + chunk_len, n > base ? n - base : size_t(0)});
    buckets.clear();
    for (size_t col = c_lo; col < c_hi; col++) {
      const uint32_t d = digits(base + col, w * c, c);
      if (!d) continue;
      buckets.add((d & ~MSM_DIGIT_NEGATE) - 1, (d & MSM_DIGIT_NEGATE) ? points[col].neg() : points[col]);
    }
    return buckets.weighted_sum();
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
          BucketSet buckets(nbuckets);
          std::vector<G1Jacobian> partial(windows);
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
        BucketSet buckets(nbuckets);
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
