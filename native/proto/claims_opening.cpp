#include "claims_opening.h"
#include <array>
#include <stdexcept>
#include "../mle/mle.h"
#include "../platform/cpu_parallel.h"

namespace {
const std::string LABEL = "open/claims";

// The reduction's sumcheck of Σ_g <a_g, c_g> over vectors of w entries, on the host: a few
// vectors of at most 2^20 entries, less than a device round trip would cost.
class PairsEngine : public SumcheckEngine {
 public:
  PairsEngine(std::vector<std::vector<Fr>> a, std::vector<std::vector<Fr>> c)
      : a_(std::move(a)), c_(std::move(c)), len_(a_[0].size()) {}
  std::vector<Fr> round_values() override {
    const size_t half = len_ / 2;
    std::vector<std::array<Fr, 3>> part(cpu::thread_count(), {Fr::zero(), Fr::zero(), Fr::zero()});
    cpu_parallel_chunks(half, [&](size_t lo, size_t hi, size_t t) {
      Fr s0 = Fr::zero(), s1 = Fr::zero(), s2 = Fr::zero();
      for (size_t g = 0; g < a_.size(); g++) {
        const Fr *a = a_[g].data(), *c = c_[g].data();
        for (size_t i = lo; i < hi; i++) {
          const Fr &a0 = a[2 * i], &a1 = a[2 * i + 1], &c0 = c[2 * i], &c1 = c[2 * i + 1];
          s0 += a0 * c0;
          s1 += a1 * c1;
          s2 += (a1 + a1 - a0) * (c1 + c1 - c0);
        }
      }
      part[t] = {s0, s1, s2};
    });
    std::vector<Fr> g(3, Fr::zero());
    for (const auto& p : part)
      for (int k = 0; k < 3; k++) g[k] += p[k];
    return g;
  }
  void bind(const Fr& r) override {
    const size_t half = len_ / 2;
    for (auto* vs : {&a_, &c_})
      for (auto& v : *vs) {
        std::vector<Fr> next(half);
        cpu_parallel_chunks(half, [&](size_t lo, size_t hi, size_t) {
          for (size_t i = lo; i < hi; i++) next[i] = v[2 * i] + r * (v[2 * i + 1] - v[2 * i]);
        });
        v = std::move(next);
      }
    len_ = half;
  }
  std::vector<Fr> final_values() override {
    std::vector<Fr> out;
    for (size_t g = 0; g < a_.size(); g++) out.push_back(a_[g][0]), out.push_back(c_[g][0]);
    return out;
  }

 private:
  std::vector<std::vector<Fr>> a_, c_;
  size_t len_;
};

Fr inner(const std::vector<Fr>& a, const std::vector<Fr>& b) {
  std::vector<Fr> part(cpu::thread_count(), Fr::zero());
  cpu_parallel_chunks(a.size(), [&](size_t lo, size_t hi, size_t t) {
    Fr s = Fr::zero();
    for (size_t i = lo; i < hi; i++) s += a[i] * b[i];
    part[t] = s;
  });
  Fr s = Fr::zero();
  for (const Fr& x : part) s += x;
  return s;
}

// acc += c·v, entrywise.
void add_scaled(std::vector<Fr>& acc, const Fr& c, const std::vector<Fr>& v) {
  cpu_parallel_chunks(acc.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) acc[i] += c * v[i];
  });
}

int vars_of_width(size_t w) {
  const int m = mle_vars(w);
  if (w == 0 || (size_t(1) << m) != w) throw std::invalid_argument("generator dimension must be a power of two");
  return m;
}
}  // namespace

void write_ipa(const IpaProof& p, ProofWriter& out) {
  for (const auto& L : p.L) out.point(L);
  for (const auto& R : p.R) out.point(R);
  for (const auto& a : p.a) out.fr(a);
}

