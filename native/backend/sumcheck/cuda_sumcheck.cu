// The CUDA sumcheck engine. When the tensors (plus fold scratch) fit the device budget they are
// uploaded once and every round runs on the device. Otherwise they stay in host memory and each
// round streams them through the GPU in chunks: upload a chunk, apply the binds not yet applied to
// the host copy, add the chunk's share of the round polynomial, and either keep the folded chunk
// on the device (once everything fits) or write it back to the host. Pairs never straddle a
// chunk, and field sums are exact, so the result is the same bytes whatever the chunking.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include "cuda_finish_rounds.cuh"
#include "cuda_resident_sumcheck.cuh"
#include "sumcheck_engines.h"
#include "sumcheck_pair_values.cuh"
#include "split_eq.cuh"

namespace {
// ZKLLM_TRACE=1 prints where the engine's time goes (uploads, rounds, binds) to stderr.
struct Trace {
  bool on = std::getenv("ZKLLM_TRACE") != nullptr;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  void operator()(const char* what, size_t len) {
    if (!on) return;
    cudaDeviceSynchronize();
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "[sumcheck cuda] %-8s len=%zu %.3f ms\n", what, len,
                 std::chrono::duration<double, std::milli>(now - t0).count());
    t0 = now;
  }
};

constexpr int ROUND_BLOCKS = 1056, ROUND_THREADS = 128, MAXD = SUMCHECK_MAX_FACTORS + 1;

struct TensorPtrs {
  const Fr* p[SUMCHECK_MAX_TENSORS];
  int n;
};

// The block's sums of acc[0..degree], one row of MAXD per block (unrolled over N, so that a kernel's
// accumulators can stay in registers).
template <int N>
__device__ __forceinline__ void write_block_sums(const Fr (&acc)[N], int degree, Fr* block_sums) {
  __shared__ Fr sh[ROUND_THREADS];
#pragma unroll
  for (int k = 0; k < N; k++) {
    if (k > degree) break;
    sh[threadIdx.x] = acc[k];
    __syncthreads();
    for (int s = ROUND_THREADS / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) sh[threadIdx.x] = sh[threadIdx.x] + sh[threadIdx.x + s];
      __syncthreads();
    }
    if (threadIdx.x == 0) block_sums[blockIdx.x * MAXD + k] = sh[0];
    __syncthreads();
  }
}

__global__ void __launch_bounds__(ROUND_THREADS) round_kernel(TensorPtrs t, size_t pairs, SumcheckTerms terms, Fr* block_sums) {
  Fr acc[MAXD];
  for (int k = 0; k < MAXD; k++) acc[k] = Fr::zero();
  Fr lo[SUMCHECK_MAX_TENSORS], hi[SUMCHECK_MAX_TENSORS];
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < pairs; i += (size_t)gridDim.x * blockDim.x) {
    for (int f = 0; f < t.n; f++) lo[f] = t.p[f][2 * i], hi[f] = t.p[f][2 * i + 1];
    sumcheck_pair_accumulate(terms, lo, hi, t.n, acc);
  }
  write_block_sums(acc, terms.degree, block_sums);
}

template <int NT, int D>
__global__ void __launch_bounds__(ROUND_THREADS) round_fixed_kernel(TensorPtrs t, size_t pairs, FactorCounts c, Fr* block_sums) {
  Fr acc[D + 1];
#pragma unroll
  for (int k = 0; k <= D; k++) acc[k] = Fr::zero();
  Fr lo[NT], hi[NT];
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < pairs; i += (size_t)gridDim.x * blockDim.x) {
#pragma unroll
    for (int f = 0; f < NT; f++) lo[f] = t.p[f][2 * i], hi[f] = t.p[f][2 * i + 1];
    sumcheck_pair_accumulate_fixed<NT, D>(c, lo, hi, acc);
  }
  write_block_sums(acc, D, block_sums);
}

