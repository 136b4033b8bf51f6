#include "sumcheck.h"
#include <stdexcept>
#include "../backend/cpu_parallel.h"
#include "../mle/mle.h"

namespace {
constexpr int MAXD = SUMCHECK_MAX_FACTORS + 1;

// Σ over pairs of the round polynomial's values at t = 0..degree.
std::vector<Fr> round_values(const std::vector<std::vector<Fr>>& tensors, const SumcheckTerms& terms) {
  const size_t pairs = tensors[0].size() / 2;
  const int d = terms.degree, nt = (int)tensors.size();
  std::vector<std::vector<Fr>> partial(cpu::thread_count() + 1, std::vector<Fr>(d + 1, Fr::zero()));
  cpu_parallel_chunks(pairs, [&](size_t lo, size_t hi, size_t tid) {
    std::vector<Fr>& acc = partial[tid];
    Fr vals[16][MAXD];
    for (size_t i = lo; i < hi; i++) {
      for (int f = 0; f < nt; f++) {
        const Fr a = tensors[f][2 * i], diff = tensors[f][2 * i + 1] - a;
        vals[f][0] = a;
        for (int t = 1; t <= d; t++) vals[f][t] = vals[f][t - 1] + diff;
      }
      for (int k = 0; k < terms.count; k++)
        for (int t = 0; t <= d; t++) {
          Fr prod = vals[terms.factor[k][0]][t];
          for (int j = 1; j < terms.nfactors[k]; j++) prod *= vals[terms.factor[k][j]][t];
          acc[t] += terms.coeff[k] * prod;
        }
    }
  }, 2048);
  std::vector<Fr> out(d + 1, Fr::zero());
  for (auto& p : partial)
    for (int t = 0; t <= d; t++) out[t] += p[t];
  return out;
}

void absorb_round(Transcript& tr, const std::string& label, size_t j, const std::vector<Fr>& g) {
  for (size_t t = 0; t < g.size(); t++) tr.absorb_fr(label + "/round/" + std::to_string(j), g[t]);
}
}  // namespace

Fr sumcheck_combine(const SumcheckTerms& terms, const std::vector<Fr>& values) {
  Fr acc = Fr::zero();
  for (int k = 0; k < terms.count; k++) {
    Fr prod = terms.coeff[k];
    for (int j = 0; j < terms.nfactors[k]; j++) prod *= values[terms.factor[k][j]];
    acc += prod;
  }
  return acc;
}

SumcheckProverResult sumcheck_prove(Transcript& tr, const std::string& label, std::vector<std::vector<Fr>>& tensors,
                                    const SumcheckTerms& terms, SumcheckProof& proof) {
  if (tensors.empty() || tensors.size() > 16) throw std::logic_error("sumcheck: 1 to 16 tensors");
  const size_t n = tensors[0].size();
  for (auto& t : tensors)
    if (t.size() != n) throw std::logic_error("sumcheck: tensors of different lengths");
  if (n == 0 || (n & (n - 1))) throw std::logic_error("sumcheck: tensor length must be a power of two");
  const int k = mle_vars(n);
  SumcheckProverResult res;
  proof.rounds.clear();
  for (int j = 0; j < k; j++) {
    std::vector<Fr> g = round_values(tensors, terms);
    absorb_round(tr, label, j, g);
    proof.rounds.push_back(g);
    Fr r = tr.challenge_fr(label + "/challenge/" + std::to_string(j));
    res.point.push_back(r);
    for (auto& t : tensors) mle_fold(t, r);
  }
  for (auto& t : tensors) res.final_values.push_back(t[0]);
  return res;
}

bool sumcheck_verify(Transcript& tr, const std::string& label, int nvars, int degree, const Fr& claim,
                     const SumcheckProof& proof, SumcheckSubclaim& out, std::string& reason) {
  if ((int)proof.rounds.size() != nvars) {
    reason = label + ": expected " + std::to_string(nvars) + " rounds, proof has " + std::to_string(proof.rounds.size());
    return false;
  }
  Fr expected = claim;
  out.point.clear();
  for (int j = 0; j < nvars; j++) {
    const auto& g = proof.rounds[j];
    if ((int)g.size() != degree + 1) {
      reason = label + ": round " + std::to_string(j) + " has the wrong degree";
      return false;
    }
    if (g[0] + g[1] != expected) {
      reason = label + ": round " + std::to_string(j) + " does not sum to the running claim";
      return false;
    }
    absorb_round(tr, label, j, g);
    Fr r = tr.challenge_fr(label + "/challenge/" + std::to_string(j));
    out.point.push_back(r);
    expected = interpolate_at(g, r);
  }
  out.expected = expected;
  return true;
}
