// The CUDA tensor store: tensors made and kept on the device. Seeded witnesses are drawn by the
// same witness_int as the host (one ZK_HD body), eq tables are built level by level (about two
// products per entry), and a sumcheck takes the buffers over without a copy.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include "../../mle/mle.h"
#include "../../proto/stacked_tensor.h"
#include "../../proto/tensor_store.h"
#include "../../witness/witness.h"
#include "../field/cuda_field_device.cuh"
#include "../field/wide_sum.cuh"
#include "../opening/opening_engines.h"
#include "cuda_resident_sumcheck.cuh"

namespace {
constexpr int THREADS = 256;
constexpr int MAX_AXES = 6;

struct SeededLayout {
  int axes;
  uint64_t dims[MAX_AXES], padded[MAX_AXES];  // outermost first
};

// Whether padded index pi holds a logical entry, and its logical (row-major) index.
__device__ bool logical_index(const SeededLayout& L, size_t pi, size_t& logical) {
  size_t rest = pi, stride = 1;
  bool inside = true;
  logical = 0;
  for (int a = L.axes - 1; a >= 0; a--) {
    const size_t c = rest % L.padded[a];
    rest /= L.padded[a];
    inside = inside && c < L.dims[a];
    logical += c * stride;
    stride *= L.dims[a];
  }
  return inside;
}

// Entry pi of the padded layout: the seeded integer at its logical index, or the pad value.
__global__ void seeded_kernel(Fr* out, size_t n, SeededLayout L, uint64_t seed, uint64_t id, int64_t lo, uint64_t span, Fr pad) {
  for (size_t pi = blockIdx.x * (size_t)blockDim.x + threadIdx.x; pi < n; pi += (size_t)gridDim.x * blockDim.x) {
    size_t logical;
    const bool inside = logical_index(L, pi, logical);
    out[pi] = inside ? fr_from_i64(witness_int(seed, id, logical, lo, span)) : pad;
  }
}

// Entry pi of the padded layout: table[value − lo] for a logical entry, pad elsewhere.
__global__ void seeded_gather_kernel(Fr* out, size_t n, SeededLayout L, uint64_t seed, uint64_t id, int64_t lo, uint64_t span,
                                     const Fr* table, Fr pad) {
  for (size_t pi = blockIdx.x * (size_t)blockDim.x + threadIdx.x; pi < n; pi += (size_t)gridDim.x * blockDim.x) {
    size_t logical;
    const bool inside = logical_index(L, pi, logical);
    out[pi] = inside ? table[witness_int(seed, id, logical, lo, span) - lo] : pad;
  }
}

// Entry pi of the padded layout as an int32: the seeded integer at its logical index, or zero.
__global__ void seeded_int32_kernel(int32_t* out, size_t n, SeededLayout L, uint64_t seed, uint64_t id, int64_t lo, uint64_t span) {
  for (size_t pi = blockIdx.x * (size_t)blockDim.x + threadIdx.x; pi < n; pi += (size_t)gridDim.x * blockDim.x) {
    size_t logical;
    out[pi] = logical_index(L, pi, logical) ? (int32_t)witness_int(seed, id, logical, lo, span) : 0;
  }
}

// C[n] = A[n]·B[n] over int32 operands (padded [d0, d1] and [d1, d2] per instance blockIdx.z), with
// 64-bit sums (seeded_matmul_shape bounds them): a block makes a 64 × 64 tile of C, each thread
// 4 × 4 of it, from 16-wide slices of A and B staged in shared memory.
constexpr int MM_TILE = 64, MM_K = 16, MM_THREADS = 256;
__global__ void __launch_bounds__(MM_THREADS) int_matmul_kernel(const int32_t* A, const int32_t* B, Fr* C, size_t d0,
                                                                size_t d1, size_t d2) {
  const size_t n = blockIdx.z, row0 = (size_t)blockIdx.y * MM_TILE, col0 = (size_t)blockIdx.x * MM_TILE;
  const int32_t* An = A + n * d0 * d1;
  const int32_t* Bn = B + n * d1 * d2;
  __shared__ int32_t As[MM_K][MM_TILE + 1], Bs[MM_K][MM_TILE];
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  int64_t acc[4][4] = {};
  for (size_t k0 = 0; k0 < d1; k0 += MM_K) {
    for (int e = threadIdx.x; e < MM_TILE * MM_K; e += MM_THREADS) {
      const int r = e / MM_K, k = e % MM_K;
      const size_t gr = row0 + r, gk = k0 + k;
      As[k][r] = gr < d0 && gk < d1 ? An[gr * d1 + gk] : 0;
    }
    for (int e = threadIdx.x; e < MM_K * MM_TILE; e += MM_THREADS) {
      const int k = e / MM_TILE, c = e % MM_TILE;
      const size_t gk = k0 + k, gc = col0 + c;
      Bs[k][c] = gk < d1 && gc < d2 ? Bn[gk * d2 + gc] : 0;
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < MM_K; k++) {
      int64_t a[4], b[4];
      for (int i = 0; i < 4; i++) a[i] = As[k][ty * 4 + i], b[i] = Bs[k][tx * 4 + i];
      for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) acc[i][j] += a[i] * b[j];
    }
    __syncthreads();
  }
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) {
      const size_t r = row0 + ty * 4 + i, c = col0 + tx * 4 + j;
      if (r < d0 && c < d2) C[(n * d0 + r) * d2 + c] = fr_from_i64(acc[i][j]);
    }
}