// The round kernel for these tensors and terms: a fixed-shape one for the shapes the protocols use
// (2 to 5 tensors, degree 2 to 4), else the runtime-sized one.
template <int NT, int D>
bool launch_fixed(const TensorPtrs& t, size_t pairs, const SumcheckTerms& terms, int blocks, Fr* block_sums) {
  if (t.n != NT || terms.degree != D) return false;
  round_fixed_kernel<NT, D><<<blocks, ROUND_THREADS>>>(t, pairs, FactorCounts::of(terms), block_sums);
  return true;
}
template <int NT>
bool launch_fixed_degree(const TensorPtrs& t, size_t pairs, const SumcheckTerms& terms, int blocks, Fr* block_sums) {
  return launch_fixed<NT, 2>(t, pairs, terms, blocks, block_sums) || launch_fixed<NT, 3>(t, pairs, terms, blocks, block_sums) ||
         launch_fixed<NT, 4>(t, pairs, terms, blocks, block_sums);
}
void launch_round(const TensorPtrs& t, size_t pairs, const SumcheckTerms& terms, int blocks, Fr* block_sums) {
  if (!(launch_fixed_degree<2>(t, pairs, terms, blocks, block_sums) || launch_fixed_degree<3>(t, pairs, terms, blocks, block_sums) ||
        launch_fixed_degree<4>(t, pairs, terms, blocks, block_sums) || launch_fixed_degree<5>(t, pairs, terms, blocks, block_sums)))
    round_kernel<<<blocks, ROUND_THREADS>>>(t, pairs, terms, block_sums);
  CUDA_CHECK_LAUNCH();
}

__global__ void fold_kernel(const Fr* in, Fr* out, size_t half, Fr r) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < half; i += (size_t)gridDim.x * blockDim.x) {
    const Fr a = in[2 * i];
    out[i] = a + r * (in[2 * i + 1] - a);
  }
}

void fold_on_device(DeviceBuffer<Fr>& buf, DeviceBuffer<Fr>& scratch, size_t len, const Fr& r) {
  fold_kernel<<<blocks_for(len / 2, 256), 256>>>(buf.get(), scratch.get(), len / 2, r);
  CUDA_CHECK_LAUNCH();
  std::swap(buf, scratch);
}

class CudaSumcheckEngine : public SumcheckEngine {
 public:
  // Tensors already on the device (a CUDA tensor store's): every round runs there.
  CudaSumcheckEngine(std::vector<DeviceBuffer<Fr>> dev, const SumcheckTerms& terms)
      : host_(nullptr), terms_(terms), T_(dev.size()), len_(dev[0].size()), host_len_(len_), partial_(ROUND_BLOCKS * MAXD) {
    cuda_use_device();
    block_sums_ = DeviceBuffer<Fr>(ROUND_BLOCKS * MAXD);
    dev_ = std::move(dev);
    for (size_t f = 0; f < T_; f++) scratch_.emplace_back(len_ / 2 ? len_ / 2 : 1);
    resident_ = true;
  }

  CudaSumcheckEngine(std::vector<std::vector<Fr>>& host, const SumcheckTerms& terms, size_t budget)
      : host_(&host), terms_(terms), T_(host.size()), len_(host[0].size()), host_len_(len_), partial_(ROUND_BLOCKS * MAXD) {
    cuda_use_device();
    block_sums_ = DeviceBuffer<Fr>(ROUND_BLOCKS * MAXD);
    if (budget == 0) {
      budget = device_free_bytes() / 10 * 8;
    }
    budget_ = budget;
    if (resident_bytes(len_) <= budget_) {
      for (size_t f = 0; f < T_; f++) {
        dev_.emplace_back((*host_)[f].data(), len_);
        scratch_.emplace_back(len_ / 2 ? len_ / 2 : 1);
      }
      resident_ = true;
    }
    trace_(resident_ ? "upload" : "stream", len_);
  }

  std::vector<Fr> round_values() override {
    std::vector<Fr> sums(terms_.degree + 1, Fr::zero());
    if (resident_) {
      add_round(dev_ptrs(0), len_ / 2, sums);
      trace_("round", len_);
      return sums;
    }
    stream_pass(&sums);
    trace_("streamed", len_);
    return sums;
  }

  void bind(const Fr& r) override {
    if (resident_) {
      for (size_t f = 0; f < T_; f++) fold_on_device(dev_[f], scratch_[f], len_, r);
      trace_("bind", len_);
    } else {
      pending_.push_back(r);
    }
    len_ /= 2;
  }

  bool finish_rounds(Transcript& tr, const std::string& label, int j0, int k, std::vector<std::vector<Fr>>& rounds,
                     std::vector<Fr>& point, const std::function<void(const Fr&)>& on_total) override {
    if (!resident_ || !pending_.empty() || !finish_rounds_apply(len_, k - j0, T_, terms_.degree)) return false;
    std::vector<Fr*> cur, alt;
    for (size_t f = 0; f < T_; f++) cur.push_back(dev_[f].get()), alt.push_back(scratch_[f].get());
    finish_rounds_on_device(tr, label, j0, k, cur, alt, terms_, rounds, point, on_total);
    if ((k - j0) % 2)
      for (size_t f = 0; f < T_; f++) std::swap(dev_[f], scratch_[f]);
    trace_("finish", len_);
    len_ = 1;
    return true;
  }

