// Pippenger MSM on the GPU, batched over rows that share one point vector (msm_rows.h); g1_msm is
// the one-row case. Per group g = (row, window) and bucket d (1 <= d < 2^c):
//   1. digits: the window digits of every scalar (with a negate flag for negative integers);
//   2. counting sort of element indices by (g, d): histogram with atomics, exclusive scan, scatter;
//   3. bucket sums: threads add chunks of at most 32 of a bucket's points (mixed addition, −P where
//      flagged), then chunks of those sums, until one sum per bucket is left;
//   4. per group Σ d·S_d, in place in the bucket array: running sums over short segments, then a
//      binary tree whose levels cost one addition and one doubling each (reduce_level_kernel);
//   5. the host combines each row's windows with c doublings each.
// Addition order inside a bucket depends on the scatter, but the group sum does not, and callers
// normalise to affine, so the result is the same bytes as the CPU's. Rows are launched in batches
// that keep the device buffers under a memory budget.
#include <algorithm>
#include <chrono>
#include <type_traits>
#include "../../curve/msm_windows.h"
#include "../device/cuda_common.cuh"
#include "cuda_msm.cuh"
#include "cuda_scan.cuh"

namespace {

template <class Digits>
__global__ void digits_kernel(Digits digit_of, uint32_t* digits, uint32_t* counts, size_t n, size_t cols, int c,
                              int windows) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= n) return;
  const size_t nb = size_t(1) << c, row = i / cols;
  for (int w = 0; w < windows; w++) {
    const uint32_t d = digit_of(i, w * c, c);
    digits[w * n + i] = d;
    const uint32_t mag = d & ~MSM_DIGIT_NEGATE;
    if (mag) atomicAdd(&counts[(row * windows + w) * nb + mag], 1u);
  }
}

// Sorted entries are element indices with the negate flag in the top bit (n < 2^31).
__global__ void scatter_kernel(const uint32_t* digits, uint32_t* cursor, uint32_t* sorted, size_t n, size_t cols,
                               int c, int windows) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= n) return;
  const size_t nb = size_t(1) << c, row = i / cols;
  for (int w = 0; w < windows; w++) {
    const uint32_t d = digits[w * n + i];
    const uint32_t mag = d & ~MSM_DIGIT_NEGATE;
    if (mag) sorted[atomicAdd(&cursor[(row * windows + w) * nb + mag], 1u)] = (uint32_t)i | (d & MSM_DIGIT_NEGATE);
  }
}

// Bucket sums in chunks of at most CHUNK entries, so a bucket that many digits share (skewed
// scalars: small or structured values) is summed by many threads instead of one long chain.
// Level 0 sums chunks of a bucket's sorted point indices; each later level sums chunks of the
// previous level's partial sums, until no bucket has more than one.
constexpr uint32_t CHUNK = 32;

struct PointEntries {
  const G1Affine* points;
  size_t cols;
  const uint32_t* sorted;
  __device__ G1Jacobian add(const G1Jacobian& acc, uint32_t idx) const {
    const uint32_t e = sorted[idx];
    const G1Affine p = points[(e & ~MSM_DIGIT_NEGATE) % cols];
    return acc.add_mixed((e & MSM_DIGIT_NEGATE) ? p.neg() : p);
  }
};
struct PartialEntries {
  const G1Jacobian* partial;
  __device__ G1Jacobian add(const G1Jacobian& acc, uint32_t idx) const { return acc.add(partial[idx]); }
};

__global__ void chunk_count_kernel(const uint32_t* counts, uint32_t* chunks, uint32_t* max_chunks, size_t nb) {
  const size_t b = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (b >= nb) return;
  const uint32_t k = (counts[b] + CHUNK - 1) / CHUNK;
  chunks[b] = k;
  if (k > 1) atomicMax(max_chunks, k);
}

// stats[1] = total number of chunks (after the exclusive scan of the chunk counts).
__global__ void chunk_total_kernel(const uint32_t* chunk_offsets, const uint32_t* chunks, size_t nb, uint32_t* stats) {
  stats[1] = chunk_offsets[nb - 1] + chunks[nb - 1];
}

__global__ void chunk_owner_kernel(const uint32_t* chunk_offsets, const uint32_t* chunks, uint32_t* owner, size_t nb) {
  const size_t b = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (b >= nb) return;
  for (uint32_t j = 0; j < chunks[b]; j++) owner[chunk_offsets[b] + j] = (uint32_t)b;
}

