// CUDA opening engines (proto/opening_engine.h). Everything an opening touches stays on the
// device: the generators, the int32 tensors of a batch, their row folds, and the IPA vectors a, b
// and generator weights. Each IPA round is one two-row MSM (row 0 gives L, row 1 gives R, Q's
// scalar in the last column of each) against a fixed-base window table of the generators
// (cuda_window_table.cuh), so a round is a single bucket pass with no doublings and allocates
// nothing; only two points go to the host and two challenges come back as kernel arguments.
#include <algorithm>
#include "../../curve/g1_batch_affine.h"
#include "opening_engines.h"
#include "../../witness/witness.h"
#include "../../mle/mle.h"
#include "../../platform/cpu_parallel.h"
#include "../device/cuda_common.cuh"
#include "../field/wide_sum.cuh"
#include "../msm/cuda_msm.cuh"
#include "../msm/cuda_window_table.cuh"

namespace {

constexpr unsigned THREADS = 256, SUM_BLOCKS = 128, MAX_GRID_Y = 65535;

using DeviceTable = std::shared_ptr<const WindowTable>;


// Block sums of the dot products <x_j, y_j> (n entries) for j = blockIdx.y, where x_j = x + j·xs
// and y_j = y + j·ys, into partial[j · gridDim.x + blockIdx.x].
__global__ void dot_partials_kernel(const Fr* x, long long xs, const Fr* y, long long ys, size_t n, Fr* partial) {
  const Fr* xj = x + (long long)blockIdx.y * xs;
  const Fr* yj = y + (long long)blockIdx.y * ys;
  Fr acc = Fr::zero();
  for (size_t k = blockIdx.x * (size_t)blockDim.x + threadIdx.x; k < n; k += (size_t)gridDim.x * blockDim.x)
    acc += xj[k] * yj[k];
  __shared__ Fr sh[THREADS];
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (unsigned s = THREADS / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) partial[blockIdx.y * gridDim.x + blockIdx.x] = sh[0];
}

// out[j] = canonical Σ of partial[j·count .. j·count + count), for j < gridDim.x.
__global__ void finish_sums_kernel(const Fr* partial, unsigned count, ScalarRaw* out, size_t out_stride) {
  __shared__ Fr sh[SUM_BLOCKS];
  sh[threadIdx.x] = threadIdx.x < count ? partial[blockIdx.x * count + threadIdx.x] : Fr::zero();
  __syncthreads();
  for (unsigned s = SUM_BLOCKS / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x * out_stride] = scalar_raw(sh[0]);
}

// Scalars of one round over the w generators: row 0 (L) pairs a_lo with the generators whose
// position in the current length is in the upper half, row 1 (R) a_hi with the lower half.
// Each generator's weight coef_i carries the folds so far. Slot w of each row is Q's (set apart).
__global__ void ipa_scalars_kernel(const Fr* a, const Fr* coef, ScalarRaw* s, size_t w, size_t len) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= w) return;
  const size_t half = len / 2, pos = i & (len - 1);
  const ScalarRaw zero{{0, 0, 0, 0}};
  if (pos >= half) {
    s[i] = scalar_raw(a[pos - half] * coef[i]);
    s[w + 1 + i] = zero;
  } else {
    s[i] = zero;
    s[w + 1 + i] = scalar_raw(a[pos + half] * coef[i]);
  }
}

__global__ void ipa_fold_kernel(Fr* a, Fr* b, size_t half, Fr x, Fr xi) {
  const size_t k = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (k >= half) return;
  a[k] = a[k] * x + a[k + half] * xi;
  b[k] = b[k] * xi + b[k + half] * x;
}

__global__ void ipa_weights_kernel(Fr* coef, size_t w, size_t half, Fr x, Fr xi) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i < w) coef[i] *= (i & half) ? x : xi;
}

__global__ void fill_one_kernel(Fr* v, size_t n) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i < n) v[i] = Fr::one();
}