// One level of the eq table: entries [0, half) hold eq over the first j coordinates; split each
// into its bit-j = 0 and bit-j = 1 children.
__global__ void eq_level_kernel(Fr* t, size_t half, Fr z) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < half; i += (size_t)gridDim.x * blockDim.x) {
    const Fr v = t[i], hi = v * z;
    t[i + half] = hi;
    t[i] = v - hi;
  }
}

// eq over (lo coordinates, hi coordinates) = eq_lo[x & mask]·eq_hi[x >> lo_bits]: one product and
// one write per entry.
__global__ void eq_outer_kernel(Fr* out, size_t n, const Fr* lo, const Fr* hi, int lo_bits) {
  const size_t mask = (size_t(1) << lo_bits) - 1;
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
    out[i] = lo[i & mask] * hi[i >> lo_bits];
}

__global__ void broadcast_kernel(Fr* out, size_t n, const Fr* e, int inner_bits) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
    out[i] = e[i >> inner_bits];
}

// out = beta + s, flagging a zero (a challenge that collided with a value).
__global__ void shift_kernel(Fr* out, const Fr* s, size_t n, Fr beta, unsigned* zero) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
    const Fr v = s[i] + beta;
    if (v.is_zero()) atomicOr(zero, 1u);
    out[i] = v;
  }
}

// Counts of the bins [b0, b0 + nb) in shared memory (32-bit per block), then one global atomic per
// bin and block: one block per SM, each drawing its share of the values once per pass of bins.
constexpr unsigned HIST_BINS = 32768, HIST_THREADS = 1024;
__global__ void __launch_bounds__(HIST_THREADS) histogram_kernel(unsigned long long* counts, size_t n, uint64_t seed,
                                                                uint64_t id, int64_t lo, uint64_t span, uint64_t b0, unsigned nb) {
  extern __shared__ unsigned hist[];
  for (unsigned k = threadIdx.x; k < nb; k += blockDim.x) hist[k] = 0;
  __syncthreads();
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
    const uint64_t v = (uint64_t)(witness_int(seed, id, i, lo, span) - lo) - b0;
    if (v < nb) atomicAdd(hist + v, 1u);
  }
  __syncthreads();
  for (unsigned k = threadIdx.x; k < nb; k += blockDim.x)
    if (hist[k]) atomicAdd(counts + b0 + k, (unsigned long long)hist[k]);
}

// Counts of device values in bins [b0, b0 + nb), as histogram_kernel; a value outside [0, bins)
// raises *bad.
__global__ void __launch_bounds__(HIST_THREADS) values_histogram_kernel(unsigned long long* counts, const int64_t* v, size_t n,
                                                                       uint64_t bins, uint64_t b0, unsigned nb, unsigned* bad) {
  extern __shared__ unsigned hist[];
  for (unsigned k = threadIdx.x; k < nb; k += blockDim.x) hist[k] = 0;
  __syncthreads();
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
    const uint64_t x = (uint64_t)v[i];
    if (x >= bins) *bad = 1;
    const uint64_t k = x - b0;
    if (k < nb) atomicAdd(hist + k, 1u);
  }
  __syncthreads();
  for (unsigned k = threadIdx.x; k < nb; k += blockDim.x)
    if (hist[k]) atomicAdd(counts + b0 + k, (unsigned long long)hist[k]);
}

// Large tables: one pass, the first HIST_BINS bins counted in shared memory (they hold the hot
// values: zero for every masked or padded entry) and the rest by global atomics.
__global__ void __launch_bounds__(HIST_THREADS) values_histogram_wide_kernel(unsigned long long* counts, const int64_t* v, size_t n,
                                                                            uint64_t bins, unsigned* bad) {
  extern __shared__ unsigned hist[];
  for (unsigned k = threadIdx.x; k < HIST_BINS; k += blockDim.x) hist[k] = 0;
  __syncthreads();
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
    const uint64_t x = (uint64_t)v[i];
    if (x >= bins) *bad = 1;
    else if (x < HIST_BINS) atomicAdd(hist + x, 1u);
    else atomicAdd(counts + x, 1ull);
  }
  __syncthreads();
  for (unsigned k = threadIdx.x; k < HIST_BINS; k += blockDim.x)
    if (hist[k]) atomicAdd(counts + k, (unsigned long long)hist[k]);
}