template <class Entries>
__global__ void chunk_sum_kernel(Entries entries, const uint32_t* offsets, const uint32_t* counts,
                                 const uint32_t* chunk_offsets, const uint32_t* owner, size_t total_chunks,
                                 G1Jacobian* out) {
  const size_t t = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (t >= total_chunks) return;
  const uint32_t b = owner[t], j = (uint32_t)t - chunk_offsets[b];
  const uint32_t start = offsets[b] + j * CHUNK, end = min(start + CHUNK, offsets[b] + counts[b]);
  G1Jacobian acc = G1Jacobian::identity();
  for (uint32_t idx = start; idx < end; idx++) acc = entries.add(acc, idx);
  out[t] = acc;
}

__global__ void gather_buckets_kernel(const G1Jacobian* partial, const uint32_t* chunk_offsets, const uint32_t* chunks,
                                      G1Jacobian* buckets, size_t nb) {
  const size_t b = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (b < nb) buckets[b] = chunks[b] ? partial[chunk_offsets[b]] : G1Jacobian::identity();
}

// Σ_d d·S_d per group of N = 2^c buckets (S_0 is empty), in place in the bucket array. Node (h, t)
// is buckets [t·2^h, (t+1)·2^h); bit h of d is set exactly when d lies in an odd node of height h, so
//   Σ_d d·S_d = Σ_h Σ_{t odd} 2^h·(Σ of node (h, t)),
// with no multiplication left once each node's scaled total 2^h·Σ is known. Level h writes those of
// height h + 1, 2·(left + right), over the left child's slot, so that the right child's slot keeps
// its term, and halves the sums of the terms of each lower height: after level h, slot
// t·2^(h+1) + 2^k holds the sum of the height-k terms inside node (h + 1, t). That is one addition
// and one doubling in a row per level, 2c in all, and no method needs fewer: each step at most
// doubles the total of the coefficients, which is about N²/2. When there are buckets enough that
// throughput is what counts, running sums over segments of 2^m buckets (fewer operations) replace
// the levels below m: a segment's Σ e·S_{t·2^m + e}, at its slot + 1, stands for its terms of
// heights below m.

// A level of few items gives each item a quad of lanes, which run the independent multiplications of
// one point operation side by side; wide levels, limited by throughput, take one lane per item.
constexpr size_t QUAD_MAX_ITEMS = 16384;
// Segments of 2^m buckets, the largest m in [STAGE_MIN_BITS, min(STAGE_MAX_BITS, c)] that leaves at
// least STAGE_MIN_ITEMS segments (about one wave of the stage kernel), else m = 1 (levels only). On
// the H200 fewer segments, with their long chains, were slower, and so were segments of 4 than
// levels 0 and 1. The stage is wide by this rule, so it runs one lane per item.
constexpr int STAGE_MIN_BITS = 3, STAGE_MAX_BITS = 6;
constexpr size_t STAGE_MIN_ITEMS = size_t(1) << 15;
static_assert(STAGE_MIN_ITEMS > QUAD_MAX_ITEMS, "the stage kernel has no quad form");

__device__ __forceinline__ Fq pick(int lane, const Fq& a, const Fq& b, const Fq& c, const Fq& d) {
  Fq r;
#pragma unroll
  for (int i = 0; i < Fq::LIMBS; i++) r.v[i] = lane == 0 ? a.v[i] : lane == 1 ? b.v[i] : lane == 2 ? c.v[i] : d.v[i];
  return r;
}

__device__ __forceinline__ Fq from_lane(const Fq& x, int src, unsigned mask) {
  Fq r;
#pragma unroll
  for (int i = 0; i < Fq::LIMBS; i++) r.v[i] = __shfl_sync(mask, x.v[i], src, 4);
  return r;
}

