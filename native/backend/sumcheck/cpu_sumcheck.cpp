#include "../../mle/mle.h"
#include "sumcheck_engines.h"
#include "sumcheck_pair_values.cuh"
#include "../../platform/cpu_parallel.h"

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