class CudaIpaEngine : public IpaEngine {
 public:
  CudaIpaEngine(DeviceTable table, size_t w, DeviceBuffer<Fr> a, DeviceBuffer<Fr> b)
      : table_(std::move(table)), w_(w), a_(std::move(a)), b_(std::move(b)), coef_(w), scalars_(2 * (w + 1)),
        partial_(2 * SUM_BLOCKS) {
    fill_one_kernel<<<blocks_for(w, THREADS), THREADS>>>(coef_.get(), w);
    CUDA_CHECK_LAUNCH();
  }
  void cross_terms(size_t len, G1Jacobian& L, G1Jacobian& R) override {
    const size_t half = len / 2;
    ipa_scalars_kernel<<<blocks_for(w_, THREADS), THREADS>>>(a_.get(), coef_.get(), scalars_.get(), w_, len);
    CUDA_CHECK_LAUNCH();
    // <a_lo, b_hi> into Q's slot of row 0, <a_hi, b_lo> into row 1's: two dot products in one launch.
    const unsigned blocks = std::min<unsigned>(SUM_BLOCKS, blocks_for(half, THREADS));
    dot_partials_kernel<<<dim3(blocks, 2), THREADS>>>(a_.get(), (long long)half, b_.get() + half, -(long long)half,
                                                      half, partial_.get());
    CUDA_CHECK_LAUNCH();
    finish_sums_kernel<<<2, SUM_BLOCKS>>>(partial_.get(), blocks, scalars_.get() + w_, w_ + 1);
    CUDA_CHECK_LAUNCH();
    G1Jacobian out[2];
    cuda::g1_msm_rows_table(table_->points.get(), table_->stride, w_ + 1, table_->windows, table_->c, scalars_.get(),
                            2 * (w_ + 1), out, scratch_);
    L = out[0];
    R = out[1];
  }
  void fold(size_t len, const Fr& x, const Fr& xi) override {
    const size_t half = len / 2;
    ipa_fold_kernel<<<blocks_for(half, THREADS), THREADS>>>(a_.get(), b_.get(), half, x, xi);
    CUDA_CHECK_LAUNCH();
    ipa_weights_kernel<<<blocks_for(w_, THREADS), THREADS>>>(coef_.get(), w_, half, x, xi);
    CUDA_CHECK_LAUNCH();
  }
  std::vector<Fr> final_a(size_t len) override {
    std::vector<Fr> a(len);
    CUDA_CHECK(cudaMemcpy(a.data(), a_.get(), len * sizeof(Fr), cudaMemcpyDeviceToHost));
    return a;
  }

 private:
  DeviceTable table_;
  size_t w_;
  DeviceBuffer<Fr> a_, b_, coef_;
  DeviceBuffer<ScalarRaw> scalars_;
  DeviceBuffer<Fr> partial_;
  MsmScratch scratch_;
};

// ---- batched opening of int32 tensors ----------------------------------------------------------

// times: null, or the streams each tensor's draws are multiplied by.
__global__ void seeded_ints_kernel(int32_t* t, const uint64_t* ids, const uint64_t* times, size_t num, size_t n,
                                   size_t logical, uint64_t seed, int64_t lo, uint64_t span) {
  const size_t idx = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (idx >= num * n) return;
  const size_t i = idx / n, k = idx % n;
  if (k >= logical) return void(t[idx] = 0);
  int64_t v = witness_int(seed, ids[i], k, lo, span);
  if (times) v *= witness_int(seed, times[i], k, lo, span);
  t[idx] = (int32_t)v;
}

__global__ void max_magnitude_kernel(const int32_t* t, size_t n, uint32_t* out) {
  uint32_t m = 0;
  for (size_t k = blockIdx.x * (size_t)blockDim.x + threadIdx.x; k < n; k += (size_t)gridDim.x * blockDim.x) {
    const int32_t v = t[k];
    m |= v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
  }
  for (int d = 16; d > 0; d >>= 1) m |= __shfl_xor_sync(0xffffffffu, m, d);
  if ((threadIdx.x & 31) == 0 && m) atomicOr(out, m);
}

// Row folds are split over the rows into gridDim.z chunks: a thread per column alone leaves too few
// loads in flight to read a tensor of 2^28 entries at the memory's rate. Chunk k of tensor i's fold
// goes to out[(k·num + i)·w + c] (the fold itself when there is one chunk).
__device__ __forceinline__ void chunk_rows(size_t rows, size_t& r0, size_t& r1) {
  r0 = rows * blockIdx.z / gridDim.z;
  r1 = rows * (blockIdx.z + 1) / gridDim.z;
}

