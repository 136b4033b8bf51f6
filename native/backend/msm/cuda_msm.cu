// Pippenger MSM on the GPU, batched over rows that share one point vector (msm_rows.h); g1_msm is
// the one-row case. Per group g = (row, window) and bucket d (1 <= d < 2^c):
//   1. digits: the window digits of every scalar (with a negate flag for negative integers);
//   2. counting sort of element indices by (g, d): histogram with atomics, exclusive scan, scatter;
//   3. bucket sums: threads add chunks of at most 32 of a bucket's points (mixed addition, −P where
//      flagged), then chunks of those sums, until one sum per bucket is left;
//   4. per group Σ d·S_d: buckets split into segments, each segment gives its running-sum total
//      plus (first bucket − 1)·(segment sum), and the segments are added pairwise;
//   5. the host combines each row's windows with c doublings each.
// Addition order inside a bucket depends on the scatter, but the group sum does not, and callers
// normalise to affine, so the result is the same bytes as the CPU's. Rows are launched in batches
// that keep the device buffers under a memory budget.
#include <algorithm>
#include <chrono>
#include "../../curve/msm_windows.h"
#include "../device/cuda_common.cuh"
#include "cuda_msm.cuh"
#include "cuda_scan.cuh"

namespace {

// Buckets per thread in the running-sum reduction: long segments for big MSMs, short ones when
// there are few buckets, so that the serial chains stay short and enough threads run.
constexpr unsigned MAX_SEGMENT = 64, MIN_SEGMENT = 8;
unsigned segment_for(size_t total_buckets) {
  unsigned seg = MAX_SEGMENT;
  while (seg > MIN_SEGMENT && total_buckets / seg < 32768) seg /= 2;
  return seg;
}

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

// Segment t of group g covers buckets [lo, lo + segment). Its share of Σ d·S_d is
// Σ (d − lo + 1)·S_d (the running sum) + (lo − 1)·Σ S_d.
__global__ void segment_reduce_kernel(const G1Jacobian* buckets, G1Jacobian* segments, int c, unsigned segment,
                                      size_t segs_per_group, size_t total_segments) {
  const size_t g = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (g >= total_segments) return;
  const size_t grp = g / segs_per_group, t = g % segs_per_group;
  const size_t nb = size_t(1) << c;
  const size_t lo = t * segment, hi = lo + segment < nb ? lo + segment : nb;
  G1Jacobian running = G1Jacobian::identity(), total = G1Jacobian::identity();
  for (size_t d = hi; d-- > lo;) {
    if (d == 0) break;  // bucket 0 collects zero digits and is never filled
    running = running.add(buckets[grp * nb + d]);
    total = total.add(running);
  }
  if (lo > 1) {
    // (lo − 1)·running by double-and-add over at most 20 bits
    G1Jacobian acc = G1Jacobian::identity();
    const uint64_t k = lo - 1;
    for (int bit = 63 - __clzll((long long)k); bit >= 0; bit--) {
      acc = acc.dbl();
      if ((k >> bit) & 1) acc = acc.add(running);
    }
    total = total.add(acc);
  }
  segments[g] = total;
}

// segments[g·stride + j] += segments[g·stride + j + half] for j < half (tail element carried).
__global__ void pairwise_sum_kernel(G1Jacobian* segs, size_t stride, size_t len, size_t groups) {
  const size_t half = len / 2;
  const size_t g = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (g >= half * groups) return;
  const size_t grp = g / half, j = g % half;
  G1Jacobian* base = segs + grp * stride;
  base[j] = base[j].add(base[j + (len - half)]);
}

// Device bytes per row of `cols` elements: digits and sorted indices per window, then per bucket
// a count, an offset, a cursor and a Jacobian sum, the chunk counts, offsets and owners and two
// levels of chunk sums (at most one chunk per bucket plus one per CHUNK entries), then the
// segment sums.
size_t bytes_per_row(size_t cols, int c, int windows) {
  const size_t nb = size_t(1) << c, segs = (nb + MIN_SEGMENT - 1) / MIN_SEGMENT, chunks = nb + cols / CHUNK + 1;
  return windows * (cols * 2 * sizeof(uint32_t) + nb * (7 * sizeof(uint32_t) + sizeof(G1Jacobian)) +
                    chunks * (sizeof(uint32_t) + 2 * sizeof(G1Jacobian)) + segs * sizeof(G1Jacobian));
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

  const unsigned segment = segment_for(total_buckets);
  const size_t segs = (nb + segment - 1) / segment, total_segs = segs * groups;
  G1Jacobian* seg_sums = sized(ws.segments, total_segs);
  segment_reduce_kernel<<<blocks_for(total_segs, 64), 64>>>(buckets, seg_sums, c, segment, segs, total_segs);
  CUDA_CHECK_LAUNCH();
  for (size_t len = segs; len > 1; len -= len / 2) {
    pairwise_sum_kernel<<<blocks_for((len / 2) * groups, 64), 64>>>(seg_sums, segs, len, groups);
    CUDA_CHECK_LAUNCH();
  }
  CUDA_CHECK(cudaMemcpy2D(sums, sizeof(G1Jacobian), seg_sums, segs * sizeof(G1Jacobian), sizeof(G1Jacobian), groups,
                          cudaMemcpyDeviceToHost));
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