// G1Jacobian::dbl by the four lanes of a quad (3 multiplications in a row instead of 7); every lane
// returns the same point, with the same coordinates.
__device__ G1Jacobian quad_dbl(const G1Jacobian& p, int lane, unsigned mask) {
  if (p.is_identity() || p.Y.is_zero()) return G1Jacobian::identity();
  const Fq m1 = pick(lane, p.X, p.Y, p.Y, p.X) * pick(lane, p.X, p.Y, p.Z, p.X);  // A, B, Y·Z
  const Fq a = from_lane(m1, 0, mask), b = from_lane(m1, 1, mask), yz = from_lane(m1, 2, mask);
  const Fq e = a.dbl() + a;
  const Fq s2 = pick(lane, b, p.X + b, e, e);
  const Fq m2 = s2 * s2;  // C, (X + B)², F
  const Fq c = from_lane(m2, 0, mask), d = (from_lane(m2, 1, mask) - a - c).dbl();
  G1Jacobian r;
  r.X = from_lane(m2, 2, mask) - d.dbl();
  r.Y = e * (d - r.X) - c.dbl().dbl().dbl();
  r.Z = yz.dbl();
  return r;
}

// G1Jacobian::add by a quad (5 multiplications in a row instead of 16), same coordinates.
__device__ G1Jacobian quad_add(const G1Jacobian& p, const G1Jacobian& q, int lane, unsigned mask) {
  if (q.is_identity()) return p;
  if (p.is_identity()) return q;
  const Fq m1 = pick(lane, p.Z, q.Z, p.Y, q.Y) * pick(lane, p.Z, q.Z, q.Z, p.Z);  // Z1Z1, Z2Z2, Y1·Z2, Y2·Z1
  const Fq z1z1 = from_lane(m1, 0, mask), z2z2 = from_lane(m1, 1, mask);
  const Fq m2 = pick(lane, p.X, q.X, m1, m1) * pick(lane, z2z2, z1z1, z2z2, z1z1);  // U1, U2, S1, S2
  const Fq u1 = from_lane(m2, 0, mask), s1 = from_lane(m2, 2, mask);
  const Fq h = from_lane(m2, 1, mask) - u1, rr = (from_lane(m2, 3, mask) - s1).dbl();
  if (h.is_zero()) return rr.is_zero() ? quad_dbl(p, lane, mask) : G1Jacobian::identity();
  const Fq s3 = pick(lane, h.dbl(), rr, p.Z + q.Z, rr);
  const Fq m3 = s3 * s3;  // I, rr², (Z1 + Z2)²
  const Fq i = from_lane(m3, 0, mask), rr2 = from_lane(m3, 1, mask);
  const Fq m4 = pick(lane, h, u1, m3 - z1z1 - z2z2, h) * pick(lane, i, i, h, i);  // J, V, Z3
  const Fq j = from_lane(m4, 0, mask), v = from_lane(m4, 1, mask);
  G1Jacobian r;
  r.X = rr2 - j - v.dbl();
  const Fq m5 = pick(lane, s1, rr, s1, s1) * pick(lane, j, v - r.X, j, j);  // S1·J, rr·(V − X3)
  r.Y = from_lane(m5, 1, mask) - from_lane(m5, 0, mask).dbl();
  r.Z = from_lane(m4, 2, mask);
  return r;
}

// The lanes of one item (aligned in the warp, all taking the same branches) and their point operations.
template <int LANES>
__device__ __forceinline__ G1Jacobian lanes_add(const G1Jacobian& p, const G1Jacobian& q) {
  if constexpr (LANES == 1) return p.add(q);
  else return quad_add(p, q, threadIdx.x & 3, 0xfu << (threadIdx.x & 28));
}
template <int LANES>
__device__ __forceinline__ G1Jacobian lanes_dbl(const G1Jacobian& p) {
  if constexpr (LANES == 1) return p.dbl();
  else return quad_dbl(p, threadIdx.x & 3, 0xfu << (threadIdx.x & 28));
}
template <int LANES>
__device__ __forceinline__ bool lead_lane() {
  return threadIdx.x % LANES == 0;
}
// Before the lead lane overwrites a slot that the other lanes of its quad have read.
template <int LANES>
__device__ __forceinline__ void lanes_sync() {
  if constexpr (LANES > 1) __syncwarp(0xfu << (threadIdx.x & 28));
}

