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

bool WitnessCommitments::read_openings(ProofReader& rd, const std::vector<LogicalDims>& dims,
                                       std::vector<OpeningProof>& out) const {
  out.resize(dims.size());
  for (size_t i = 0; i < dims.size(); i++)
    if (!read_opening(rd, dims[i], out[i])) return false;
  return true;
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

void WitnessCommitments::open(Transcript& tr, const FinalEval& e, const std::vector<Fr>& t, const LogicalDims& dims,
                              ProofWriter& out) {
  auto it = engines_.find(e.tensor);
  if (it != engines_.end()) return open_from_engine(tr, *it->second, e.tensor, e.point, dims, gens_->g.size(), out);
  write_opening(hyrax_prove(tr, "open/" + e.tensor, t, opening_terms(dims, gens_->g.size(), e.point), gens_, backend_),
                out);
}

void WitnessCommitments::write_opening(const OpeningProof& p, ProofWriter& out) {
  for (const auto& v : p.term_values) out.fr(v);
  for (const auto& part : p.parts) {
    for (auto& L : part.L) out.point(L);
    for (auto& R : part.R) out.point(R);
    for (const auto& a : part.a) out.fr(a);
  }
}

bool WitnessCommitments::read_opening(ProofReader& rd, const LogicalDims& dims, OpeningProof& out) const {
  const size_t terms = opening_term_count(dims, gens_->g.size());
  const int m = mle_vars(gens_->g.size()), rounds = ipa_rounds(m);
  if (!rd.frs(terms - 1, out.term_values)) return false;
  out.parts.resize(terms);
  for (auto& part : out.parts) {
    part.L.resize(rounds);
    part.R.resize(rounds);
    for (auto& L : part.L)
      if (!rd.point(L)) return false;
    for (auto& R : part.R)
      if (!rd.point(R)) return false;
    if (!rd.frs(ipa_final_length(m), part.a)) return false;
  }
  return true;
}

bool WitnessCommitments::verify_open(Transcript& tr, const FinalEval& e, const LogicalDims& dims,
                                     const OpeningProof& proof, std::string& reason) const {
  auto it = rows.find(e.tensor);
  if (it == rows.end()) return reason = "statement has no commitment to '" + e.tensor + "'", false;
  return hyrax_verify(tr, "open/" + e.tensor, it->second, opening_terms(dims, gens_->g.size(), e.point), e.value,
                      proof, *gens_, verifier_config().backend, reason);
}

void open_final_evals(WitnessCommitments* wc, Transcript& tr, ProtocolOutput& out,
                      const std::function<std::vector<Fr>(const std::string&)>& tensor, const DimsOf& dims) {
  if (!wc) return;
  for (const auto& e : out.evals) wc->open(tr, e, wc->holds(e.tensor) ? std::vector<Fr>() : tensor(e.tensor), dims(e.tensor), out.proof);
  out.commitments = wc->rows;
}

void open_from_engine(Transcript& tr, BatchOpening& engine, const std::string& name, const std::vector<Fr>& point,
                      const LogicalDims& dims, size_t width, ProofWriter& out) {
  const auto terms = opening_terms(dims, width, point);
  const auto values = engine.evaluate(terms);  // [term][tensor 0]
  OpeningProof proof;
  if (terms.size() > 1) proof.term_values.push_back(values[0][0]);
  for (size_t k = 0; k < terms.size(); k++) {
    auto ipa = engine.combine({Fr::one()}, k);
    proof.parts.push_back(ipa_prove(tr, opening_term_label("open/" + name, terms.size(), k), values[k][0], *ipa, width));
  }
  WitnessCommitments::write_opening(proof, out);
}

bool check_openings(const WitnessCommitments& wc, Transcript& tr, const std::vector<FinalEval>& evals,
                    const std::vector<OpeningProof>& openings, const DimsOf& dims, std::string& reason) {
  if (openings.size() != evals.size()) return reason = "proof holds another number of openings than claims", false;
  for (size_t i = 0; i < evals.size(); i++)
    if (!wc.verify_open(tr, evals[i], dims(evals[i].tensor), openings[i], reason)) return false;
  return true;
}

bool read_sumcheck_and_openings(const std::vector<uint8_t>& bytes, int vars, int degree, SumcheckProof& proof,
                                const WitnessCommitments* wc, const std::vector<LogicalDims>& opened,
                                std::vector<OpeningProof>& openings, std::string& reason) {
  return read_whole_proof(
      bytes,
      [&](ProofReader& rd) { return read_sumcheck(rd, vars, degree, proof) && (!wc || wc->read_openings(rd, opened, openings)); },
      reason);
}