// f_i[c] = Σ_r e_row[r]·s_i[r·w + c] for c < cols, tensor i = blockIdx.y at offset i·n of int32
// entries s = lo, or (Split) s = hi·2^31 + lo (a field tensor of small integers). The integers
// multiply the Montgomery limbs of e_row[r] directly into wide accumulators (one for positive, one
// for negative values), which sum to a multiple-free Montgomery representation of f_i[c]; one
// reduction per output replaces a Montgomery product per element.
template <bool Split>
__global__ void int_row_fold_kernel(const int32_t* lo, const int32_t* hi, size_t n, size_t w, size_t cols, size_t rows,
                                    const Fr* e_row, Fr two31, Fr* out) {
  const size_t c = blockIdx.x * (size_t)blockDim.x + threadIdx.x, i = blockIdx.y;
  if (c >= cols) return;
  size_t r0, r1;
  chunk_rows(rows, r0, r1);
  lo += i * n;
  uint64_t lp[5] = {0, 0, 0, 0, 0}, ln[5] = {0, 0, 0, 0, 0}, hp[5] = {0, 0, 0, 0, 0}, hn[5] = {0, 0, 0, 0, 0};
  for (size_t r = r0; r < r1; r++) {
    if (e_row[r].is_zero()) continue;  // a padded row (the same for every thread)
    const int32_t v = lo[r * w + c];
    if (v >= 0) mac_small(lp, e_row[r], (uint32_t)v);
    else mac_small(ln, e_row[r], 0u - (uint32_t)v);
    if (!Split) continue;
    const int32_t h = hi[i * n + r * w + c];
    if (h >= 0) mac_small(hp, e_row[r], (uint32_t)h);
    else mac_small(hn, e_row[r], 0u - (uint32_t)h);
  }
  Fr f = reduce_wide(lp) - reduce_wide(ln);
  if (Split) f += two31 * (reduce_wide(hp) - reduce_wide(hn));
  out[((size_t)blockIdx.z * gridDim.y + i) * w + c] = f;
}

// folds[x] = Σ_k partial[k·len + x].
__global__ void sum_chunks_kernel(const Fr* partial, size_t chunks, size_t len, Fr* folds) {
  const size_t x = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (x >= len) return;
  Fr acc = Fr::zero();
  for (size_t k = 0; k < chunks; k++) acc += partial[k * len + x];
  folds[x] = acc;
}

// a[c] = Σ_i coeffs[i]·f_i[c].
__global__ void combine_kernel(const Fr* folds, size_t num, size_t w, const Fr* coeffs, Fr* a) {
  const size_t c = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (c >= w) return;
  Fr acc = Fr::zero();
  for (size_t i = 0; i < num; i++) acc += coeffs[i] * folds[i * w + c];
  a[c] = acc;
}

// <f_i, cols> for the num folds f_i of w entries each.
std::vector<Fr> fold_values(const Fr* folds, size_t num, const Fr* cols, size_t w) {
  const unsigned blocks = std::min<unsigned>(SUM_BLOCKS, blocks_for(w, THREADS));
  DeviceBuffer<Fr> partial(num * blocks);
  dot_partials_kernel<<<dim3(blocks, (unsigned)num), THREADS>>>(folds, (long long)w, cols, 0, w, partial.get());
  CUDA_CHECK_LAUNCH();
  std::vector<Fr> parts = partial.to_host(), v(num, Fr::zero());
  for (size_t i = 0; i < num; i++)
    for (unsigned k = 0; k < blocks; k++) v[i] += parts[i * blocks + k];
  return v;
}

