#include "sumcheck.h"
#include <stdexcept>
#include "../mle/mle.h"

namespace {
std::string round_label(const std::string& label, size_t j) { return label + "/round/" + std::to_string(j); }
std::string challenge_label(const std::string& label, size_t j) { return label + "/challenge/" + std::to_string(j); }

void absorb_round(Transcript& tr, const std::string& label, size_t j, const std::vector<Fr>& g) {
  const std::string l = round_label(label, j);
  for (size_t t = 0; t < g.size(); t++) tr.absorb_fr(l, g[t]);
}
}  // namespace

SumcheckRoundLabels sumcheck_round_labels(const std::string& label, int j0, int k) {
  SumcheckRoundLabels l;
  for (int j = j0; j < k; j++) l.round.push_back(round_label(label, j)), l.challenge.push_back(challenge_label(label, j));
  return l;
}

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
                                    const SumcheckTerms& terms, SumcheckProof& proof, const ProverConfig& cfg,
                                    const std::function<void(const Fr&)>& on_total) {
  auto engine = make_sumcheck_engine(cfg, tensors, terms);
  return sumcheck_prove(tr, label, *engine, mle_vars(tensors[0].size()), terms, proof, on_total);
}

SumcheckProverResult sumcheck_prove(Transcript& tr, const std::string& label, SumcheckEngine& e, int k,
                                    const SumcheckTerms& terms, SumcheckProof& proof,
                                    const std::function<void(const Fr&)>& on_total) {
  SumcheckEngine* engine = &e;
  SumcheckProverResult res;
  proof.rounds.clear();
  for (int j = 0; j < k; j++) {
    if (engine->finish_rounds(tr, label, j, k, proof.rounds, res.point, j == 0 ? on_total : nullptr)) break;
    std::vector<Fr> g = engine->round_values();
    if (j == 0 && on_total) on_total(g[0] + g[1]);
    absorb_round(tr, label, j, g);
    proof.rounds.push_back(g);
    Fr r = tr.challenge_fr(challenge_label(label, j));
    res.point.push_back(r);
    engine->bind(r);
  }
  res.final_values = engine->final_values();
  // With no variables the total is the polynomial at the single point.
  if (k == 0 && on_total) on_total(sumcheck_combine(terms, res.final_values));
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
    Fr r = tr.challenge_fr(challenge_label(label, j));
    out.point.push_back(r);
    expected = interpolate_at(g, r);
  }
  out.expected = expected;
  return true;
}

void write_sumcheck(ProofWriter& out, const SumcheckProof& p) {
  for (auto& g : p.rounds)
    for (auto& x : g) out.fr(x);
}

bool read_sumcheck(ProofReader& rd, int vars, int degree, SumcheckProof& p) {
  p.rounds.assign(vars, {});
  for (int j = 0; j < vars; j++)
    if (!rd.frs(degree + 1, p.rounds[j])) return false;
  return true;
}

bool read_whole_proof(const std::vector<uint8_t>& bytes, const std::function<bool(ProofReader&)>& parts,
                      std::string& reason) {
  ProofReader rd(bytes);
  if (!parts(rd)) return reason = rd.problem().empty() ? "proof is malformed" : rd.problem(), false;
  if (!rd.done()) return reason = "proof is longer than the statement implies", false;
  return true;
}