  std::vector<Fr> final_values() override {
    if (!resident_) stream_pass(nullptr);
    std::vector<Fr> out(T_);
    for (size_t f = 0; f < T_; f++) CUDA_CHECK(cudaMemcpy(&out[f], dev_[f].get(), sizeof(Fr), cudaMemcpyDeviceToHost));
    return out;
  }

 private:
  // Tensors plus the fold scratch that a resident length needs.
  size_t resident_bytes(size_t len) const { return T_ * (len + len / 2) * sizeof(Fr); }

  TensorPtrs dev_ptrs(size_t offset) const {
    TensorPtrs t{};
    t.n = (int)T_;
    for (size_t f = 0; f < T_; f++) t.p[f] = dev_[f].get() + offset;
    return t;
  }

  void add_round(const TensorPtrs& t, size_t pairs, std::vector<Fr>& sums) {
    // no more blocks than the pairs need: small rounds download and add fewer block sums
    const int blocks = (int)std::max<size_t>(1, std::min<size_t>(ROUND_BLOCKS, (pairs + ROUND_THREADS - 1) / ROUND_THREADS));
    launch_round(t, pairs, terms_, blocks, block_sums_.get());
    block_sums_.download(partial_.data(), (size_t)blocks * MAXD);
    for (int b = 0; b < blocks; b++)
      for (int k = 0; k <= terms_.degree; k++) sums[k] += partial_[b * MAXD + k];
  }

  // One pass over the host data: applies the pending binds chunk by chunk and, if `sums`, adds
  // each folded chunk's share of the round polynomial. Ends resident when the folded tensors fit.
  void stream_pass(std::vector<Fr>* sums) {
    const size_t f = pending_.size();
    const bool to_device = resident_bytes(len_) <= budget_;
    if (to_device) {
      for (size_t k = 0; k < T_; k++) {
        dev_.emplace_back(len_);
        scratch_.emplace_back(len_ / 2 ? len_ / 2 : 1);
      }
    }
    const size_t room = budget_ - (to_device ? resident_bytes(len_) : 0);
    size_t chunk = host_len_;  // host elements per tensor per chunk: a power of two >= 2^(f+1)
    // two buffers of a chunk per tensor: the binds ping-pong between them
    while (chunk > (size_t(2) << f) && T_ * 2 * chunk * sizeof(Fr) > room) chunk /= 2;
    if (T_ * 2 * chunk * sizeof(Fr) > room)
      throw std::runtime_error("device budget too small to stream even one chunk of the sumcheck tensors");
    std::vector<DeviceBuffer<Fr>> buf, tmp;
    for (size_t k = 0; k < T_; k++) buf.emplace_back(chunk), tmp.emplace_back(chunk);
    const size_t folded = chunk >> f;
    for (size_t c = 0; c < host_len_ / chunk; c++) {
      TensorPtrs t{};
      t.n = (int)T_;
      for (size_t k = 0; k < T_; k++) {
        buf[k].upload((*host_)[k].data() + c * chunk, chunk);
        size_t len = chunk;
        for (const Fr& r : pending_) fold_on_device(buf[k], tmp[k], len, r), len /= 2;
        t.p[k] = buf[k].get();
      }
      if (sums && folded >= 2) add_round(t, folded / 2, *sums);
      for (size_t k = 0; k < T_; k++) {
        if (to_device)
          CUDA_CHECK(cudaMemcpy(dev_[k].get() + c * folded, buf[k].get(), folded * sizeof(Fr), cudaMemcpyDeviceToDevice));
        else if (f > 0)
          buf[k].download((*host_)[k].data() + c * folded, folded);
      }
    }
    host_len_ = len_;
    pending_.clear();
    resident_ = to_device;
  }

  std::vector<std::vector<Fr>>* host_;  // null when the tensors were handed over on the device
  SumcheckTerms terms_;
  size_t T_, len_, host_len_, budget_ = 0;
  std::vector<Fr> pending_;
  bool resident_ = false;
  std::vector<DeviceBuffer<Fr>> dev_, scratch_;
  std::vector<Fr> partial_;
  DeviceBuffer<Fr> block_sums_;  // per-block round sums, allocated once and reused every round
  Trace trace_;
};

// Split-eq rounds with the bind fused in (split_eq.cuh). Unfused (the first round): the pair i of
// src, weight e = E[i]. Fused (every later round): src is the level before the last bind by r, so
// the pair i is folded from src[4i..4i+3] and written to dst, and E is the pair sums of eprev.
// One pass reads every entry once and writes the folded half (a round and a bind read it twice).
struct SplitPtrs {
  const Fr* src[2];
  Fr* dst[2];
  const Fr* eprev;
  Fr* ecur;
};