// What the int32 and field engines share: the generators' window table, the row folds of each
// opening term, their values and the IPA engines made from them; each engine folds its own rows.
class CudaRowsOpening : public BatchOpening {
 public:
  CudaRowsOpening(std::shared_ptr<const PedersenGenerators> key, size_t n, size_t num)
      : key_(std::move(key)), w_(key_->g.size()), n_(n), num_(num) {
    cuda_use_device();
    table_ = window_table(*key_);
  }
  size_t num() const override { return num_; }
  std::vector<std::vector<Fr>> evaluate(const std::vector<OpeningTerm>& terms) override {
    const size_t rows = std::max<size_t>(1, n_ / w_);
    folds_.clear();
    cols_.clear();
    std::vector<std::vector<Fr>> values;
    for (const auto& term : terms) {
      if (term.rows.size() != rows || term.cols.size() != w_) throw std::logic_error("opening: term weights of the wrong size");
      DeviceBuffer<Fr> d_e_row(term.rows.data(), rows), d_cols(term.cols.data(), w_);
      DeviceBuffer<Fr> folds = fold_rows(d_e_row.get());
      values.push_back(fold_values(folds.get(), num_, d_cols.get(), w_));
      folds_.push_back(std::move(folds));
      cols_.push_back(std::move(d_cols));
    }
    return values;
  }
  bool evaluate_device(const Fr* rows, const Fr*) override {  // the folds do not need the columns
    folds_.clear();
    cols_.clear();
    folds_.push_back(fold_rows(rows));
    return true;
  }
  std::unique_ptr<IpaEngine> combine(const std::vector<Fr>& coeffs, size_t term) override {
    if (coeffs.size() != num_ || term >= cols_.size()) throw std::logic_error("opening: combine before evaluate");
    DeviceBuffer<Fr> d_coeffs(coeffs.data(), num_), a(w_);
    combine_kernel<<<blocks_for(w_, THREADS), THREADS>>>(folds_[term].get(), num_, w_, d_coeffs.get(), a.get());
    CUDA_CHECK_LAUNCH();
    return std::make_unique<CudaIpaEngine>(table_, w_, std::move(a), std::move(cols_[term]));
  }
  std::vector<Fr> fold(size_t i, size_t term) override {
    if (i >= num_ || term >= folds_.size()) throw std::logic_error("opening: fold before evaluate");
    std::vector<Fr> f(w_);
    copy_to_host(f.data(), device_fold(i, term), w_ * sizeof(Fr));
    return f;
  }
  const Fr* device_fold(size_t i, size_t term) const override {
    if (i >= num_ || term >= folds_.size()) throw std::logic_error("opening: fold before evaluate");
    return folds_[term].get() + i * w_;
  }

 protected:
  // out[(k·num + i)·w + c] = Σ_{r in chunk k} e_row[r]·t_i[r·w + c] for c < cols, every tensor i,
  // the rows split into `chunks` (chunk_rows).
  virtual void row_fold(const Fr* e_row, size_t rows, size_t cols, unsigned chunks, Fr* out) = 0;
  // Every tensor's fold with the row weights e_row (device memory, max(1, n / w) of them): num × w.
  DeviceBuffer<Fr> fold_rows(const Fr* e_row) {
    const size_t rows = std::max<size_t>(1, n_ / w_), cols = std::min(n_, w_);
    DeviceBuffer<Fr> folds(num_ * w_);
    if (cols < w_) CUDA_CHECK(cudaMemset(folds.get(), 0, num_ * w_ * sizeof(Fr)));
    // at least 64 rows a thread, in at most 16 chunks (a million threads at rows of 2^16)
    const unsigned chunks = (unsigned)std::min<size_t>(16, std::max<size_t>(1, rows / 64));
    if (chunks == 1) {
      row_fold(e_row, rows, cols, 1, folds.get());
    } else {
      DeviceBuffer<Fr> partial(chunks * num_ * w_);
      row_fold(e_row, rows, cols, chunks, partial.get());
      sum_chunks_kernel<<<blocks_for(num_ * w_, THREADS), THREADS>>>(partial.get(), chunks, num_ * w_, folds.get());
      CUDA_CHECK_LAUNCH();
    }
    return folds;
  }
  std::shared_ptr<const PedersenGenerators> key_;
  size_t w_, n_, num_;
  DeviceTable table_;

 private:
  std::vector<DeviceBuffer<Fr>> folds_, cols_;  // per opening term
};

