// CPU opening engines. The IPA engine folds the generators implicitly: after some rounds, folded
// generator k is Σ_{i ≡ k} coef_i·G_i, so each L and R is one MSM over the original generators
// (plus Q) and no point is ever folded.
#include <stdexcept>
#include "../../commit/pedersen.h"
#include "../../mle/mle.h"
#include "opening_engines.h"
#include "../../witness/witness.h"
#include "../../platform/cpu_parallel.h"

namespace {

Fr inner(const Fr* a, const Fr* b, size_t n) {
  Fr s = Fr::zero();
  for (size_t i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

class CpuIpaEngine : public IpaEngine {
 public:
  CpuIpaEngine(std::shared_ptr<const PedersenGenerators> key, std::vector<Fr> a, std::vector<Fr> b)
      : key_(std::move(key)), a_(std::move(a)), b_(std::move(b)), coef_(a_.size(), Fr::one()) {
    points_ = key_->g;
    points_.push_back(key_->q);
  }
  void cross_terms(size_t len, G1Jacobian& L, G1Jacobian& R) override {
    const size_t w = a_.size(), half = len / 2;
    std::vector<ScalarRaw> sl(w + 1, ScalarRaw{}), sr(w + 1, ScalarRaw{});
    for (size_t i = 0; i < w; i++) {
      const size_t pos = i & (len - 1);
      if (pos >= half) sl[i] = scalar_raw(a_[pos - half] * coef_[i]);  // a_lo paired with G_hi
      else sr[i] = scalar_raw(a_[pos + half] * coef_[i]);             // a_hi paired with G_lo
    }
    sl[w] = scalar_raw(inner(a_.data(), b_.data() + half, half));
    sr[w] = scalar_raw(inner(a_.data() + half, b_.data(), half));
    L = cpu::g1_msm(points_.data(), sl.data(), w + 1);
    R = cpu::g1_msm(points_.data(), sr.data(), w + 1);
  }
  void fold(size_t len, const Fr& x, const Fr& xi) override {
    const size_t half = len / 2;
    for (size_t k = 0; k < half; k++) {
      a_[k] = a_[k] * x + a_[k + half] * xi;
      b_[k] = b_[k] * xi + b_[k + half] * x;
    }
    for (size_t i = 0; i < coef_.size(); i++) coef_[i] *= (i & half) ? x : xi;
  }
  std::vector<Fr> final_a(size_t len) override { return std::vector<Fr>(a_.begin(), a_.begin() + len); }

 private:
  std::shared_ptr<const PedersenGenerators> key_;
  std::vector<Fr> a_, b_, coef_;
  std::vector<G1Affine> points_;
};

Fr as_fr(int32_t v) { return fr_from_i64(v); }
const Fr& as_fr(const Fr& v) { return v; }

// Tensors of int32 values or of field elements (T), each of n entries.
template <class T>
class CpuBatchOpening : public BatchOpening {
 public:
  CpuBatchOpening(std::shared_ptr<const PedersenGenerators> key, std::vector<std::vector<T>> t, size_t n)
      : key_(std::move(key)), n_(n), t_(std::move(t)) {}
  size_t num() const override { return t_.size(); }
  std::vector<G1Affine> commit(size_t i) override {
    return pedersen_commit_rows(Backend::Cpu, *key_, t_.at(i).data(), n_);
  }
  std::vector<std::vector<Fr>> evaluate(const std::vector<OpeningTerm>& terms) override {
    const size_t w = key_->g.size();
    terms_ = terms;
    folds_.assign(terms.size(), std::vector<std::vector<Fr>>(t_.size(), std::vector<Fr>(w, Fr::zero())));
    std::vector<std::vector<Fr>> values(terms.size(), std::vector<Fr>(t_.size()));
    for (size_t k = 0; k < terms.size(); k++)
      for (size_t i = 0; i < t_.size(); i++) {
        auto& f = folds_[k][i];
        const auto& e_row = terms[k].rows;
        cpu_parallel_chunks(std::min(w, n_), [&](size_t lo, size_t hi, size_t) {
          for (size_t r = 0; r * w < n_; r++)
            if (!e_row[r].is_zero())
              for (size_t c = lo; c < hi; c++) f[c] += e_row[r] * as_fr(t_[i][r * w + c]);
        });
        values[k][i] = inner(f.data(), terms[k].cols.data(), w);
      }
    return values;
  }
  std::unique_ptr<IpaEngine> combine(const std::vector<Fr>& coeffs, size_t term) override {
    const size_t w = key_->g.size();
    std::vector<Fr> a(w, Fr::zero());
    const auto& folds = folds_.at(term);
    for (size_t i = 0; i < folds.size(); i++)
      for (size_t c = 0; c < w; c++) a[c] += coeffs.at(i) * folds[i][c];
    return cpu::make_ipa_engine(key_, std::move(a), terms_[term].cols);
  }
  std::vector<Fr> fold(size_t i, size_t term) override { return folds_.at(term).at(i); }

 private:
  std::shared_ptr<const PedersenGenerators> key_;
  size_t n_;
  std::vector<std::vector<T>> t_;
  std::vector<std::vector<std::vector<Fr>>> folds_;  // [term][tensor][column]
  std::vector<OpeningTerm> terms_;
};

// The int32 tensors of a source, zero beyond its logical entries.
std::vector<std::vector<int32_t>> int_tensors(const IntTensorSource& src, size_t n) {
  const size_t num = src.seeded ? src.ids.size() : src.given.size();
  std::vector<std::vector<int32_t>> out(num, std::vector<int32_t>(n, 0));
  for (size_t i = 0; i < num; i++) {
    auto& t = out[i];
    if (!src.seeded) {
      std::copy(src.given[i].begin(), src.given[i].end(), t.begin());
      continue;
    }
    cpu_parallel_chunks(src.logical, [&](size_t lo, size_t hi, size_t) {
      for (size_t k = lo; k < hi; k++) {
        int64_t v = witness_int(src.seed, src.ids[i], k, src.lo, src.span);
        if (!src.times.empty()) v *= witness_int(src.seed, src.times[i], k, src.lo, src.span);
        t[k] = (int32_t)v;
      }
    });
  }
  return out;
}

}  // namespace

namespace cpu {
std::unique_ptr<IpaEngine> make_ipa_engine(std::shared_ptr<const PedersenGenerators> key, std::vector<Fr> a,
                                           std::vector<Fr> b) {
  return std::make_unique<CpuIpaEngine>(std::move(key), std::move(a), std::move(b));
}
std::unique_ptr<BatchOpening> make_int_batch_opening(std::shared_ptr<const PedersenGenerators> key,
                                                     IntTensorSource src, size_t n) {
  return std::make_unique<CpuBatchOpening<int32_t>>(std::move(key), int_tensors(src, n), n);
}
std::unique_ptr<BatchOpening> make_field_opening(std::shared_ptr<const PedersenGenerators> key, const Fr* t, size_t n) {
  return std::make_unique<CpuBatchOpening<Fr>>(std::move(key), std::vector<std::vector<Fr>>{std::vector<Fr>(t, t + n)}, n);
}
}  // namespace cpu