bool read_ipa(ProofReader& rd, size_t w, IpaProof& out) {
  const int m = vars_of_width(w), rounds = ipa_rounds(m);
  out.L.resize(rounds);
  out.R.resize(rounds);
  for (auto& L : out.L)
    if (!rd.point(L)) return false;
  for (auto& R : out.R)
    if (!rd.point(R)) return false;
  return rd.frs(ipa_final_length(m), out.a);
}

void prove_claims_opening(Transcript& tr, const std::vector<OpenedClaim>& claims,
                          std::shared_ptr<const PedersenGenerators> key, Backend backend, ProofWriter& out) {
  if (claims.empty()) return;
  const size_t w = key->g.size();
  const int m = vars_of_width(w);
  for (const auto& c : claims) tr.absorb_fr(LABEL + "/value", c.eval.value);
  const Fr rho = tr.challenge_fr(LABEL + "/rho");

  // Every claim's row folds, one per term; an engine evaluates once per point it is asked at.
  struct Pair {
    std::vector<Fr> fold;
    std::vector<Fr> cols;
    Fr coeff;
  };
  std::vector<Pair> pairs;
  std::map<BatchOpening*, std::pair<std::vector<Fr>, LogicalDims>> evaluated;
  Fr pw = Fr::one();
  for (const auto& c : claims) {
    auto terms = opening_terms(c.dims, w, c.eval.point);
    const ClaimTensor& t = c.tensor;
    if (t.engine) {
      auto& at = evaluated[t.engine];
      if (at.first != c.eval.point || at.second != c.dims) {
        t.engine->evaluate(terms);
        at = {c.eval.point, c.dims};
      }
    } else if (!t.host) {
      throw std::logic_error("opening: claim on '" + c.eval.tensor + "' has no tensor");
    }
    for (size_t k = 0; k < terms.size(); k++)
      pairs.push_back({t.engine ? t.engine->fold(t.index, k) : row_fold(*t.host, terms[k].rows, w),
                       std::move(terms[k].cols), pw});
    pw *= rho;
  }

  // The reduction runs over one vector per distinct column weights: Σ of ρ^j·f_p over its pairs.
  std::vector<std::vector<Fr>> ga, gc;
  for (const auto& p : pairs) {
    size_t g = 0;
    while (g < gc.size() && gc[g] != p.cols) g++;
    if (g == gc.size()) ga.emplace_back(w, Fr::zero()), gc.push_back(p.cols);
    add_scaled(ga[g], p.coeff, p.fold);
  }
  PairsEngine reduction(std::move(ga), std::move(gc));
  SumcheckProof red;
  const auto res = sumcheck_prove(tr, LABEL + "/reduce", reduction, m, SumcheckTerms{}, red);
  write_sumcheck(out, red);

  const std::vector<Fr> eq_s = eq_table(res.point);
  Fr value = Fr::zero(), sp = Fr::one();
  std::vector<Fr> a(w, Fr::zero());
  std::vector<Fr> at(pairs.size());
  for (size_t p = 0; p < pairs.size(); p++) at[p] = inner(pairs[p].fold, eq_s);
  for (const Fr& x : at) out.fr(x), tr.absorb_fr(LABEL + "/at", x);
  const Fr sigma = tr.challenge_fr(LABEL + "/sigma");
  for (size_t p = 0; p < pairs.size(); p++, sp *= sigma) {
    add_scaled(a, sp, pairs[p].fold);
    value += sp * at[p];
  }
  pairs.clear();
  auto ipa = make_ipa_engine(backend, std::move(key), std::move(a), eq_s);
  write_ipa(ipa_prove(tr, LABEL, value, *ipa, w), out);
}

size_t claims_opening_pairs(const std::vector<LogicalDims>& dims, size_t w) {
  size_t n = 0;
  for (const auto& d : dims) n += opening_term_count(d, w);
  return n;
}

bool read_claims_opening(ProofReader& rd, size_t pairs, size_t w, ClaimsOpeningProof& out) {
  if (pairs == 0) return true;
  return read_sumcheck(rd, vars_of_width(w), 2, out.reduction) && rd.frs(pairs, out.at) && read_ipa(rd, w, out.ipa);
}

