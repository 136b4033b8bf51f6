#include "../mle/mle.h"
#include "../proto/sumcheck_engine.h"
#include "../proto/sumcheck_pair_values.cuh"
#include "cpu_parallel.h"

namespace {
class CpuSumcheckEngine : public SumcheckEngine {
 public:
  CpuSumcheckEngine(std::vector<std::vector<Fr>>& t, const SumcheckTerms& terms) : t_(t), terms_(terms) {}

  std::vector<Fr> round_values() override {
    const int d = terms_.degree, nt = (int)t_.size();
    const size_t pairs = t_[0].size() / 2;
    std::vector<std::vector<Fr>> partial(cpu::thread_count() + 1, std::vector<Fr>(d + 1, Fr::zero()));
    cpu_parallel_chunks(pairs, [&](size_t lo, size_t hi, size_t tid) {
      Fr a[SUMCHECK_MAX_TENSORS], b[SUMCHECK_MAX_TENSORS];
      for (size_t i = lo; i < hi; i++) {
        for (int f = 0; f < nt; f++) a[f] = t_[f][2 * i], b[f] = t_[f][2 * i + 1];
        sumcheck_pair_accumulate(terms_, a, b, nt, partial[tid].data());
      }
    }, 2048);
    std::vector<Fr> out(d + 1, Fr::zero());
    for (auto& p : partial)
      for (int t = 0; t <= d; t++) out[t] += p[t];
    return out;
  }
  void bind(const Fr& r) override {
    for (auto& t : t_) mle_fold(t, r);
  }
  std::vector<Fr> final_values() override {
    std::vector<Fr> v;
    for (auto& t : t_) v.push_back(t[0]);
    return v;
  }

 private:
  std::vector<std::vector<Fr>>& t_;
  SumcheckTerms terms_;
};
}  // namespace

namespace cpu {
std::unique_ptr<SumcheckEngine> make_sumcheck_engine(std::vector<std::vector<Fr>>& tensors, const SumcheckTerms& terms) {
  return std::make_unique<CpuSumcheckEngine>(tensors, terms);
}
}  // namespace cpu

std::unique_ptr<SumcheckEngine> make_sumcheck_engine(const ProverConfig& cfg, std::vector<std::vector<Fr>>& tensors,
                                                     const SumcheckTerms& terms) {
  if (tensors.empty() || tensors.size() > SUMCHECK_MAX_TENSORS) throw std::logic_error("sumcheck: 1 to 8 tensors");
  const size_t n = tensors[0].size();
  for (auto& t : tensors)
    if (t.size() != n) throw std::logic_error("sumcheck: tensors of different lengths");
  if (n == 0 || (n & (n - 1))) throw std::logic_error("sumcheck: tensor length must be a power of two");
  if (cfg.backend == Backend::Cuda) return cuda::make_sumcheck_engine(tensors, terms, cfg.device_budget);
  return cpu::make_sumcheck_engine(tensors, terms);
}
