#include "cuda_finish_rounds.cuh"
#include <cooperative_groups.h>
#include <cstring>
#include "../../proto/transcript_steps.cuh"
#include "../field/wide_sum.cuh"
#include "sumcheck_pair_values.cuh"

namespace cg = cooperative_groups;

namespace {
constexpr int THREADS = 256;
// Below this many pairs block 0 finishes alone: a block barrier instead of a grid barrier.
constexpr size_t SOLO_PAIRS = 2 * THREADS;

struct FinishArgs {
  Fr* buf[2][SUMCHECK_MAX_TENSORS];
  size_t len;
  int rounds;
  const char* labels;        // the labels' bytes, back to back
  const uint32_t* label_at;  // round j's label is [label_at[2j], label_at[2j+1]), its challenge's the next
  Sha256* state;
  Fr* block_sums;  // gridDim.x × (D + 1)
  Fr* out;         // rounds × (D + 1) round values, then the rounds' challenges
};

// Other blocks' writes are read through L2 (ld.cg): a block's L1 may hold a stale line of a
// buffer it read in an earlier round.
__device__ __forceinline__ Fr load_cg(const Fr* p) {
  Fr x;
  const unsigned long long* q = reinterpret_cast<const unsigned long long*>(p);
#pragma unroll
  for (int k = 0; k < 4; k++) x.v[k] = __ldcg(q + k);
  return x;
}

// The block's sum of x (valid in thread 0); sh holds a value per warp.
__device__ Fr block_total(Fr x, Fr* sh) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  x = warp_sum(x);
  if (lane == 0) sh[warp] = x;
  __syncthreads();
  if (warp == 0) x = warp_sum(lane < THREADS / 32 ? sh[lane] : Fr::zero());
  __syncthreads();
  return x;
}

template <int NT, int D>
__global__ void __launch_bounds__(THREADS) finish_kernel(FinishArgs a, FactorCounts c) {
  cg::grid_group grid = cg::this_grid();
  __shared__ Fr sh[THREADS / 32];
  __shared__ Fr sums[D + 1];
  Sha256 st;
  const bool scribe = blockIdx.x == 0 && threadIdx.x == 0;
  if (scribe) st = *a.state;
  int cur = 0;
  size_t len = a.len;
  bool solo = gridDim.x == 1;
  for (int j = 0; j < a.rounds; j++) {
    const size_t pairs = len / 2;
    if (!solo && pairs <= SOLO_PAIRS) {
      // the last grid barrier made every fold visible; the other blocks are done
      if (blockIdx.x != 0) return;
      solo = true;
    }
    const size_t first = solo ? threadIdx.x : blockIdx.x * (size_t)THREADS + threadIdx.x;
    const size_t stride = solo ? THREADS : (size_t)gridDim.x * THREADS;
    Fr* const* src = a.buf[cur];
    Fr* const* dst = a.buf[cur ^ 1];
    Fr acc[D + 1];
#pragma unroll
    for (int t = 0; t <= D; t++) acc[t] = Fr::zero();
    for (size_t i = first; i < pairs; i += stride) {
      Fr lo[NT], hi[NT];
#pragma unroll
      for (int f = 0; f < NT; f++) lo[f] = load_cg(src[f] + 2 * i), hi[f] = load_cg(src[f] + 2 * i + 1);
      sumcheck_pair_accumulate_fixed<NT, D>(c, lo, hi, acc);
    }
#pragma unroll
    for (int t = 0; t <= D; t++) {
      const Fr s = block_total(acc[t], sh);
      if (threadIdx.x == 0) {
        if (solo) sums[t] = s;
        else a.block_sums[blockIdx.x * (D + 1) + t] = s;
      }
    }
    if (!solo) {
      grid.sync();
      if (blockIdx.x == 0) {
        const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
        if (warp <= D) {
          Fr s = Fr::zero();
          for (unsigned b = lane; b < gridDim.x; b += 32) s += load_cg(a.block_sums + b * (D + 1) + warp);
          s = warp_sum(s);
          if (lane == 0) sums[warp] = s;
        }
      }
    }
    __syncthreads();
    Fr* const r_slot = a.out + (size_t)a.rounds * (D + 1) + j;
    if (scribe) {
      const char* rl = a.labels + a.label_at[2 * j];
      const size_t rn = a.label_at[2 * j + 1] - a.label_at[2 * j];
      const char* cl = a.labels + a.label_at[2 * j + 1];
      const size_t cn = a.label_at[2 * j + 2] - a.label_at[2 * j + 1];
      for (int t = 0; t <= D; t++) {
        a.out[(size_t)j * (D + 1) + t] = sums[t];
        transcript_steps::absorb_fr(st, rl, rn, sums[t]);
      }
      *r_slot = transcript_steps::challenge_fr(st, cl, cn);
    }
    if (solo) __syncthreads();
    else grid.sync();
    const Fr r = load_cg(r_slot);
    for (size_t i = first; i < pairs; i += stride) {
#pragma unroll
      for (int f = 0; f < NT; f++) {
        const Fr x0 = load_cg(src[f] + 2 * i), x1 = load_cg(src[f] + 2 * i + 1);
        dst[f][i] = x0 + r * (x1 - x0);
      }
    }
    cur ^= 1;
    len = pairs;
    if (solo) __syncthreads();
    else grid.sync();
  }
  if (scribe) *a.state = st;
}

