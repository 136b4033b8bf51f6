#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include "../../mle/mle.h"
#include "sumcheck_engines.h"
#include "sumcheck_pair_values.cuh"
#include "split_eq.cuh"
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

// Split-eq (split_eq.cuh): the eq tensor is never formed; E holds the eq table of the point's
// variables after the current one and is halved by pair sums at every bind.
template <class S>
class CpuSplitEqEngine : public SumcheckEngine {
 public:
  CpuSplitEqEngine(SplitEqShape shape, const std::vector<Fr>& point, std::vector<std::vector<Fr>> t, const SumcheckTerms& terms)
      : shape_(shape), t_(std::move(t)), terms_(terms) {
    sc_.w = point;
    k_ = split_eq_constant(shape, terms);
    e_ = point.empty() ? std::vector<Fr>{Fr::one()} : eq_table(std::vector<Fr>(point.begin() + 1, point.end()));
    if (std::getenv("ZKLLM_TRACE")) std::fprintf(stderr, "[sumcheck cpu] split-eq, %zu variables\n", point.size());
  }
  std::vector<Fr> round_values() override {
    const size_t pairs = t_[0].size() / 2;
    std::vector<std::vector<Fr>> partial(cpu::thread_count() + 1, std::vector<Fr>(S::NACC, Fr::zero()));
    cpu_parallel_chunks(pairs, [&](size_t lo, size_t hi, size_t tid) {
      Fr a[S::NT], b[S::NT], acc[S::NACC];
      for (int k = 0; k < S::NACC; k++) acc[k] = Fr::zero();
      for (size_t i = lo; i < hi; i++) {
        for (int f = 0; f < S::NT; f++) a[f] = t_[f][2 * i], b[f] = t_[f][2 * i + 1];
        S::pair(a, b, e_[i], k_, acc);
      }
      for (int k = 0; k < S::NACC; k++) partial[tid][k] += acc[k];
    }, 2048);
    std::vector<Fr> raw(S::NACC, Fr::zero());
    for (auto& p : partial)
      for (int k = 0; k < S::NACC; k++) raw[k] += p[k];
    return split_eq_round_values(shape_, terms_, raw.data(), sc_);
  }
  void bind(const Fr& r) override {
    for (auto& t : t_) mle_fold(t, r);
    sc_.bind(r);
    if (e_.size() > 1) {
      std::vector<Fr> next(e_.size() / 2);
      cpu_parallel_chunks(next.size(), [&](size_t lo, size_t hi, size_t) {
        for (size_t i = lo; i < hi; i++) next[i] = e_[2 * i] + e_[2 * i + 1];
      }, 4096);
      e_.swap(next);
    }
  }
  std::vector<Fr> final_values() override {
    std::vector<Fr> v{sc_.c};
    for (auto& t : t_) v.push_back(t[0]);
    return v;
  }

 private:
  SplitEqShape shape_;
  std::vector<std::vector<Fr>> t_;
  SumcheckTerms terms_;
  SplitEqScalars sc_;
  Fr k_;
  std::vector<Fr> e_;
};
}  // namespace

namespace cpu {
std::unique_ptr<SumcheckEngine> make_sumcheck_engine(std::vector<std::vector<Fr>>& tensors, const SumcheckTerms& terms) {
  return std::make_unique<CpuSumcheckEngine>(tensors, terms);
}
}  // namespace cpu

namespace cpu {
std::unique_ptr<SumcheckEngine> make_split_eq_engine(const std::vector<Fr>& point, std::vector<std::vector<Fr>> others,
                                                     const SumcheckTerms& terms) {
  const SplitEqShape s = split_eq_shape(terms);
  if (s == SplitEqShape::Triple) return std::make_unique<CpuSplitEqEngine<TripleShape>>(s, point, std::move(others), terms);
  if (s == SplitEqShape::Lookup) return std::make_unique<CpuSplitEqEngine<LookupShape>>(s, point, std::move(others), terms);
  throw std::logic_error("split-eq sumcheck: unsupported term table");
}
}  // namespace cpu