class CudaIntBatchOpening : public CudaRowsOpening {
 public:
  CudaIntBatchOpening(std::shared_ptr<const PedersenGenerators> key, const IntTensorSource& src, size_t n)
      : CudaRowsOpening(std::move(key), n, src.seeded ? src.ids.size() : src.given.size()) {
    if (num_ > MAX_GRID_Y) throw std::invalid_argument("opening on the GPU takes at most 65535 tensors at once");
    if (n_ / w_ > (size_t(1) << 32)) throw std::invalid_argument("opening on the GPU: more than 2^32 rows per tensor");
    t_ = DeviceBuffer<int32_t>(num_ * n_);
    if (src.seeded) {
      DeviceBuffer<uint64_t> ids(src.ids.data(), num_), times(src.times.data(), src.times.size());
      seeded_ints_kernel<<<blocks_for(num_ * n_, THREADS), THREADS>>>(
          t_.get(), ids.get(), src.times.empty() ? nullptr : times.get(), num_, n_, src.logical, src.seed, src.lo, src.span);
      CUDA_CHECK_LAUNCH();
    } else {
      CUDA_CHECK(cudaMemset(t_.get(), 0, num_ * n_ * sizeof(int32_t)));
      for (size_t i = 0; i < num_; i++)
        copy_to_device(t_.get() + i * n_, src.given[i].data(), src.logical * sizeof(int32_t));
    }
    DeviceBuffer<uint32_t> mag(1);
    CUDA_CHECK(cudaMemset(mag.get(), 0, sizeof(uint32_t)));
    max_magnitude_kernel<<<1024, THREADS>>>(t_.get(), num_ * n_, mag.get());
    CUDA_CHECK_LAUNCH();
    uint32_t m = 0;
    mag.download(&m, 1);
    bits_ = m ? 32 - __builtin_clz(m) : 0;
  }
  std::vector<G1Affine> commit(size_t i) override {
    const size_t rows = (n_ + w_ - 1) / w_;
    std::vector<G1Jacobian> jac(rows);
    MsmRowsScalars s;
    s.ints = t_.get() + i * n_;
    s.bits = bits_;
    // window 0 of the table is the generators themselves
    cuda::g1_msm_rows_on_device(table_->points.get(), w_, s, n_, jac.data());
    std::vector<G1Affine> out(rows);
    g1_batch_to_affine(jac.data(), out.data(), rows);
    return out;
  }

 protected:
  void row_fold(const Fr* e_row, size_t rows, size_t cols, unsigned chunks, Fr* out) override {
    int_row_fold_kernel<false><<<dim3(blocks_for(cols, THREADS), (unsigned)num_, chunks), THREADS>>>(
        t_.get(), nullptr, n_, w_, cols, rows, e_row, Fr::zero(), out);
    CUDA_CHECK_LAUNCH();
  }

 private:
  int bits_ = 0;
  DeviceBuffer<int32_t> t_;
};

// ---- opening of one field tensor ---------------------------------------------------------------

__global__ void to_scalars_kernel(const Fr* t, size_t n, ScalarRaw* s) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i < n) s[i] = scalar_raw(t[i]);
}

// Small signed integers among field elements: *wide is set when some entry is neither below 2^62
// nor above p − 2^62.
constexpr uint64_t SMALL_LIMIT = uint64_t(1) << 62;
__device__ __forceinline__ bool small_signed(const Fr& v, int64_t& s) {
  const ScalarRaw x = scalar_raw(v);
  if (!(x.v[1] | x.v[2] | x.v[3]) && x.v[0] < SMALL_LIMIT) return s = (int64_t)x.v[0], true;
  const ScalarRaw y = scalar_raw(Fr::zero() - v);
  if (!(y.v[1] | y.v[2] | y.v[3]) && y.v[0] < SMALL_LIMIT) return s = -(int64_t)y.v[0], true;
  return false;
}

// stats[0] |= every |s| (bits up to the largest), stats[1] = 1 when some entry is not small.
__global__ void small_entries_kernel(const Fr* t, size_t n, unsigned long long* stats) {
  unsigned long long m = 0;
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
    int64_t s;
    if (!small_signed(t[i], s)) return void(atomicOr(stats + 1, 1ull));
    m |= s < 0 ? 0ull - (unsigned long long)s : (unsigned long long)s;
  }
  if (m) atomicOr(stats, m);
}