template <class S, bool FUSED>
__global__ void __launch_bounds__(ROUND_THREADS) split_eq_round_kernel(SplitPtrs p, size_t pairs, Fr r, Fr kc, Fr* block_sums) {
  Fr acc[S::NACC];
  for (int k = 0; k < S::NACC; k++) acc[k] = Fr::zero();
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < pairs; i += (size_t)gridDim.x * blockDim.x) {
    Fr lo[S::NT], hi[S::NT], e;
    if (FUSED) {
      e = p.eprev[2 * i] + p.eprev[2 * i + 1];
      p.ecur[i] = e;
#pragma unroll
      for (int f = 0; f < S::NT; f++) {
        const Fr* x = p.src[f] + 4 * i;
        const Fr x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
        lo[f] = x0 + r * (x1 - x0);
        hi[f] = x2 + r * (x3 - x2);
        p.dst[f][2 * i] = lo[f];
        p.dst[f][2 * i + 1] = hi[f];
      }
    } else {
      e = p.ecur[i];
#pragma unroll
      for (int f = 0; f < S::NT; f++) lo[f] = p.src[f][2 * i], hi[f] = p.src[f][2 * i + 1];
    }
    S::pair(lo, hi, e, kc, acc);
  }
  __shared__ Fr sh[ROUND_THREADS];
#pragma unroll
  for (int k = 0; k < S::NACC; k++) {
    sh[threadIdx.x] = acc[k];
    __syncthreads();
    for (int s = ROUND_THREADS / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) sh[threadIdx.x] = sh[threadIdx.x] + sh[threadIdx.x + s];
      __syncthreads();
    }
    if (threadIdx.x == 0) block_sums[blockIdx.x * S::NACC + k] = sh[0];
    __syncthreads();
  }
}

// Tensors t1, t2 on the device and E_0 = eq(w_1..w_{n-1}) (the store builds it): every round is
// one kernel; a bind only records r, and the next round (or final_values) applies it.
template <class S>
class CudaSplitEqEngine : public SumcheckEngine {
 public:
  CudaSplitEqEngine(SplitEqShape shape, std::vector<Fr> point, DeviceBuffer<Fr> e0, std::vector<DeviceBuffer<Fr>> t,
                    const SumcheckTerms& terms)
      : shape_(shape), terms_(terms), len_(t[0].size()), partial_(ROUND_BLOCKS * S::NACC) {
    cuda_use_device();
    sc_.w = std::move(point);
    k_ = split_eq_constant(shape, terms);
    block_sums_ = DeviceBuffer<Fr>(ROUND_BLOCKS * S::NACC);
    for (int f = 0; f < S::NT; f++) {
      cur_[f] = std::move(t[f]);
      alt_[f] = DeviceBuffer<Fr>(len_ / 2 ? len_ / 2 : 1);
    }
    e_[0] = std::move(e0);
    e_[1] = DeviceBuffer<Fr>(len_ / 4 ? len_ / 4 : 1);
  }

  std::vector<Fr> round_values() override {
    const size_t pairs = len_ / 2;
    const unsigned blocks = (unsigned)std::max<size_t>(1, std::min<size_t>(ROUND_BLOCKS, (pairs + ROUND_THREADS - 1) / ROUND_THREADS));
    SplitPtrs p{};
    for (int f = 0; f < S::NT; f++) p.src[f] = cur_[f].get(), p.dst[f] = alt_[f].get();
    if (pending_) {
      p.eprev = e_[ei_].get(), p.ecur = e_[1 - ei_].get();
      split_eq_round_kernel<S, true><<<blocks, ROUND_THREADS>>>(p, pairs, r_, k_, block_sums_.get());
      CUDA_CHECK_LAUNCH();
      for (int f = 0; f < S::NT; f++) std::swap(cur_[f], alt_[f]);
      ei_ = 1 - ei_;
      pending_ = false;
    } else {
      p.ecur = e_[ei_].get();
      split_eq_round_kernel<S, false><<<blocks, ROUND_THREADS>>>(p, pairs, r_, k_, block_sums_.get());
      CUDA_CHECK_LAUNCH();
    }
    block_sums_.download(partial_.data(), (size_t)blocks * S::NACC);
    std::vector<Fr> raw(S::NACC, Fr::zero());
    for (unsigned b = 0; b < blocks; b++)
      for (int k = 0; k < S::NACC; k++) raw[k] += partial_[b * S::NACC + k];
    trace_("split round", 2 * pairs);
    return split_eq_round_values(shape_, terms_, raw.data(), sc_);
  }

