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
#include "cuda_resident_sumcheck.cuh"
#include "sumcheck_engines.h"
#include "sumcheck_pair_values.cuh"

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

__global__ void __launch_bounds__(ROUND_THREADS) round_kernel(TensorPtrs t, size_t pairs, SumcheckTerms terms, Fr* block_sums) {
  Fr acc[MAXD];
  for (int k = 0; k < MAXD; k++) acc[k] = Fr::zero();
  Fr lo[SUMCHECK_MAX_TENSORS], hi[SUMCHECK_MAX_TENSORS];
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < pairs; i += (size_t)gridDim.x * blockDim.x) {
    for (int f = 0; f < t.n; f++) lo[f] = t.p[f][2 * i], hi[f] = t.p[f][2 * i + 1];
    sumcheck_pair_accumulate(terms, lo, hi, t.n, acc);
  }
  __shared__ Fr sh[ROUND_THREADS];
  for (int k = 0; k <= terms.degree; k++) {
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
      size_t free_b = 0, total_b = 0;
      CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
      budget = free_b / 10 * 8;
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
    round_kernel<<<ROUND_BLOCKS, ROUND_THREADS>>>(t, pairs, terms_, block_sums_.get());
    CUDA_CHECK_LAUNCH();
    block_sums_.download(partial_.data(), partial_.size());
    for (int b = 0; b < ROUND_BLOCKS; b++)
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
}  // namespace

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