// Item = segment of 2^m buckets, m >= 2 (the groups' segments in a row): its Σ e·S_{t·2^m + e} to
// slot 1 and, except in a group's first segment (weight 0 above), 2^m·Σ S to slot 0. With m = c the
// segment is the whole group, and slot 1 gets its Σ d·S_d.
__global__ void reduce_stage_kernel(G1Jacobian* buckets, int c, int m, size_t total) {
  const size_t item = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (item >= total) return;
  G1Jacobian* b = buckets + (item << m);
  G1Jacobian run = G1Jacobian::identity(), local = G1Jacobian::identity();
  for (size_t e = (size_t(1) << m) - 1; e > 0; e--) {
    run = run.add(b[e]);
    local = local.add(run);
  }
  b[1] = local;
  if ((item & ((size_t(1) << (c - m)) - 1)) == 0) return;
  G1Jacobian scaled = run.add(b[0]);
  for (int i = 0; i < m; i++) scaled = scaled.dbl();
  b[0] = scaled;
}

// Level h (m <= h <= c − 2; from h = 0 when m = 1) makes the `nodes` nodes of height h + 1 of each
// group. Its items per group: the scaled totals of nodes 1.. (node 0 has weight 0), then for each
// sum of terms (the segments' at offset 1, those of height k at 2^k for m <= k < h) the halving of
// its partial sums. No item reads a slot that another writes.
template <int LANES>
__global__ void reduce_level_kernel(G1Jacobian* buckets, int c, int m, int h, size_t per_group, size_t total) {
  const size_t item = (blockIdx.x * (size_t)blockDim.x + threadIdx.x) / LANES;
  if (item >= total) return;
  const size_t grp = item / per_group, r = item % per_group, nodes = size_t(1) << (c - h - 1);
  G1Jacobian* b = buckets + (grp << c);
  size_t at;
  const bool scale = r < nodes - 1;
  if (scale) {
    at = (r + 1) << (h + 1);
  } else {
    const size_t j = (r - (nodes - 1)) / nodes, t = (r - (nodes - 1)) % nodes;
    at = (t << (h + 1)) + (j == 0 ? 1 : size_t(1) << (m + j - 1));
  }
  G1Jacobian s = lanes_add<LANES>(b[at], b[at + (size_t(1) << h)]);
  if (scale) s = lanes_dbl<LANES>(s);
  lanes_sync<LANES>();
  if (lead_lane<LANES>()) b[at] = s;
}

// After the last level (of height c − 1) final_values(c, m) values per group are left: the c − m
// sums of terms of each half and the upper half's scaled total; with m = c (c = 1 included) just the
// one at slot 1. They are added as a tree in place, each block holding as many whole groups as fit.
constexpr unsigned FINAL_THREADS = 128;
ZK_HD int final_values(int c, int m) { return m == c ? 1 : 2 * (c - m) + 1; }
ZK_HD size_t final_slot(int c, int m, int i) {
  const int sums = c - m;
  const size_t top = size_t(1) << (c - 1);
  if (m == c) return 1;
  if (i == 2 * sums) return top;
  const int j = i < sums ? i : i - sums;
  const size_t offset = j == 0 ? 1 : size_t(1) << (m + j - 1);
  return i < sums ? offset : top + offset;
}
ZK_HD int final_width(int c, int m) { return final_values(c, m) > 1 ? final_values(c, m) / 2 : 1; }

template <int LANES>
__global__ void reduce_final_kernel(G1Jacobian* buckets, int c, int m, size_t groups, G1Jacobian* out) {
  const int count = final_values(c, m), width = final_width(c, m), per_block = FINAL_THREADS / LANES / width;
  const int local = threadIdx.x / LANES / width, j = threadIdx.x / LANES % width;
  const size_t grp = (size_t)blockIdx.x * per_block + local;
  const bool active = local < per_block && grp < groups;
  G1Jacobian* b = buckets + (grp << c);
  for (int len = count; len > 1; len -= len / 2) {
    const int half = len / 2;
    if (active && j < half) {
      const G1Jacobian s = lanes_add<LANES>(b[final_slot(c, m, j)], b[final_slot(c, m, j + len - half)]);
      lanes_sync<LANES>();
      if (lead_lane<LANES>()) b[final_slot(c, m, j)] = s;
    }
    __syncthreads();
  }
  if (active && j == 0 && lead_lane<LANES>()) out[grp] = b[final_slot(c, m, 0)];
}