bool verify_claims_opening(Transcript& tr, const std::vector<FinalEval>& evals,
                           const std::function<LogicalDims(const std::string&)>& dims,
                           const std::map<std::string, std::vector<G1Affine>>& rows, const ClaimsOpeningProof& proof,
                           const PedersenGenerators& key, Backend backend, std::string& reason) {
  if (evals.empty()) return true;
  const size_t w = key.g.size();
  const int m = vars_of_width(w);
  for (const auto& e : evals) tr.absorb_fr(LABEL + "/value", e.value);
  const Fr rho = tr.challenge_fr(LABEL + "/rho");
  Fr claim = Fr::zero(), pw = Fr::one();
  for (const auto& e : evals) claim += pw * e.value, pw *= rho;
  SumcheckSubclaim sub;
  if (!sumcheck_verify(tr, LABEL + "/reduce", m, 2, claim, proof.reduction, sub, reason)) return false;

  struct Pair {
    const std::string* tensor;
    std::vector<Fr> rows;
    Fr coeff;
    Fr cols_at;  // cols_p~(s)
  };
  const std::vector<Fr> eq_s = eq_table(sub.point);
  std::vector<Pair> pairs;
  std::vector<std::pair<std::vector<Fr>, Fr>> cols_seen;  // equal column weights are evaluated once
  pw = Fr::one();
  for (const auto& e : evals) {
    for (auto& term : opening_terms(dims(e.tensor), w, e.point)) {
      size_t k = 0;
      while (k < cols_seen.size() && cols_seen[k].first != term.cols) k++;
      if (k == cols_seen.size()) {
        const Fr v = inner(term.cols, eq_s);
        cols_seen.emplace_back(std::move(term.cols), v);
      }
      pairs.push_back({&e.tensor, std::move(term.rows), pw, cols_seen[k].second});
    }
    pw *= rho;
  }
  if (proof.at.size() != pairs.size())
    return reason = LABEL + ": expected " + std::to_string(pairs.size()) + " values at the reduced point, got " +
                    std::to_string(proof.at.size()), false;
  Fr expected = Fr::zero();
  for (size_t p = 0; p < pairs.size(); p++) expected += pairs[p].coeff * proof.at[p] * pairs[p].cols_at;
  if (expected != sub.expected) return reason = LABEL + ": the reduction's last round does not match the values sent", false;
  for (const Fr& x : proof.at) tr.absorb_fr(LABEL + "/at", x);
  const Fr sigma = tr.challenge_fr(LABEL + "/sigma");

  // The argument's vector is committed as Σ_p σ^p Σ_r rows_p[r]·C_{j(p),r}: every committed row
  // of every claimed tensor goes into its final MSM once, with its weights summed.
  std::map<std::string, std::vector<Fr>> weights;
  Fr value = Fr::zero(), sp = Fr::one();
  for (size_t p = 0; p < pairs.size(); p++, sp *= sigma) {
    const std::string& name = *pairs[p].tensor;
    auto it = rows.find(name);
    if (it == rows.end()) return reason = "statement has no commitment to '" + name + "'", false;
    if (it->second.size() != pairs[p].rows.size())
      return reason = "commitment to '" + name + "' has " + std::to_string(it->second.size()) + " rows, expected " +
                      std::to_string(pairs[p].rows.size()), false;
    auto& wt = weights[name];
    wt.resize(pairs[p].rows.size(), Fr::zero());
    for (size_t r = 0; r < wt.size(); r++) wt[r] += sp * pairs[p].rows[r];
    value += sp * proof.at[p];
  }
  std::vector<G1Affine> all_rows;
  std::vector<Fr> all_weights;
  for (const auto& [name, wt] : weights) {
    const auto& rs = rows.at(name);
    all_rows.insert(all_rows.end(), rs.begin(), rs.end());
    all_weights.insert(all_weights.end(), wt.begin(), wt.end());
  }
  return ipa_verify(tr, LABEL, all_rows, all_weights, eq_s, value, proof.ipa, key, backend, reason);
}