__global__ void counts_kernel(Fr* out, const unsigned long long* counts, size_t n, unsigned long long extra) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
    out[i] = Fr::from_u64(counts[i] + (i == 0 ? extra : 0));
}

__global__ void values_gather_kernel(Fr* out, size_t n, SeededLayout L, const int64_t* v, const Fr* table, size_t rows,
                                     uint32_t pad_row) {
  for (size_t pi = blockIdx.x * (size_t)blockDim.x + threadIdx.x; pi < n; pi += (size_t)gridDim.x * blockDim.x) {
    size_t logical;
    const bool inside = logical_index(L, pi, logical);
    out[pi] = inside ? table[(size_t)v[logical]] : pad_row < rows ? table[pad_row] : Fr::zero();
  }
}

// One warp per output entry (outer o, inner i of the padded layout without the folded axis): its
// lanes stride over the axis's logical coordinates, drawing each entry where it is used. Draws
// below 2^32 in magnitude (quantized operands) go into wide sums, a few integer products a term
// instead of two Montgomery products, and the lanes' wide sums are added as integers and reduced
// once per output (a block per output reduced every thread's sums and then the block's).
constexpr int FOLD_WARPS = 8;
__global__ void __launch_bounds__(FOLD_WARPS * 32) seeded_fold_kernel(Fr* out, size_t outputs, SeededLayout L, int axis,
                                                                      const Fr* w, size_t inner, uint64_t seed, uint64_t id,
                                                                      int64_t lo, uint64_t span) {
  const size_t x = blockIdx.x * (size_t)FOLD_WARPS + (threadIdx.x >> 5);
  const unsigned lane = threadIdx.x & 31;
  if (x >= outputs) return;  // the whole warp
  const size_t o = x / inner, i = x % inner;
  size_t coord[MAX_AXES];
  size_t rest = i;
  for (int a = L.axes - 1; a > axis; a--) coord[a] = rest % L.padded[a], rest /= L.padded[a];
  rest = o;
  for (int a = axis - 1; a >= 0; a--) coord[a] = rest % L.padded[a], rest /= L.padded[a];
  bool inside = true;
  // the logical index of the entry at coordinate c of the axis is base + c·stride
  size_t base = 0, stride = 1, step = 1;
  for (int a = L.axes - 1; a >= 0; a--) {
    if (a == axis) stride = step;
    else inside = inside && coord[a] < L.dims[a], base += coord[a] * step;
    step *= L.dims[a];
  }
  Fr acc = Fr::zero();
  uint64_t pos[5] = {0, 0, 0, 0, 0}, neg[5] = {0, 0, 0, 0, 0};
  if (inside)
    for (size_t c = lane; c < L.dims[axis]; c += 32) {
      const int64_t v = witness_int(seed, id, base + c * stride, lo, span);
      const uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
      if (m >> 32) acc += w[c] * fr_from_i64(v);
      else if (v >= 0) mac_small(pos, w[c], (uint32_t)m);
      else mac_small(neg, w[c], (uint32_t)m);
    }
  warp_sum_wide(pos);
  warp_sum_wide(neg);
  acc = warp_sum(acc);
  if (lane == 0) out[x] = acc + reduce_wide(pos) - reduce_wide(neg);
}

// Entry pi of the padded layout: the logical value at its logical index, 0 in the padding.
template <class Int>
__global__ void ints_kernel(Fr* out, size_t n, SeededLayout L, const Int* v) {
  for (size_t pi = blockIdx.x * (size_t)blockDim.x + threadIdx.x; pi < n; pi += (size_t)gridDim.x * blockDim.x) {
    size_t logical;
    const bool inside = logical_index(L, pi, logical);
    out[pi] = inside ? fr_from_i64((int64_t)v[logical]) : Fr::zero();
  }
}

// out[o, j] partial over the chunk c of mid: threads run along j (coalesced rows), chunks of mid
// give the grid its width when outer·inner is small; fold_chunks_sum adds the chunks.
__global__ void fold_partial_kernel(Fr* part, const Fr* t, const Fr* w, size_t outer, size_t mid, size_t inner,
                                    size_t chunk, size_t chunks) {
  const size_t outs = outer * inner, total = outs * chunks;
  for (size_t x = blockIdx.x * (size_t)blockDim.x + threadIdx.x; x < total; x += (size_t)gridDim.x * blockDim.x) {
    const size_t c = x / outs, oj = x % outs, o = oj / inner, j = oj % inner;
    const size_t i0 = c * chunk, i1 = i0 + chunk < mid ? i0 + chunk : mid;
    Fr acc = Fr::zero();
    for (size_t i = i0; i < i1; i++) acc += w[i] * t[(o * mid + i) * inner + j];
    part[x] = acc;
  }
}
__global__ void fold_chunks_sum_kernel(Fr* out, const Fr* part, size_t outs, size_t chunks) {
  for (size_t x = blockIdx.x * (size_t)blockDim.x + threadIdx.x; x < outs; x += (size_t)gridDim.x * blockDim.x) {
    Fr acc = Fr::zero();
    for (size_t c = 0; c < chunks; c++) acc += part[c * outs + x];
    out[x] = acc;
  }
}

