#include "committed_witness.h"
#include <stdexcept>
#include "../commit/pedersen.h"
#include "../mle/mle.h"

WitnessCommitments::WitnessCommitments(const ProtocolParams& p, Backend backend) : backend_(backend) {
  if (p.gen_dim == 0 || (p.gen_dim & (p.gen_dim - 1)) || p.gen_dim > MAX_GENERATOR_DIM)
    throw std::invalid_argument("genDim must be a power of two in [1, 2^20]");
  gens_ = pedersen_generators(p.gen_label, p.gen_dim, backend);
}

std::unique_ptr<WitnessCommitments> WitnessCommitments::for_prover(const ProtocolParams& p) {
  return p.commit ? std::make_unique<WitnessCommitments>(p, p.prover.backend) : nullptr;
}

std::unique_ptr<WitnessCommitments> WitnessCommitments::for_verifier(const ProtocolParams& p, const WitnessSource& w) {
  if (!p.commit) return nullptr;
  auto wc = std::make_unique<WitnessCommitments>(p, Backend::Cpu);
  wc->rows = w.commitments;
  return wc;
}

bool WitnessCommitments::read_openings(ProofReader& rd, size_t count, std::vector<IpaProof>& out) const {
  out.resize(count);
  for (auto& o : out)
    if (!read_opening(rd, o)) return false;
  return true;
}

void WitnessCommitments::commit(Transcript& tr, const std::string& name, const std::vector<Fr>& t) {
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

void WitnessCommitments::open(Transcript& tr, const FinalEval& e, const std::vector<Fr>& t, ProofWriter& out) const {
  write_opening(hyrax_prove(tr, "open/" + e.tensor, t, e.point, gens_, backend_), out);
}

void WitnessCommitments::write_opening(const IpaProof& p, ProofWriter& out) {
  for (auto& L : p.L) out.point(L);
  for (auto& R : p.R) out.point(R);
  out.fr(p.a);
}

bool WitnessCommitments::read_opening(ProofReader& rd, IpaProof& out) const {
  const int m = mle_vars(gens_->g.size());
  out.L.resize(m);
  out.R.resize(m);
  for (auto& L : out.L)
    if (!rd.point(L)) return false;
  for (auto& R : out.R)
    if (!rd.point(R)) return false;
  return rd.fr(out.a);
}

bool WitnessCommitments::verify_open(Transcript& tr, const FinalEval& e, size_t n, const IpaProof& proof,
                                     std::string& reason) const {
  auto it = rows.find(e.tensor);
  if (it == rows.end()) return reason = "statement has no commitment to '" + e.tensor + "'", false;
  return hyrax_verify(tr, "open/" + e.tensor, it->second, n, e.point, e.value, proof, *gens_, Backend::Cpu, reason);
}

void open_final_evals(WitnessCommitments* wc, Transcript& tr, ProtocolOutput& out,
                      const std::function<std::vector<Fr>(const std::string&)>& tensor) {
  if (!wc) return;
  for (const auto& e : out.evals) wc->open(tr, e, tensor(e.tensor), out.proof);
  out.commitments = wc->rows;
}

bool check_openings(const WitnessCommitments& wc, Transcript& tr, const std::vector<FinalEval>& evals,
                    const std::vector<IpaProof>& openings, const std::function<size_t(const std::string&)>& length,
                    std::string& reason) {
  for (size_t i = 0; i < evals.size(); i++)
    if (!wc.verify_open(tr, evals[i], length(evals[i].tensor), openings[i], reason)) return false;
  return true;
}

bool read_sumcheck_and_openings(const std::vector<uint8_t>& bytes, int vars, int degree, SumcheckProof& proof,
                                const WitnessCommitments* wc, size_t count, std::vector<IpaProof>& openings,
                                std::string& reason) {
  return read_whole_proof(
      bytes, [&](ProofReader& rd) { return read_sumcheck(rd, vars, degree, proof) && (!wc || wc->read_openings(rd, count, openings)); },
      reason);
}
