// Commit mode's openings: every final evaluation claim of a proof in one inner-product argument,
// whatever the number of claims and of points they are at.
//
// Claim j says that the masked MLE of committed tensor T_j at z_j is v_j. Its opening terms
// (padding_mask.h) give row folds f_p = Σ_r rows_p[r]·T_j,r, one per term p, with
// v_j = Σ_{p of j} <f_p, cols_p>. The values are absorbed, ρ drawn, and a sumcheck over the w
// columns proves
//   Σ_p ρ^j(p)·<f_p, cols_p> = Σ_j ρ^j·v_j        (degree 2; pairs with equal cols summed first)
// down to a point s, where the prover sends every f_p(s). The verifier checks the last round
// against Σ_p ρ^j(p)·f_p(s)·cols_p~(s), draws σ, and one argument proves
//   <Σ_p σ^p·f_p, eq(s, ·)> = Σ_p σ^p·f_p(s)
// against Σ_p σ^p Σ_r rows_p[r]·C_{j(p),r}, which the verifier puts into the argument's final MSM.
// An argument costs the prover about ten MSMs over the generators; one per claim and term was
// most of commit mode's time, and claims at different points could not share one without this
// reduction (a sumcheck over w entries, on the host).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "hyrax.h"
#include "protocol_io.h"
#include "sumcheck.h"

// Where the prover finds a claim's tensor: tensor `index` of an opening engine, or a host tensor
// (padded layout).
struct ClaimTensor {
  BatchOpening* engine = nullptr;
  size_t index = 0;
  const std::vector<Fr>* host = nullptr;
};

struct OpenedClaim {
  FinalEval eval;
  LogicalDims dims;
  ClaimTensor tensor;
};

struct ClaimsOpeningProof {
  SumcheckProof reduction;
  std::vector<Fr> at;  // f_p(s), one per claim and term
  IpaProof ipa;
};

// Prover: appends the opening of every claim (nothing when there is none).
void prove_claims_opening(Transcript& tr, const std::vector<OpenedClaim>& claims,
                          std::shared_ptr<const PedersenGenerators> key, Backend backend, ProofWriter& out);

// How many (claim, term) pairs claims on tensors of these shapes have.
size_t claims_opening_pairs(const std::vector<LogicalDims>& dims, size_t w);
// The bytes of an opening of that many pairs over w = 2^m generators (none for none).
inline size_t claims_opening_bytes(size_t pairs, int m) {
  return pairs == 0 ? 0 : 32 * (3 * (size_t)m + pairs) + ipa_proof_bytes(m);
}
// Reads an opening of that many pairs (nothing when zero).
bool read_claims_opening(ProofReader& rd, size_t pairs, size_t w, ClaimsOpeningProof& out);

// Verifier: the claims `evals` (tensor shapes from `dims`) against the committed rows.
bool verify_claims_opening(Transcript& tr, const std::vector<FinalEval>& evals,
                           const std::function<LogicalDims(const std::string&)>& dims,
                           const std::map<std::string, std::vector<G1Affine>>& rows, const ClaimsOpeningProof& proof,
                           const PedersenGenerators& key, Backend backend, std::string& reason);

void write_ipa(const IpaProof& p, ProofWriter& out);
bool read_ipa(ProofReader& rd, size_t w, IpaProof& out);