// Zeroes the entries of an eq table outside the causal mask (masked_eq).
__global__ void causal_mask_kernel(Fr* out, size_t n, int vn, int vm, uint64_t H, uint64_t m, uint64_t cols, uint64_t offset) {
  for (size_t x = blockIdx.x * (size_t)blockDim.x + threadIdx.x; x < n; x += (size_t)gridDim.x * blockDim.x) {
    const uint64_t c = x & ((size_t(1) << vn) - 1), r = (x >> vn) & ((size_t(1) << vm) - 1), h = x >> (vn + vm);
    if (!(h < H && r < m && c < cols && c <= r + offset)) out[x] = Fr::zero();
  }
}

struct Combination {
  const Fr* t[4];
  Fr c[4];
  int n;
};
__global__ void combine_kernel(Fr* out, size_t len, Combination k) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < len; i += (size_t)gridDim.x * blockDim.x) {
    Fr acc = k.c[0] * k.t[0][i];
    for (int f = 1; f < k.n; f++) acc += k.c[f] * k.t[f][i];
    out[i] = acc;
  }
}

__global__ void gather_kernel(Fr* out, size_t n, const uint32_t* rows, const Fr* table, size_t table_rows) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
    out[i] = rows[i] < table_rows ? table[rows[i]] : Fr::zero();
}

// inner == 1: one block per output, its threads along the (contiguous) folded axis.
__global__ void fold_rows_kernel(Fr* out, const Fr* t, const Fr* w, size_t mid) {
  const size_t o = blockIdx.x;
  Fr acc = Fr::zero();
  for (size_t i = threadIdx.x; i < mid; i += blockDim.x) acc += w[i] * t[o * mid + i];
  const Fr total = block_sum<THREADS>(acc);
  if (threadIdx.x == 0) out[o] = total;
}

constexpr int SUM_BLOCKS = 1024;
struct Three {
  const Fr* p[3];
  int n;
};
__global__ void sum_of_products_kernel(Three t, size_t len, Fr* block_sums) {
  Fr acc = Fr::zero();
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < len; i += (size_t)gridDim.x * blockDim.x) {
    Fr v = t.p[0][i];
    for (int f = 1; f < t.n; f++) v *= t.p[f][i];
    acc += v;
  }
  const Fr total = block_sum<THREADS>(acc);
  if (threadIdx.x == 0) block_sums[blockIdx.x] = total;
}

unsigned grid_for(size_t n) { return (unsigned)std::min<size_t>((n + THREADS - 1) / THREADS, 65535u * 4); }