using Kernel = void (*)(FinishArgs, FactorCounts);

// The shapes the protocols hand a generic device engine: the claims opening's reduction (a fold
// and an eq table per column point, degree 2) and the matmul's and inner product's triple.
Kernel kernel_for(size_t tensors, int degree) {
  if (degree == 2) {
    if (tensors == 2) return finish_kernel<2, 2>;
    if (tensors == 4) return finish_kernel<4, 2>;
    if (tensors == 6) return finish_kernel<6, 2>;
    if (tensors == 8) return finish_kernel<8, 2>;
  }
  if (degree == 3 && tensors == 3) return finish_kernel<3, 3>;
  return nullptr;
}
}  // namespace

bool finish_rounds_supported(size_t tensors, int degree) { return kernel_for(tensors, degree) != nullptr; }

void finish_rounds_on_device(Transcript& tr, const std::string& label, int j0, int k, const std::vector<Fr*>& cur,
                             const std::vector<Fr*>& alt, const SumcheckTerms& terms, std::vector<std::vector<Fr>>& rounds,
                             std::vector<Fr>& point) {
  const Kernel kernel = kernel_for(cur.size(), terms.degree);
  const int n = k - j0, D = terms.degree;
  if (!kernel || n <= 0 || cur.size() != alt.size()) throw std::logic_error("finish_rounds_on_device: unsupported sumcheck");
  FinishArgs a{};
  for (size_t f = 0; f < cur.size(); f++) a.buf[0][f] = cur[f], a.buf[1][f] = alt[f];
  a.len = size_t(1) << n;
  a.rounds = n;

  // labels and the transcript state in one upload
  const SumcheckRoundLabels L = sumcheck_round_labels(label, j0, k);
  std::vector<uint32_t> at{0};
  std::string bytes;
  for (int j = 0; j < n; j++) {
    bytes += L.round[j], at.push_back((uint32_t)bytes.size());
    bytes += L.challenge[j], at.push_back((uint32_t)bytes.size());
  }
  const size_t state_at = 0, at_at = (sizeof(Sha256) + 15) / 16 * 16, bytes_at = at_at + at.size() * sizeof(uint32_t);
  std::vector<uint8_t> blob(bytes_at + bytes.size());
  std::memcpy(blob.data() + state_at, &tr.state(), sizeof(Sha256));
  std::memcpy(blob.data() + at_at, at.data(), at.size() * sizeof(uint32_t));
  std::memcpy(blob.data() + bytes_at, bytes.data(), bytes.size());
  DeviceBuffer<uint8_t> dblob(blob.data(), blob.size());
  a.state = reinterpret_cast<Sha256*>(dblob.get() + state_at);
  a.label_at = reinterpret_cast<const uint32_t*>(dblob.get() + at_at);
  a.labels = reinterpret_cast<const char*>(dblob.get() + bytes_at);

  // a grid that every block of can be resident at once (a cooperative launch's condition)
  int dev = 0, sms = 0, per_sm = 0;
  CUDA_CHECK(cudaGetDevice(&dev));
  CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
  CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, THREADS, 0));
  if (per_sm < 1) throw std::runtime_error("finish_rounds_on_device: the kernel does not fit a multiprocessor");
  const size_t pairs = a.len / 2, want = (pairs + 2 * THREADS - 1) / (2 * THREADS);
  const unsigned blocks = (unsigned)std::max<size_t>(1, std::min<size_t>(want, (size_t)sms * per_sm));
  DeviceBuffer<Fr> sums((size_t)blocks * (D + 1)), out((size_t)n * (D + 1) + n);
  a.block_sums = sums.get();
  a.out = out.get();
  FactorCounts counts = FactorCounts::of(terms);
  void* args[] = {&a, &counts};
  CUDA_CHECK(cudaLaunchCooperativeKernel((const void*)kernel, dim3(blocks), dim3(THREADS), args, 0, 0));
  CUDA_CHECK_LAUNCH();

  const std::vector<Fr> o = out.to_host();
  for (int j = 0; j < n; j++) {
    rounds.emplace_back(o.begin() + (size_t)j * (D + 1), o.begin() + (size_t)(j + 1) * (D + 1));
    point.push_back(o[(size_t)n * (D + 1) + j]);
  }
  dblob.download(blob.data(), sizeof(Sha256));
  std::memcpy(&tr.state(), blob.data() + state_at, sizeof(Sha256));
}