// Device bytes per row of `cols` elements: digits and sorted indices per window, then per bucket
// a count, an offset, a cursor and a Jacobian sum, the chunk counts, offsets and owners and two
// levels of chunk sums (at most one chunk per bucket plus one per CHUNK entries), then the
// window sum (the reduction works in the bucket array).
size_t bytes_per_row(size_t cols, int c, int windows) {
  const size_t nb = size_t(1) << c, chunks = nb + cols / CHUNK + 1;
  return windows * (cols * 2 * sizeof(uint32_t) + nb * (7 * sizeof(uint32_t) + sizeof(G1Jacobian)) +
                    chunks * (sizeof(uint32_t) + 2 * sizeof(G1Jacobian)) + sizeof(G1Jacobian));
}

template <class T>
T* sized(DeviceBuffer<T>& b, size_t n) {
  if (b.size() < n) b = DeviceBuffer<T>(n);
  return b.get();
}

// buckets[b] = Σ of bucket b's entries (sorted[offsets[b] .. + counts[b]) as points), level by level.
void bucket_sums(const G1Affine* d_points, size_t cols, const uint32_t* sorted, const uint32_t* offsets,
                 const uint32_t* counts, size_t nb, G1Jacobian* buckets, MsmScratch& ws) {
  const G1Jacobian* in = nullptr;
  uint32_t* dstats = sized(ws.chunk_stats, 2);  // largest chunk count, number of chunks
  for (int level = 0;; level++) {
    uint32_t* chunks = sized(ws.chunk_counts[level & 1], nb);
    uint32_t* coff = sized(ws.chunk_offsets[level & 1], nb);
    CUDA_CHECK(cudaMemsetAsync(dstats, 0, sizeof(uint32_t)));
    chunk_count_kernel<<<blocks_for(nb, 256), 256>>>(counts, chunks, dstats, nb);
    CUDA_CHECK_LAUNCH();
    exclusive_scan_u32(chunks, coff, nb, sized(ws.scan, exclusive_scan_scratch(nb)));
    chunk_total_kernel<<<1, 1>>>(coff, chunks, nb, dstats);
    CUDA_CHECK_LAUNCH();
    uint32_t stats[2];  // one read per level: the largest chunk count and the number of chunks
    CUDA_CHECK(cudaMemcpy(stats, dstats, sizeof(stats), cudaMemcpyDeviceToHost));
    const uint32_t max_chunks = stats[0];
    const size_t total = stats[1];
    uint32_t* owner = sized(ws.chunk_owner, total + 1);
    chunk_owner_kernel<<<blocks_for(nb, 256), 256>>>(coff, chunks, owner, nb);
    CUDA_CHECK_LAUNCH();
    G1Jacobian* out = sized(ws.chunk_sums[level & 1], total + 1);
    if (level == 0)
      chunk_sum_kernel<<<blocks_for(total, 128), 128>>>(PointEntries{d_points, cols, sorted}, offsets, counts, coff,
                                                        owner, total, out);
    else
      chunk_sum_kernel<<<blocks_for(total, 128), 128>>>(PartialEntries{in}, offsets, counts, coff, owner, total, out);
    CUDA_CHECK_LAUNCH();
    if (max_chunks <= 1) {
      gather_buckets_kernel<<<blocks_for(nb, 256), 256>>>(out, coff, chunks, buckets, nb);
      CUDA_CHECK_LAUNCH();
      return;
    }
    in = out, offsets = coff, counts = chunks;
  }
}

// Runs launch(std::integral_constant<int, LANES>) with quads when the items are few.
template <class Launch>
void by_lanes(size_t items, Launch launch) {
  if (items <= QUAD_MAX_ITEMS) launch(std::integral_constant<int, 4>());
  else launch(std::integral_constant<int, 1>());
  CUDA_CHECK_LAUNCH();
}