// int32 parts of small signed entries: s itself when every |s| < 2^31 (hi null), else
// s = hi·2^31 + lo with lo in [0, 2^31), whose commitments give s's by linearity.
__global__ void split_kernel(const Fr* t, size_t n, int32_t* lo, int32_t* hi) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
    int64_t s = 0;
    small_signed(t[i], s);
    if (!hi) {
      lo[i] = (int32_t)s;
      continue;
    }
    lo[i] = (int32_t)(s & 0x7fffffff);
    hi[i] = (int32_t)(s >> 31);
  }
}

// f[c] = Σ_r e_row[r]·t[r·w + c] for c < cols, the products summed unreduced (WideProductSum).
__global__ void field_row_fold_kernel(const Fr* t, size_t w, size_t cols, size_t rows, const Fr* e_row, Fr* out) {
  const size_t c = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (c >= cols) return;
  size_t r0, r1;
  chunk_rows(rows, r0, r1);
  WideProductSum acc;
  for (size_t r = r0; r < r1; r++)
    if (!e_row[r].is_zero()) acc.add(e_row[r], t[r * w + c]);
  out[(size_t)blockIdx.z * w + c] = acc.value();
}

// One field tensor in device memory. Full-width entries: every row commitment is one pass over the
// generators' window table (no doublings), the scalars converted on the device a slice of rows at a
// time; small signed integers go through the int32 path instead (commit_split).
class CudaFieldOpening : public CudaRowsOpening {
 public:
  CudaFieldOpening(std::shared_ptr<const PedersenGenerators> key, DeviceBuffer<Fr> t)
      : CudaRowsOpening(std::move(key), t.size(), 1), t_(std::move(t)) {}
  std::vector<G1Affine> commit(size_t i) override {
    if (i != 0) throw std::logic_error("opening: a field opening holds one tensor");
    unsigned long long stats[2];
    small_entries(stats);
    if (!stats[1]) return commit_split(stats[0]);
    const size_t rows = (n_ + w_ - 1) / w_, slice_rows = std::max<size_t>(1, (size_t(1) << 24) / w_);
    std::vector<G1Jacobian> jac(rows);
    DeviceBuffer<ScalarRaw> s(std::min(n_, slice_rows * w_));
    MsmScratch scratch;
    for (size_t r0 = 0; r0 < rows; r0 += slice_rows) {
      const size_t first = r0 * w_, count = std::min(n_ - first, slice_rows * w_);
      to_scalars_kernel<<<blocks_for(count, THREADS), THREADS>>>(t_.get() + first, count, s.get());
      CUDA_CHECK_LAUNCH();
      cuda::g1_msm_rows_table(table_->points.get(), table_->stride, w_, table_->windows, table_->c, s.get(), count,
                              jac.data() + r0, scratch);
    }
    std::vector<G1Affine> out(rows);
    g1_batch_to_affine(jac.data(), out.data(), rows);
    return out;
  }

 protected:
  void row_fold(const Fr* e_row, size_t rows, size_t cols, unsigned chunks, Fr* out) override {
    const dim3 grid(blocks_for(cols, THREADS), 1, chunks);
    if (hi_.size())
      int_row_fold_kernel<true><<<grid, THREADS>>>(lo_.get(), hi_.get(), n_, w_, cols, rows, e_row, Fr::from_u64(uint64_t(1) << 31), out);
    else if (lo_.size())
      int_row_fold_kernel<false><<<grid, THREADS>>>(lo_.get(), nullptr, n_, w_, cols, rows, e_row, Fr::zero(), out);
    else
      field_row_fold_kernel<<<grid, THREADS>>>(t_.get(), w_, cols, rows, e_row, out);
    CUDA_CHECK_LAUNCH();
  }

