// Commit mode of the protocol ops: the prover commits to every witness tensor (row-wise Pedersen,
// rows of genDim) and absorbs the commitments before any challenge that depends on them, and
// opens every final evaluation claim with a Hyrax proof, so the verifier needs the commitments
// and the proof only, not the tensors.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "../commit/generators.h"
#include "claims_opening.h"
#include "hyrax.h"
#include "protocol_io.h"
#include "sumcheck.h"

using DimsOf = std::function<LogicalDims(const std::string&)>;

class WitnessCommitments {
 public:
  // Null unless p.commit; the verifier's copy holds the statement's commitments.
  static std::unique_ptr<WitnessCommitments> for_prover(const ProtocolParams& p);
  static std::unique_ptr<WitnessCommitments> for_verifier(const ProtocolParams& p, const WitnessSource& w);
  // A verifier's set is derived in this process (GPU when one is usable), never read from disk.
  WitnessCommitments(const ProtocolParams& p, Backend backend, bool verifier = false);
  // Prover: commits t under `name` and absorbs the rows. On the GPU (while the tensors held fit a
  // quarter of its memory) t goes into a field opening engine that commits it there and keeps it
  // for its opening, so neither pass is the host's.
  void commit(Transcript& tr, const std::string& name, const std::vector<Fr>& t);
  // Verifier: absorbs the given rows of `name` (a tensor of n entries); false when absent or the
  // wrong number of rows.
  bool absorb(Transcript& tr, const std::string& name, size_t n, std::string& reason);
  // Prover: records rows computed elsewhere (an opening engine) under `name` and absorbs them.
  void add(Transcript& tr, const std::string& name, std::vector<G1Affine> rows_of_name);
  // Prover: opens every claim of `evals` in one argument (claims_opening.h). A tensor comes from
  // this set's engine when one holds it, else from `held`, else from tensor(name) (padded layout).
  void open_claims(Transcript& tr, const std::vector<FinalEval>& evals, const DimsOf& dims,
                   ProofWriter& out, const std::function<std::vector<Fr>(const std::string&)>& tensor = nullptr,
                   const std::map<std::string, ClaimTensor>& held = {});
  // Prover: appends an opening.
  static void write_opening(const OpeningProof& p, ProofWriter& out);
  Backend backend() const { return backend_; }
  const std::shared_ptr<const PedersenGenerators>& generators() const { return gens_; }
  // Verifier: reads one opening of a tensor of `dims` from the proof bytes (the 'opening' op's).
  bool read_opening(ProofReader& rd, const LogicalDims& dims, OpeningProof& out) const;
  // Verifier: reads the one opening of claims on tensors of `dims` (one entry per claim, in order).
  bool read_claims(ProofReader& rd, const std::vector<LogicalDims>& dims, ClaimsOpeningProof& out) const;
  // Verifier: checks that opening against the committed rows.
  bool verify_claims(Transcript& tr, const std::vector<FinalEval>& evals,
                     const DimsOf& dims, const ClaimsOpeningProof& proof,
                     std::string& reason) const;
  // Row commitments by tensor name: the prover's output, the verifier's input.
  std::map<std::string, std::vector<G1Affine>> rows;

 private:
  Backend backend_;
  std::shared_ptr<const PedersenGenerators> gens_;
  std::map<std::string, std::unique_ptr<BatchOpening>> engines_;
  size_t engine_bytes_ = 0, engine_budget_ = 0;
};

// Prover, after the sumcheck messages: in commit mode, opens every final claim of `out` (on the
// zero-padded tensor that `tensor(name)` rebuilds, of logical `dims(name)`) and records the
// commitments; nothing otherwise.
void open_final_evals(WitnessCommitments* wc, Transcript& tr, ProtocolOutput& out,
                      const std::function<std::vector<Fr>(const std::string&)>& tensor, const DimsOf& dims);

// A proof made of one sumcheck followed, in commit mode (wc not null), by the opening of the claims
// on tensors of `opened` (their shapes, one per claim in order).
bool read_sumcheck_and_openings(const std::vector<uint8_t>& bytes, int vars, int degree, SumcheckProof& proof,
                                const WitnessCommitments* wc, const std::vector<LogicalDims>& opened,
                                ClaimsOpeningProof& openings, std::string& reason);