// out[g] = Σ_d d·buckets[g·2^c + d] for each group (device memory); the buckets are overwritten.
void reduce_groups(G1Jacobian* buckets, int c, size_t groups, G1Jacobian* out) {
  if (c < 1 || final_width(c, 1) * 4 > FINAL_THREADS) throw std::logic_error("bucket reduction: bad window size");
  const size_t total_buckets = groups << c;
  int m = 1;
  for (int k = STAGE_MIN_BITS; k <= std::min(STAGE_MAX_BITS, c); k++)
    if ((total_buckets >> k) >= STAGE_MIN_ITEMS) m = k;
  // Segments of 2 are level 0 (h = 0 has no sums of terms to halve yet).
  if (m > 1) {
    const size_t items = total_buckets >> m;
    reduce_stage_kernel<<<blocks_for(items, 64), 64>>>(buckets, c, m, items);
    CUDA_CHECK_LAUNCH();
  }
  for (int h = m > 1 ? m : 0; h <= c - 2; h++) {
    const size_t nodes = size_t(1) << (c - h - 1), per_group = nodes - 1 + (size_t)(1 + h - m) * nodes;
    const size_t items = per_group * groups;
    by_lanes(items, [&](auto lanes) {
      reduce_level_kernel<lanes()><<<blocks_for(items * lanes(), 64), 64>>>(buckets, c, m, h, per_group, items);
    });
  }
  const size_t width = final_width(c, m);
  by_lanes(groups * width, [&](auto lanes) {
    const size_t per_block = FINAL_THREADS / lanes() / width;
    reduce_final_kernel<lanes()><<<blocks_for(groups, per_block), FINAL_THREADS>>>(buckets, c, m, groups, out);
  });
}

// Window sums of rows [0, rows) of the batch whose scalars start at d_scalars (device), into
// sums[row · windows + w].
template <class Digits>
void batch_window_sums(const G1Affine* d_points, size_t cols, Digits digit_of, size_t n, int c, int windows,
                       G1Jacobian* sums, MsmScratch& ws) {
  const size_t rows = (n + cols - 1) / cols, groups = rows * windows;
  const size_t nb = size_t(1) << c, total_buckets = nb * groups;
  uint32_t* digits = sized(ws.digits, n * windows);
  uint32_t* counts = sized(ws.counts, total_buckets);
  uint32_t* offsets = sized(ws.offsets, total_buckets);
  uint32_t* cursor = sized(ws.cursor, total_buckets);
  uint32_t* sorted = sized(ws.sorted, n * windows);
  CUDA_CHECK(cudaMemset(counts, 0, total_buckets * sizeof(uint32_t)));
  digits_kernel<<<blocks_for(n, 256), 256>>>(digit_of, digits, counts, n, cols, c, windows);
  CUDA_CHECK_LAUNCH();
  exclusive_scan_u32(counts, offsets, total_buckets, sized(ws.scan, exclusive_scan_scratch(total_buckets)));
  CUDA_CHECK(cudaMemcpyAsync(cursor, offsets, total_buckets * sizeof(uint32_t), cudaMemcpyDeviceToDevice));
  scatter_kernel<<<blocks_for(n, 256), 256>>>(digits, cursor, sorted, n, cols, c, windows);
  CUDA_CHECK_LAUNCH();
  G1Jacobian* buckets = sized(ws.buckets, total_buckets);
  bucket_sums(d_points, cols, sorted, offsets, counts, total_buckets, buckets, ws);

  G1Jacobian* group_sums = sized(ws.segments, groups);
  reduce_groups(buckets, c, groups, group_sums);
  CUDA_CHECK(cudaMemcpy(sums, group_sums, groups * sizeof(G1Jacobian), cudaMemcpyDeviceToHost));
}

}  // namespace