 private:
  void small_entries(unsigned long long stats[2]) {
    DeviceBuffer<unsigned long long> d(2);
    CUDA_CHECK(cudaMemset(d.get(), 0, 2 * sizeof(unsigned long long)));
    small_entries_kernel<<<1024, THREADS>>>(t_.get(), n_, d.get());
    CUDA_CHECK_LAUNCH();
    d.download(stats, 2);
  }
  // Entries that are signed integers below 2^62 in magnitude (quantized tensors, their products):
  // committed through the int32 path, in the windows their largest magnitude needs instead of
  // every window of the table: as themselves below 2^31, else as lo (31 bits) and hi with
  // C_r = C_lo,r + 2^31·C_hi,r.
  std::vector<G1Affine> commit_split(unsigned long long magnitudes) {
    const size_t rows = (n_ + w_ - 1) / w_;
    const int bits = magnitudes ? 64 - __builtin_clzll(magnitudes) : 0;
    const bool split = bits > 31;
    DeviceBuffer<int32_t> lo(n_), hi(split ? n_ : 0);
    split_kernel<<<1024, THREADS>>>(t_.get(), n_, lo.get(), split ? hi.get() : nullptr);
    CUDA_CHECK_LAUNCH();
    std::vector<G1Jacobian> jl(rows), jh(rows, G1Jacobian::identity());
    MsmRowsScalars s;
    s.ints = lo.get(), s.bits = split ? 31 : bits;
    cuda::g1_msm_rows_on_device(table_->points.get(), w_, s, n_, jl.data());  // window 0 of the table: the generators
    if (split) {
      s.ints = hi.get(), s.bits = std::min(32, bits - 30);  // |hi| <= 2^(bits − 31): floor division of negatives
      cuda::g1_msm_rows_on_device(table_->points.get(), w_, s, n_, jh.data());
    }
    keep_small(lo, hi);
    cpu_parallel_chunks(rows, [&](size_t r0, size_t r1, size_t) {
      for (size_t r = r0; r < r1; r++) {
        G1Jacobian h = jh[r];
        for (int k = 0; k < 31; k++) h = h.dbl();
        jl[r] = jl[r].add(h);
      }
    });
    std::vector<G1Affine> out(rows);
    g1_batch_to_affine(jl.data(), out.data(), rows);
    return out;
  }
  // The int32 parts, kept for the folds when the tensor is at most a quarter of free device memory
  // (they take a quarter or an eighth of the field tensor's bytes); the field tensor stays, so an
  // engine without them folds as before.
  void keep_small(DeviceBuffer<int32_t>& lo, DeviceBuffer<int32_t>& hi) {
    if ((lo.size() + hi.size()) * sizeof(int32_t) > device_free_bytes() / 4) return;
    lo_ = std::move(lo);
    hi_ = std::move(hi);
  }
  DeviceBuffer<Fr> t_;
  DeviceBuffer<int32_t> lo_, hi_;  // s = hi·2^31 + lo (hi empty: s = lo) when every entry is small
};

}  // namespace

namespace cuda {
std::unique_ptr<IpaEngine> make_ipa_engine(std::shared_ptr<const PedersenGenerators> key, std::vector<Fr> a,
                                           std::vector<Fr> b) {
  cuda_use_device();
  const size_t w = key->g.size();
  return std::make_unique<CudaIpaEngine>(window_table(*key), w, DeviceBuffer<Fr>(a.data(), w),
                                         DeviceBuffer<Fr>(b.data(), w));
}
std::unique_ptr<IpaEngine> make_ipa_engine(std::shared_ptr<const PedersenGenerators> key, DeviceBuffer<Fr> a,
                                           DeviceBuffer<Fr> b) {
  const size_t w = key->g.size();
  if (a.size() != w || b.size() != w) throw std::logic_error("inner-product argument: vectors must match the generators");
  return std::make_unique<CudaIpaEngine>(window_table(*key), w, std::move(a), std::move(b));
}
std::unique_ptr<BatchOpening> make_int_batch_opening(std::shared_ptr<const PedersenGenerators> key,
                                                     IntTensorSource src, size_t n) {
  return std::make_unique<CudaIntBatchOpening>(std::move(key), src, n);
}
std::unique_ptr<BatchOpening> make_field_opening(std::shared_ptr<const PedersenGenerators> key, const Fr* t, size_t n) {
  cuda_use_device();
  return std::make_unique<CudaFieldOpening>(std::move(key), DeviceBuffer<Fr>(t, n));
}
std::unique_ptr<BatchOpening> make_field_opening(std::shared_ptr<const PedersenGenerators> key, DeviceBuffer<Fr> t) {
  if (t.size() == 0 || (t.size() & (t.size() - 1))) throw std::logic_error("opening: tensor length must be a power of two");
  return std::make_unique<CudaFieldOpening>(std::move(key), std::move(t));
}
}  // namespace cuda