  void bind(const Fr& r) override {
    if (pending_) throw std::logic_error("split-eq sumcheck: two binds without a round");
    sc_.bind(r);
    r_ = r;
    pending_ = true;
    len_ /= 2;
  }

  // The rounds left as one kernel (cuda_finish_rounds.cuh) over the eq table of the coordinates
  // left, C_j folded in: the same round values and final values as the split rounds.
  bool finish_rounds(Transcript& tr, const std::string& label, int j0, int k, std::vector<std::vector<Fr>>& rounds,
                     std::vector<Fr>& point, const std::function<void(const Fr&)>& on_total) override {
    if (sc_.w.size() - sc_.j != (size_t)(k - j0) || !finish_rounds_apply(len_, k - j0, S::NT + 1, terms_.degree))
      return false;
    if (pending_) {
      for (int f = 0; f < S::NT; f++) fold_on_device(cur_[f], alt_[f], 2 * len_, r_);
      pending_ = false;
    }
    DeviceBuffer<Fr> e = eq_table_on_device(std::vector<Fr>(sc_.w.begin() + sc_.j, sc_.w.end()), sc_.c), e_alt(len_ / 2);
    std::vector<Fr*> cur{e.get()}, alt{e_alt.get()};
    for (int f = 0; f < S::NT; f++) cur.push_back(cur_[f].get()), alt.push_back(alt_[f].get());
    finish_rounds_on_device(tr, label, j0, k, cur, alt, terms_, rounds, point, on_total);
    const std::vector<Fr*>& at = (k - j0) % 2 ? alt : cur;
    finals_.assign(at.size(), Fr::zero());
    for (size_t f = 0; f < at.size(); f++) CUDA_CHECK(cudaMemcpy(&finals_[f], at[f], sizeof(Fr), cudaMemcpyDeviceToHost));
    trace_("finish", len_);
    len_ = 1;
    return true;
  }

  std::vector<Fr> final_values() override {
    if (!finals_.empty()) return finals_;
    std::vector<Fr> out{sc_.c};
    for (int f = 0; f < S::NT; f++) {
      Fr x[2];
      cur_[f].download(x, pending_ ? 2 : 1);
      out.push_back(pending_ ? x[0] + r_ * (x[1] - x[0]) : x[0]);
    }
    return out;
  }

 private:
  SplitEqShape shape_;
  SumcheckTerms terms_;
  size_t len_;  // the current length (after every bind, applied or pending)
  SplitEqScalars sc_;
  DeviceBuffer<Fr> cur_[S::NT], alt_[S::NT], e_[2];
  int ei_ = 0;  // e_[ei_] holds E_j (or, with a bind pending, E_{j-1})
  bool pending_ = false;
  Fr r_ = Fr::zero(), k_ = Fr::zero();
  std::vector<Fr> partial_, finals_;  // finals_: the final values once finish_rounds ran
  DeviceBuffer<Fr> block_sums_;
  Trace trace_;
};
}  // namespace

std::unique_ptr<SumcheckEngine> make_resident_split_eq_engine(std::vector<Fr> point, DeviceBuffer<Fr> e0,
                                                              std::vector<DeviceBuffer<Fr>> tensors, const SumcheckTerms& terms) {
  const SplitEqShape s = split_eq_shape(terms);
  if (tensors.size() != 2) throw std::logic_error("split-eq sumcheck: two tensors beside eq");
  for (auto& t : tensors)
    if (t.size() != (size_t(1) << point.size())) throw std::logic_error("sumcheck: tensors of different lengths");
  if (s == SplitEqShape::Triple)
    return std::make_unique<CudaSplitEqEngine<TripleShape>>(s, std::move(point), std::move(e0), std::move(tensors), terms);
  if (s == SplitEqShape::Lookup)
    return std::make_unique<CudaSplitEqEngine<LookupShape>>(s, std::move(point), std::move(e0), std::move(tensors), terms);
  throw std::logic_error("split-eq sumcheck: unsupported term table");
}

std::unique_ptr<SumcheckEngine> make_resident_sumcheck_engine(std::vector<DeviceBuffer<Fr>> tensors,
                                                              const SumcheckTerms& terms) {
  return std::make_unique<CudaSumcheckEngine>(std::move(tensors), terms);
}

namespace cuda {
std::unique_ptr<SumcheckEngine> make_sumcheck_engine(std::vector<std::vector<Fr>>& tensors, const SumcheckTerms& terms,
                                                     size_t device_budget) {
  return std::make_unique<CudaSumcheckEngine>(tensors, terms, device_budget);
}
}  // namespace cuda