class CudaTensorStore : public TensorStore {
 public:
  CudaTensorStore() { cuda_use_device(); }
  TensorId host(std::vector<Fr> t) override { return keep(DeviceBuffer<Fr>(t.data(), t.size())); }
  TensorId host_copy(const std::vector<Fr>& t) override { return keep(DeviceBuffer<Fr>(t.data(), t.size())); }
  static SeededLayout layout_of(const SeededTensor& s) {
    if (s.dims.size() > MAX_AXES) throw std::invalid_argument("seeded tensor: too many axes");
    checked_padded_size(s.dims);
    SeededLayout L{};
    L.axes = (int)s.dims.size();
    for (int a = 0; a < L.axes; a++) {
      L.dims[a] = s.dims[a];
      for (L.padded[a] = 1; L.padded[a] < s.dims[a];) L.padded[a] <<= 1;
    }
    return L;
  }
  TensorId seeded(const SeededTensor& s) override {
    const SeededLayout L = layout_of(s);
    const size_t n = checked_padded_size(s.dims);
    DeviceBuffer<Fr> b(n);
    seeded_kernel<<<grid_for(n), THREADS>>>(b.get(), n, L, s.seed, s.id, s.lo, s.span, s.pad);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(b));
  }
  // Kept as its point until its entries are needed (a split-eq sumcheck never needs them).
  TensorId eq(const std::vector<Fr>& point) override {
    const TensorId id = keep(DeviceBuffer<Fr>());
    eq_point_[id] = point;
    lazy_eq_[id] = 1;
    return id;
  }
  TensorId eq_broadcast(const std::vector<Fr>& point, int inner_bits) override {
    const std::vector<Fr> e = eq_table(point);
    DeviceBuffer<Fr> small(e.data(), e.size()), b(e.size() << inner_bits);
    broadcast_kernel<<<grid_for(b.size()), THREADS>>>(b.get(), b.size(), small.get(), inner_bits);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(b));
  }
  std::vector<Fr> to_host(TensorId id) override { return get(id).to_host(); }
  TensorId shifted_inverse(TensorId s, const Fr& beta) override {
    const size_t n = get(s).size();
    DeviceBuffer<Fr> a(n);
    DeviceBuffer<unsigned> zero(1);
    CUDA_CHECK(cudaMemset(zero.get(), 0, sizeof(unsigned)));
    shift_kernel<<<grid_for(n), THREADS>>>(a.get(), t_[s].get(), n, beta, zero.get());
    CUDA_CHECK_LAUNCH();
    unsigned z = 0;
    zero.download(&z, 1);
    if (z) throw std::runtime_error("lookup challenge collided with a value; retry with another seed");
    batch_inverse_device(a.get(), n);
    return keep(std::move(a));
  }
  TensorId seeded_gather(const SeededTensor& s, const std::vector<Fr>& table, const Fr& pad) override {
    if (table.size() < s.span) throw std::logic_error("seeded_gather: table shorter than the value range");
    const SeededLayout L = layout_of(s);
    const size_t n = checked_padded_size(s.dims);
    DeviceBuffer<Fr> t(table.data(), table.size()), b(n);
    seeded_gather_kernel<<<grid_for(n), THREADS>>>(b.get(), n, L, s.seed, s.id, s.lo, s.span, t.get(), pad);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(b));
  }
  std::vector<uint64_t> seeded_histogram(const SeededTensor& s, size_t bins) override {
    if (bins < s.span) throw std::logic_error("histogram: fewer bins than values");
    checked_padded_size(s.dims);
    size_t n = 1;
    for (auto d : s.dims) n *= d;
    DeviceBuffer<unsigned long long> counts(bins);
    CUDA_CHECK(cudaMemset(counts.get(), 0, bins * sizeof(unsigned long long)));
    int sms = 0, dev = 0;
    CUDA_CHECK(cudaGetDevice(&dev));
    CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
    CUDA_CHECK(cudaFuncSetAttribute(histogram_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, HIST_BINS * sizeof(unsigned)));
    // a block's 32-bit counters hold at most n / blocks values each
    const unsigned blocks = (unsigned)std::max<size_t>(1, std::min<size_t>((size_t)sms, (n + HIST_THREADS - 1) / HIST_THREADS));
    for (uint64_t b0 = 0; b0 < s.span; b0 += HIST_BINS) {
      const unsigned nb = (unsigned)std::min<uint64_t>(HIST_BINS, s.span - b0);
      histogram_kernel<<<blocks, HIST_THREADS, nb * sizeof(unsigned)>>>(counts.get(), n, s.seed, s.id, s.lo, s.span, b0, nb);
      CUDA_CHECK_LAUNCH();
    }
    const auto c = counts.to_host();
    return std::vector<uint64_t>(c.begin(), c.end());
  }
  TensorId seeded_fold(const SeededTensor& s, int axis, TensorId weights) override {
    if (!s.pad.is_zero()) throw std::logic_error("seeded_fold: the tensor must be zero-padded");
    const DeviceBuffer<Fr>& w = get(weights);
    const SeededLayout L = layout_of(s);
    if (axis < 0 || axis >= L.axes || w.size() != L.padded[axis]) throw std::logic_error("seeded_fold: bad axis or weights");
    size_t outer = 1, inner = 1;
    for (int a = 0; a < axis; a++) outer *= L.padded[a];
    for (int a = axis + 1; a < L.axes; a++) inner *= L.padded[a];
    if (outer * inner > 0x7fffffffu) throw std::invalid_argument("seeded_fold: more than 2^31 outputs");
    DeviceBuffer<Fr> out(outer * inner);
    const size_t outputs = outer * inner;
    seeded_fold_kernel<<<(unsigned)((outputs + FOLD_WARPS - 1) / FOLD_WARPS), FOLD_WARPS * 32>>>(
        out.get(), outputs, L, axis, w.get(), inner, s.seed, s.id, s.lo, s.span);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(out));
  }
  TensorId seeded_matmul(const SeededTensor& a, const SeededTensor& b) override {
    const MatmulPadded P = seeded_matmul_shape(a, b);
    auto draw = [](const SeededTensor& s, size_t n) {
      DeviceBuffer<int32_t> v(n);
      seeded_int32_kernel<<<grid_for(n), THREADS>>>(v.get(), n, layout_of(s), s.seed, s.id, s.lo, s.span);
      CUDA_CHECK_LAUNCH();
      return v;
    };
    const DeviceBuffer<int32_t> A = draw(a, P.num * P.d0 * P.d1), B = draw(b, P.num * P.d1 * P.d2);
    if (P.num > 65535) throw std::invalid_argument("seeded_matmul: more than 65535 instances on the GPU");
    DeviceBuffer<Fr> C(P.num * P.d0 * P.d2);
    const dim3 grid((unsigned)((P.d2 + MM_TILE - 1) / MM_TILE), (unsigned)((P.d0 + MM_TILE - 1) / MM_TILE), (unsigned)P.num);
    int_matmul_kernel<<<grid, MM_THREADS>>>(A.get(), B.get(), C.get(), P.d0, P.d1, P.d2);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(C));
  }
  Fr sum_of_products(const std::vector<TensorId>& ids) override {
    if (ids.empty() || ids.size() > 3) throw std::logic_error("sum_of_products: 1 to 3 tensors");
    Three t{};
    t.n = (int)ids.size();
    for (TensorId id : ids) get(id);
    const size_t len = t_.at(ids[0]).size();
    for (int f = 0; f < t.n; f++) {
      if (t_.at(ids[f]).size() != len) throw std::logic_error("sum_of_products: tensors of different lengths");
      t.p[f] = t_[ids[f]].get();
    }
    DeviceBuffer<Fr> sums(SUM_BLOCKS);
    sum_of_products_kernel<<<SUM_BLOCKS, THREADS>>>(t, len, sums.get());
    CUDA_CHECK_LAUNCH();
    Fr total = Fr::zero();
    for (const Fr& x : sums.to_host()) total += x;
    return total;
  }
  std::unique_ptr<SumcheckEngine> sumcheck(const std::vector<TensorId>& ids, const SumcheckTerms& terms) override {
    std::vector<DeviceBuffer<Fr>> dev;
    if (ids.size() == 3 && lazy_eq_.at(ids[0]) && split_eq_supported(terms)) {
      const std::vector<Fr>& w = eq_point_[ids[0]];
      for (size_t f = 1; f < 3; f++) dev.push_back(std::move(get(ids[f])));
      const auto t0 = std::chrono::steady_clock::now();
      DeviceBuffer<Fr> e0 = eq_table_on_device(w.empty() ? w : std::vector<Fr>(w.begin() + 1, w.end()));
      if (std::getenv("ZKLLM_TRACE")) {
        CUDA_CHECK(cudaDeviceSynchronize());
        std::fprintf(stderr, "[sumcheck cuda] split-eq E_0 of %zu entries: %.3f ms\n", e0.size(),
                     std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
      return make_resident_split_eq_engine(w, std::move(e0), std::move(dev), terms);
    }
    for (TensorId id : ids) dev.push_back(std::move(get(id)));
    return make_resident_sumcheck_engine(std::move(dev), terms);
  }

  TensorId ints(const std::vector<int64_t>& logical, const LogicalDims& dims) override {
    const SeededLayout L = layout_of(SeededTensor{dims});
    const size_t n = checked_padded_size(dims);
    if (logical.size() != AxisLayout(dims).logical_size()) throw std::logic_error("ints: the values do not fill their dims");
    DeviceBuffer<Fr> b(n);
    // half the bytes over the bus when every value is an int32 (digits, table outputs, products)
    bool small = true;
    for (int64_t v : logical) small = small && v == (int64_t)(int32_t)v;
    if (small) {
      std::vector<int32_t> v32(logical.begin(), logical.end());
      DeviceBuffer<int32_t> v(v32.data(), v32.size());
      ints_kernel<<<grid_for(n), THREADS>>>(b.get(), n, L, v.get());
    } else {
      DeviceBuffer<int64_t> v(logical.data(), logical.size());
      ints_kernel<<<grid_for(n), THREADS>>>(b.get(), n, L, v.get());
    }
    CUDA_CHECK_LAUNCH();
    return keep(std::move(b));
  }
  TensorId copy(TensorId id) override {
    const DeviceBuffer<Fr>& src = get(id);
    DeviceBuffer<Fr> b(src.size());
    if (src.size()) CUDA_CHECK(cudaMemcpy(b.get(), src.get(), src.size() * sizeof(Fr), cudaMemcpyDeviceToDevice));
    return keep(std::move(b));
  }
  TensorId repeat_each(TensorId id, int inner_bits) override {
    const DeviceBuffer<Fr>& src = get(id);
    DeviceBuffer<Fr> b(src.size() << inner_bits);
    broadcast_kernel<<<grid_for(b.size()), THREADS>>>(b.get(), b.size(), src.get(), inner_bits);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(b));
  }
  TensorId fold(TensorId id, size_t outer, size_t mid, size_t inner, const std::vector<Fr>& weights) override {
    const DeviceBuffer<Fr>& t = get(id);
    if (t.size() != outer * mid * inner || weights.size() != mid) throw std::logic_error("fold: the tensor or the weights do not match the layout");
    DeviceBuffer<Fr> w(weights.data(), weights.size()), out(outer * inner);
    if (inner == 1) {
      if (outer > 0x7fffffffu) throw std::invalid_argument("fold: more than 2^31 outputs");
      fold_rows_kernel<<<(unsigned)outer, THREADS>>>(out.get(), t.get(), w.get(), mid);
      CUDA_CHECK_LAUNCH();
      return keep(std::move(out));
    }
    // enough chunks of mid for about 2^17 threads
    const size_t outs = outer * inner;
    size_t chunks = std::max<size_t>(1, std::min<size_t>(mid, (size_t(1) << 17) / outs));
    const size_t chunk = (mid + chunks - 1) / chunks;
    chunks = (mid + chunk - 1) / chunk;
    DeviceBuffer<Fr> part(outs * chunks);
    fold_partial_kernel<<<grid_for(outs * chunks), THREADS>>>(part.get(), t.get(), w.get(), outer, mid, inner, chunk, chunks);
    CUDA_CHECK_LAUNCH();
    fold_chunks_sum_kernel<<<grid_for(outs), THREADS>>>(out.get(), part.get(), outs, chunks);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(out));
  }
  TensorId masked_eq(const std::vector<Fr>& point, const LogicalDims& dims, uint64_t offset) override {
    if (dims.size() != 3) throw std::logic_error("masked_eq: [H, m, n] dims");
    AxisLayout L(dims);
    if (point.size() != (size_t)L.vars()) throw std::logic_error("masked_eq: the point does not match the layout");
    DeviceBuffer<Fr> b = eq_table_on_device(point);
    causal_mask_kernel<<<grid_for(b.size()), THREADS>>>(b.get(), b.size(), mle_vars(L.padded[2]), mle_vars(L.padded[1]), dims[0],
                                                         dims[1], dims[2], offset);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(b));
  }
  TensorId combine(const std::vector<std::pair<Fr, TensorId>>& terms) override {
    if (terms.empty() || terms.size() > 4) throw std::logic_error("combine: 1 to 4 tensors");
    Combination k{};
    k.n = (int)terms.size();
    for (const auto& [c, id] : terms) get(id);
    const size_t len = t_.at(terms[0].second).size();
    for (int f = 0; f < k.n; f++) {
      if (t_.at(terms[f].second).size() != len) throw std::logic_error("combine: tensors of different lengths");
      k.t[f] = t_[terms[f].second].get(), k.c[f] = terms[f].first;
    }
    DeviceBuffer<Fr> b(len);
    combine_kernel<<<grid_for(len), THREADS>>>(b.get(), len, k);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(b));
  }
  std::vector<TensorId> gather(const std::vector<uint32_t>& rows, const std::vector<TensorId>& tables) override {
    DeviceBuffer<uint32_t> r(rows.data(), rows.size());
    std::vector<TensorId> out;
    for (TensorId id : tables) {
      DeviceBuffer<Fr> b(rows.size());
      const DeviceBuffer<Fr>& t = get(id);
      gather_kernel<<<grid_for(rows.size()), THREADS>>>(b.get(), rows.size(), r.get(), t.get(), t.size());
      CUDA_CHECK_LAUNCH();
      out.push_back(keep(std::move(b)));
    }
    return out;
  }
  std::unique_ptr<BatchOpening> opening(TensorId t, std::shared_ptr<const PedersenGenerators> key) override {
    DeviceBuffer<Fr> b = std::move(get(t));
    drop(t);
    return cuda::make_field_opening(std::move(key), std::move(b));
  }
  const Fr* device_data(TensorId id) override { return get(id).get(); }
  TensorId fold_of(BatchOpening& e, size_t i, size_t term, size_t w) override {
    const Fr* d = e.device_fold(i, term);
    if (!d) return host(e.fold(i, term));
    DeviceBuffer<Fr> b(w);
    CUDA_CHECK(cudaMemcpy(b.get(), d, w * sizeof(Fr), cudaMemcpyDeviceToDevice));
    return keep(std::move(b));
  }
  std::unique_ptr<IpaEngine> ipa(TensorId a, TensorId b, std::shared_ptr<const PedersenGenerators> key) override {
    DeviceBuffer<Fr> da = std::move(get(a)), db = std::move(get(b));
    drop(a), drop(b);
    return cuda::make_ipa_engine(std::move(key), std::move(da), std::move(db));
  }
  void drop(TensorId id) override {
    t_.at(id) = DeviceBuffer<Fr>();
    lazy_eq_.at(id) = 0;
  }

  void synchronize() override { CUDA_CHECK(cudaDeviceSynchronize()); }
  bool on_device() const override { return true; }
  TensorId device_ints(const int64_t* values, const LogicalDims& dims) override {
    const SeededLayout L = layout_of(SeededTensor{dims});
    const size_t n = checked_padded_size(dims);
    DeviceBuffer<Fr> b(n);
    ints_kernel<<<grid_for(n), THREADS>>>(b.get(), n, L, values);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(b));
  }
  TensorId device_counts(const int64_t* values, size_t count, size_t bins, uint64_t extra) override {
    DeviceBuffer<unsigned long long> counts(bins);
    CUDA_CHECK(cudaMemset(counts.get(), 0, bins * sizeof(unsigned long long)));
    DeviceBuffer<unsigned> bad(1);
    CUDA_CHECK(cudaMemset(bad.get(), 0, sizeof(unsigned)));
    int sms = 0, dev = 0;
    CUDA_CHECK(cudaGetDevice(&dev));
    CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
    CUDA_CHECK(cudaFuncSetAttribute(values_histogram_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, HIST_BINS * sizeof(unsigned)));
    CUDA_CHECK(cudaFuncSetAttribute(values_histogram_wide_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, HIST_BINS * sizeof(unsigned)));
    const unsigned blocks = (unsigned)std::max<size_t>(1, std::min<size_t>((size_t)sms * 2, (count + HIST_THREADS - 1) / HIST_THREADS));
    if (bins > 2 * HIST_BINS) {
      values_histogram_wide_kernel<<<blocks, HIST_THREADS, HIST_BINS * sizeof(unsigned)>>>(counts.get(), values, count, bins, bad.get());
      CUDA_CHECK_LAUNCH();
    } else {
      for (uint64_t b0 = 0; b0 < bins; b0 += HIST_BINS) {
        const unsigned nb = (unsigned)std::min<uint64_t>(HIST_BINS, bins - b0);
        values_histogram_kernel<<<blocks, HIST_THREADS, nb * sizeof(unsigned)>>>(counts.get(), values, count, bins, b0, nb, bad.get());
        CUDA_CHECK_LAUNCH();
      }
    }
    unsigned b = 0;
    bad.download(&b, 1);
    if (b) throw std::logic_error("device_counts: a value outside its table");
    DeviceBuffer<Fr> m(bins);
    counts_kernel<<<grid_for(bins), THREADS>>>(m.get(), counts.get(), bins, extra);
    CUDA_CHECK_LAUNCH();
    return keep(std::move(m));
  }
  std::vector<TensorId> device_gather(const int64_t* values, const LogicalDims& dims, const std::vector<TensorId>& tables,
                                      uint32_t pad_row) override {
    const SeededLayout L = layout_of(SeededTensor{dims});
    const size_t n = checked_padded_size(dims);
    std::vector<TensorId> out;
    for (TensorId id : tables) {
      const DeviceBuffer<Fr>& t = get(id);
      DeviceBuffer<Fr> b(n);
      values_gather_kernel<<<grid_for(n), THREADS>>>(b.get(), n, L, values, t.get(), t.size(), pad_row);
      CUDA_CHECK_LAUNCH();
      out.push_back(keep(std::move(b)));
    }
    return out;
  }

 private:
  TensorId keep(DeviceBuffer<Fr> b) {
    t_.push_back(std::move(b));
    eq_point_.emplace_back();
    lazy_eq_.push_back(0);
    return t_.size() - 1;
  }
  DeviceBuffer<Fr>& get(TensorId id) {
    if (lazy_eq_.at(id)) {
      t_[id] = eq_table_on_device(eq_point_[id]);
      lazy_eq_[id] = 0;
    }
    return t_[id];
  }
  std::vector<DeviceBuffer<Fr>> t_;
  std::vector<std::vector<Fr>> eq_point_;  // the point of an eq tensor not formed yet
  std::vector<char> lazy_eq_;
};
}  // namespace

