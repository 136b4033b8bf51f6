#include "cuda_finish_rounds.cuh"
#include <atomic>
#include <cstdlib>
#include <cooperative_groups.h>
#include <stdexcept>
#include <thread>
#include "../field/wide_sum.cuh"
#include "sumcheck_pair_values.cuh"

namespace cg = cooperative_groups;

namespace {
constexpr int THREADS = 256;
// Below this many pairs block 0 finishes alone: a block barrier instead of a grid barrier.
constexpr size_t SOLO_PAIRS = 2 * THREADS;
constexpr int MAX_ROUNDS = 17, MAXD = SUMCHECK_MAX_FACTORS + 1;
constexpr size_t MAX_LEN = size_t(1) << MAX_ROUNDS;

// Pinned, mapped host memory that the kernel and the host's transcript talk through. Counters
// only grow: the kernel posts round j's values and sets `posted` to j + 1; the host draws the
// challenge, writes it and sets `answered` to j + 1.
struct Mailbox {
  uint32_t posted, answered;
  Fr values[MAX_ROUNDS][MAXD];
  Fr challenge[MAX_ROUNDS];
};

struct FinishArgs {
  Fr* buf[2][SUMCHECK_MAX_TENSORS];
  size_t len;
  int rounds;
  Mailbox* mail;   // the device's address of the mailbox
  Fr* block_sums;  // gridDim.x × (D + 1)
  Fr* r;           // the challenges, for the grid
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

__device__ __forceinline__ void store_volatile(Fr* p, const Fr& x) {
  volatile uint64_t* q = reinterpret_cast<volatile uint64_t*>(p->v);
#pragma unroll
  for (int k = 0; k < 4; k++) q[k] = x.v[k];
}
__device__ __forceinline__ Fr load_volatile(const Fr* p) {
  Fr x;
  const volatile uint64_t* q = reinterpret_cast<const volatile uint64_t*>(p->v);
#pragma unroll
  for (int k = 0; k < 4; k++) x.v[k] = q[k];
  return x;
}

template <int NT, int D>
__global__ void __launch_bounds__(THREADS) finish_kernel(FinishArgs a, FactorCounts c) {
  cg::grid_group grid = cg::this_grid();
  __shared__ Fr sums[D + 1];
  const bool scribe = blockIdx.x == 0 && threadIdx.x == 0;
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
      const Fr s = block_sum<THREADS>(acc[t]);
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
    if (scribe) {
      for (int t = 0; t <= D; t++) store_volatile(&a.mail->values[j][t], sums[t]);
      __threadfence_system();
      *reinterpret_cast<volatile uint32_t*>(&a.mail->posted) = j + 1;
      while (*reinterpret_cast<volatile uint32_t*>(&a.mail->answered) < (uint32_t)(j + 1)) {
      }
      __threadfence_system();
      a.r[j] = load_volatile(&a.mail->challenge[j]);
    }
    if (solo) __syncthreads();
    else grid.sync();
    const Fr r = load_cg(a.r + j);
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

// One mailbox a host thread (provers on several threads each drive their own kernel), kept for
// the thread's life: pinned allocations are slow to make.
Mailbox* thread_mailbox(Mailbox** device_address) {
  thread_local Mailbox* host = nullptr;
  thread_local Mailbox* dev = nullptr;
  if (!host) {
    CUDA_CHECK(cudaHostAlloc(reinterpret_cast<void**>(&host), sizeof(Mailbox), cudaHostAllocMapped));
    CUDA_CHECK(cudaHostGetDevicePointer(reinterpret_cast<void**>(&dev), host, 0));
  }
  *device_address = dev;
  return host;
}

// Waits for the kernel to post round j; a kernel that failed or ended is an error, not a hang.
void wait_posted(const Mailbox* mb, uint32_t j) {
  const volatile uint32_t* posted = &mb->posted;
  for (uint64_t spins = 0; *posted < j + 1; spins++) {
    if ((spins & 0xfff) == 0xfff) {
      const cudaError_t e = cudaStreamQuery(0);
      if (e != cudaErrorNotReady) {
        if (*posted >= j + 1) break;
        cuda_check(e == cudaSuccess ? cudaErrorLaunchFailure : e, "finish_rounds kernel", __FILE__, __LINE__);
      }
      std::this_thread::yield();
    }
  }
  std::atomic_thread_fence(std::memory_order_acquire);
}
}  // namespace

bool finish_rounds_apply(size_t len, int rounds, size_t tensors, int degree) {
  static const bool enabled = [] {
    const char* e = std::getenv("ZKLLM_SUMCHECK_FINISH");
    int dev = 0, coop = 0;
    return !(e && std::string(e) == "0") && cudaGetDevice(&dev) == cudaSuccess &&
           cudaDeviceGetAttribute(&coop, cudaDevAttrCooperativeLaunch, dev) == cudaSuccess && coop;
  }();
  return enabled && rounds >= 1 && len <= MAX_LEN && len == (size_t(1) << rounds) && kernel_for(tensors, degree) != nullptr;
}

void finish_rounds_on_device(Transcript& tr, const std::string& label, int j0, int k, const std::vector<Fr*>& cur,
                             const std::vector<Fr*>& alt, const SumcheckTerms& terms, std::vector<std::vector<Fr>>& rounds,
                             std::vector<Fr>& point, const std::function<void(const Fr&)>& on_total) {
  const Kernel kernel = kernel_for(cur.size(), terms.degree);
  const int n = k - j0, D = terms.degree;
  if (!kernel || n <= 0 || n > MAX_ROUNDS || cur.size() != alt.size())
    throw std::logic_error("finish_rounds_on_device: unsupported sumcheck");
  FinishArgs a{};
  for (size_t f = 0; f < cur.size(); f++) a.buf[0][f] = cur[f], a.buf[1][f] = alt[f];
  a.len = size_t(1) << n;
  a.rounds = n;
  Mailbox* mb = thread_mailbox(&a.mail);
  mb->posted = mb->answered = 0;

  // a grid that every block of can be resident at once (a cooperative launch's condition)
  int dev = 0, sms = 0, per_sm = 0;
  CUDA_CHECK(cudaGetDevice(&dev));
  CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
  CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, THREADS, 0));
  if (per_sm < 1) throw std::runtime_error("finish_rounds_on_device: the kernel does not fit a multiprocessor");
  const size_t pairs = a.len / 2, want = (pairs + 2 * THREADS - 1) / (2 * THREADS);
  const unsigned blocks = (unsigned)std::max<size_t>(1, std::min<size_t>(want, (size_t)sms * per_sm));
  DeviceBuffer<Fr> sums((size_t)blocks * (D + 1)), r(n);
  a.block_sums = sums.get();
  a.r = r.get();
  FactorCounts counts = FactorCounts::of(terms);
  void* args[] = {&a, &counts};
  CUDA_CHECK(cudaLaunchCooperativeKernel((const void*)kernel, dim3(blocks), dim3(THREADS), args, 0, 0));
  CUDA_CHECK_LAUNCH();

  // The host's transcript steps, as the driver takes them (sumcheck.cpp), on the posted values.
  int j = 0;
  try {
    const SumcheckRoundLabels L = sumcheck_round_labels(label, j0, k);
    for (; j < n; j++) {
      wait_posted(mb, j);
      std::vector<Fr> g(mb->values[j], mb->values[j] + D + 1);
      if (j == 0 && j0 == 0 && on_total) on_total(g[0] + g[1]);
      for (const Fr& x : g) tr.absorb_fr(L.round[j], x);
      const Fr rj = tr.challenge_fr(L.challenge[j]);
      mb->challenge[j] = rj;
      std::atomic_thread_fence(std::memory_order_release);
      reinterpret_cast<volatile uint32_t&>(mb->answered) = j + 1;
      rounds.push_back(std::move(g));
      point.push_back(rj);
    }
  } catch (...) {
    // the kernel must not wait for ever: release its remaining rounds, then report
    for (; j < n; j++) mb->challenge[j] = Fr::zero();
    std::atomic_thread_fence(std::memory_order_release);
    reinterpret_cast<volatile uint32_t&>(mb->answered) = n;
    cudaStreamSynchronize(0);
    throw;
  }
  CUDA_CHECK(cudaStreamSynchronize(0));
}