namespace {

// The bucket method over points already on the device; scalars on the device when
// `scalars_on_device`, else uploaded one batch of rows at a time.
void msm_rows(const G1Affine* d_points, size_t cols, const MsmRowsScalars& s, size_t n, G1Jacobian* out,
              bool scalars_on_device, float& compute_ms) {
  const size_t rows = (n + cols - 1) / cols;
  const int bits = s.ints ? std::min(s.bits, 32) : std::min(s.bits, SCALAR_BITS);
  compute_ms = 0;
  if (bits <= 0 || n == 0) {
    for (size_t r = 0; r < rows; r++) out[r] = G1Jacobian::identity();
    return;
  }
  const int c = msm_even_window_bits(bits, msm_window_bits(cols));
  const int windows = (bits + c - 1) / c;
  if (cols * (size_t)windows >= (size_t(1) << 31))
    throw std::invalid_argument("MSM of more than 2^31 digits per row is not supported on the GPU");

  // Rows per launch: within a quarter of free device memory (at most 4 GiB), and few enough that
  // every index fits the 31 bits the sorted entries keep beside the negate flag.
  const size_t free_b = device_free_bytes();
  const size_t budget = std::min(free_b / 4, size_t(4) << 30);
  size_t batch_rows = std::max<size_t>(1, budget / bytes_per_row(cols, c, windows));
  batch_rows = std::min({batch_rows, rows, ((size_t(1) << 31) - 1) / (cols * windows)});
  batch_rows = std::max<size_t>(batch_rows, 1);

  std::vector<G1Jacobian> sums(rows * windows);
  MsmScratch scratch;
  // compute_ms counts the bucket method alone: scalar uploads fall between the timed spans.
  for (size_t r0 = 0; r0 < rows; r0 += batch_rows) {
    const size_t first = r0 * cols, len = std::min(n, (r0 + batch_rows) * cols) - first;
    CudaEvent start, stop;
    G1Jacobian* batch_sums = sums.data() + r0 * windows;
    if (s.ints) {
      DeviceBuffer<int32_t> d_s(scalars_on_device ? 0 : len);
      if (!scalars_on_device) d_s.upload(s.ints + first, len);
      start.record();
      batch_window_sums(d_points, cols, Int32Digits{scalars_on_device ? s.ints + first : d_s.get()}, len, c, windows,
                        batch_sums, scratch);
    } else {
      DeviceBuffer<ScalarRaw> d_s(scalars_on_device ? 0 : len);
      if (!scalars_on_device) d_s.upload(s.raw + first, len);
      start.record();
      batch_window_sums(d_points, cols, RawScalarDigits{scalars_on_device ? s.raw + first : d_s.get()}, len, c, windows,
                        batch_sums, scratch);
    }
    stop.record();
    compute_ms += stop.ms_since(start);
  }

  for (size_t row = 0; row < rows; row++) {
    G1Jacobian acc = G1Jacobian::identity();
    for (int w = windows - 1; w >= 0; w--) {
      for (int k = 0; k < c; k++) acc = acc.dbl();
      acc = acc.add(sums[row * windows + w]);
    }
    out[row] = acc;
  }
}

}  // namespace

namespace cuda {

void g1_msm_rows(const G1Affine* points, size_t cols, const MsmRowsScalars& s, size_t n, G1Jacobian* out,
                 MsmTiming* timing) {
  cuda_use_device();
  auto t0 = std::chrono::steady_clock::now();
  if (cols == 0) throw std::invalid_argument("g1_msm_rows: zero columns");
  DeviceBuffer<G1Affine> d_points(points, cols);
  float compute_ms = 0;
  msm_rows(d_points.get(), cols, s, n, out, false, compute_ms);
  if (timing) {
    timing->compute_ms = compute_ms;
    timing->total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
}

void g1_msm_rows_on_device(const G1Affine* d_points, size_t cols, const MsmRowsScalars& d_s, size_t n, G1Jacobian* out) {
  if (cols == 0) throw std::invalid_argument("g1_msm_rows: zero columns");
  float compute_ms = 0;
  msm_rows(d_points, cols, d_s, n, out, true, compute_ms);
}

void g1_msm_rows_table(const G1Affine* d_table, size_t stride, size_t used, int windows, int c, const ScalarRaw* d_s,
                       size_t n, G1Jacobian* out, MsmScratch& scratch) {
  if (windows * c < SCALAR_BITS) throw std::logic_error("window table too short for the scalars");
  if (used == 0 || used > stride) throw std::logic_error("window table: bad row length");
  const size_t cols = stride * (size_t)windows, rows = (n + used - 1) / used;
  // Rows per pass: at most 2^27 digits (1 GiB of digits and sorted entries).
  const size_t batch = std::max<size_t>(1, (size_t(1) << 27) / cols);
  if (cols >= (size_t(1) << 31)) throw std::invalid_argument("window-table MSM above 2^31 digits per row");
  for (size_t r0 = 0; r0 < rows; r0 += batch) {
    const size_t rb = std::min(batch, rows - r0), first = r0 * used;
    WindowTableDigits digits{d_s + first, stride, used, cols, n - first, c};
    batch_window_sums(d_table, cols, digits, rb * cols, c, 1, out + r0, scratch);
  }
}

G1Jacobian g1_msm(const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing) {
  if (n == 0) {
    cuda_use_device();
    if (timing) *timing = MsmTiming{};
    return G1Jacobian::identity();
  }
  if (n > 0x7fffffffu) throw std::invalid_argument("MSM size above 2^31 points is not supported on the GPU");
  G1Jacobian r;
  MsmRowsScalars s;
  s.raw = scalars;
  g1_msm_rows(points, n, s, n, &r, timing);
  return r;
}

}  // namespace cuda