DeviceBuffer<Fr> eq_table_on_device(const std::vector<Fr>& point, const Fr& scale) {
  const size_t n = size_t(1) << point.size();
  if (point.size() > 16) {
    // the outer product of the tables of the low and high halves of the point (the same values:
    // every entry is scale·Π_j (bit j ? z_j : 1 − z_j))
    const int lo_bits = (int)point.size() / 2;
    DeviceBuffer<Fr> lo = eq_table_on_device(std::vector<Fr>(point.begin(), point.begin() + lo_bits), scale);
    DeviceBuffer<Fr> hi = eq_table_on_device(std::vector<Fr>(point.begin() + lo_bits, point.end()));
    DeviceBuffer<Fr> b(n);
    eq_outer_kernel<<<grid_for(n), THREADS>>>(b.get(), n, lo.get(), hi.get(), lo_bits);
    CUDA_CHECK_LAUNCH();
    return b;
  }
  DeviceBuffer<Fr> b(n);
  b.upload(&scale, 1);
  for (size_t j = 0, half = 1; j < point.size(); j++, half *= 2) {
    eq_level_kernel<<<grid_for(half), THREADS>>>(b.get(), half, point[j]);
    CUDA_CHECK_LAUNCH();
  }
  return b;
}

namespace cuda {
std::unique_ptr<TensorStore> make_tensor_store() { return std::make_unique<CudaTensorStore>(); }
size_t free_device_bytes() {
  cuda_use_device();
  return device_free_bytes();
}
}  // namespace cuda
