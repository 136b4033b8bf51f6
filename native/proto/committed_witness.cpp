#include "committed_witness.h"
#include <stdexcept>
#include "../commit/pedersen.h"
#include "../mle/mle.h"
#include "tensor_store.h"

WitnessCommitments::WitnessCommitments(const ProtocolParams& p, Backend backend, bool verifier) : backend_(backend) {
  if (p.gen_dim == 0 || (p.gen_dim & (p.gen_dim - 1)) || p.gen_dim > MAX_GENERATOR_DIM)
    throw std::invalid_argument("genDim must be a power of two in [1, 2^20]");
  GeneratorOptions opt;
  opt.derived_only = verifier;
  gens_ = pedersen_generators(p.gen_label, p.gen_dim, verifier ? resolve_backend("auto") : backend, opt);
  if (!verifier && backend == Backend::Cuda) {
    const auto gpus = gpu_devices();
    if (!gpus.empty()) engine_budget_ = gpus[0].total_memory / 4;
  }
}

std::unique_ptr<WitnessCommitments> WitnessCommitments::for_prover(const ProtocolParams& p) {
  return p.commit ? std::make_unique<WitnessCommitments>(p, p.prover.backend) : nullptr;
}

std::unique_ptr<WitnessCommitments> WitnessCommitments::for_verifier(const ProtocolParams& p, const WitnessSource& w) {
  if (!p.commit) return nullptr;
  auto wc = std::make_unique<WitnessCommitments>(p, Backend::Cpu, true);
  wc->rows = w.commitments;
  return wc;
}

void WitnessCommitments::commit(Transcript& tr, const std::string& name, const std::vector<Fr>& t) {
  const size_t bytes = t.size() * sizeof(Fr);
  if (!t.empty() && !(t.size() & (t.size() - 1)) && engine_bytes_ + bytes <= engine_budget_) {
    auto engine = make_field_opening(backend_, gens_, t.data(), t.size());
    add(tr, name, engine->commit(0));
    engines_[name] = std::move(engine);
    engine_bytes_ += bytes;
    return;
  }
  add(tr, name, pedersen_commit_rows(backend_, *gens_, t.data(), t.size()));
}

void WitnessCommitments::add(Transcript& tr, const std::string& name, std::vector<G1Affine> rows_of_name) {
  rows[name] = std::move(rows_of_name);
  absorb_points(tr, "commitment/" + name, rows[name]);
}

bool WitnessCommitments::absorb(Transcript& tr, const std::string& name, size_t n, std::string& reason) {
  auto it = rows.find(name);
  if (it == rows.end()) return reason = "statement has no commitment to '" + name + "'", false;
  const size_t w = gens_->g.size(), expected = (n + w - 1) / w;
  if (it->second.size() != expected)
    return reason = "commitment to '" + name + "' has " + std::to_string(it->second.size()) + " rows, expected " +
                    std::to_string(expected), false;
  absorb_points(tr, "commitment/" + name, it->second);
  return true;
}

void WitnessCommitments::open_claims(Transcript& tr, const std::vector<FinalEval>& evals, const DimsOf& dims,
                                     ProofWriter& out, const std::function<std::vector<Fr>(const std::string&)>& tensor,
                                     const std::map<std::string, ClaimTensor>& held) {
  std::map<std::string, std::vector<Fr>> host;  // tensors rebuilt for their claims, once each
  std::vector<OpenedClaim> claims;
  for (const auto& e : evals) {
    ClaimTensor t;
    if (auto en = engines_.find(e.tensor); en != engines_.end()) {
      t.engine = en->second.get();
    } else if (auto h = held.find(e.tensor); h != held.end()) {
      t = h->second;
    } else {
      if (!tensor) throw std::logic_error("opening: no tensor for '" + e.tensor + "'");
      auto it = host.find(e.tensor);
      if (it == host.end()) it = host.emplace(e.tensor, tensor(e.tensor)).first;
      t.host = &it->second;
    }
    claims.push_back({e, dims(e.tensor), t});
  }
  prove_claims_opening(tr, claims, gens_, backend_, out);
}

void WitnessCommitments::write_opening(const OpeningProof& p, ProofWriter& out) {
  for (const auto& v : p.term_values) out.fr(v);
  for (const auto& part : p.parts) write_ipa(part, out);
}

bool WitnessCommitments::read_opening(ProofReader& rd, const LogicalDims& dims, OpeningProof& out) const {
  const size_t terms = opening_term_count(dims, gens_->g.size());
  if (!rd.frs(terms - 1, out.term_values)) return false;
  out.parts.resize(terms);
  for (auto& part : out.parts)
    if (!read_ipa(rd, gens_->g.size(), part)) return false;
  return true;
}

bool WitnessCommitments::read_claims(ProofReader& rd, const std::vector<LogicalDims>& dims, ClaimsOpeningProof& out) const {
  return read_claims_opening(rd, claims_opening_pairs(dims, gens_->g.size()), gens_->g.size(), out);
}

bool WitnessCommitments::verify_claims(Transcript& tr, const std::vector<FinalEval>& evals, const DimsOf& dims,
                                       const ClaimsOpeningProof& proof, std::string& reason) const {
  return verify_claims_opening(tr, evals, dims, rows, proof, *gens_, verifier_config().backend, reason);
}

void open_final_evals(WitnessCommitments* wc, Transcript& tr, ProtocolOutput& out,
                      const std::function<std::vector<Fr>(const std::string&)>& tensor, const DimsOf& dims) {
  if (!wc) return;
  wc->open_claims(tr, out.evals, dims, out.proof, tensor);
  out.commitments = wc->rows;
}

bool read_sumcheck_and_openings(const std::vector<uint8_t>& bytes, int vars, int degree, SumcheckProof& proof,
                                const WitnessCommitments* wc, const std::vector<LogicalDims>& opened,
                                ClaimsOpeningProof& openings, std::string& reason) {
  return read_whole_proof(
      bytes,
      [&](ProofReader& rd) { return read_sumcheck(rd, vars, degree, proof) && (!wc || wc->read_claims(rd, opened, openings)); },
      reason);
}
