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
#include "hyrax.h"
#include "protocol_io.h"
#include "sumcheck.h"

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
  // Whether `name` is held by such an engine: its opening needs no host tensor.
  bool holds(const std::string& name) const { return engines_.count(name) > 0; }
  // Verifier: absorbs the given rows of `name` (a tensor of n entries); false when absent or the
  // wrong number of rows.
  bool absorb(Transcript& tr, const std::string& name, size_t n, std::string& reason);
  // Prover: records rows computed elsewhere (an opening engine) under `name` and absorbs them.
  void add(Transcript& tr, const std::string& name, std::vector<G1Affine> rows_of_name);
  // Prover: a Hyrax opening of claim e (on the zero-padded logical tensor of `dims`, held padded in
  // t, or by an engine: then t is not read), appended to the proof.
  void open(Transcript& tr, const FinalEval& e, const std::vector<Fr>& t, const LogicalDims& dims, ProofWriter& out);
  // Prover: appends an opening.
  static void write_opening(const OpeningProof& p, ProofWriter& out);
  Backend backend() const { return backend_; }
  const std::shared_ptr<const PedersenGenerators>& generators() const { return gens_; }
  // Verifier: reads one opening of a tensor of `dims` from the proof bytes.
  bool read_opening(ProofReader& rd, const LogicalDims& dims, OpeningProof& out) const;
  // Verifier: checks the opening of e on the committed tensor `e.tensor` of logical `dims`.
  bool verify_open(Transcript& tr, const FinalEval& e, const LogicalDims& dims, const OpeningProof& proof,
                   std::string& reason) const;
  // Reads the openings that follow the sumcheck messages, one per tensor shape in order.
  bool read_openings(ProofReader& rd, const std::vector<LogicalDims>& dims, std::vector<OpeningProof>& out) const;
  // Row commitments by tensor name: the prover's output, the verifier's input.
  std::map<std::string, std::vector<G1Affine>> rows;

 private:
  Backend backend_;
  std::shared_ptr<const PedersenGenerators> gens_;
  std::map<std::string, std::unique_ptr<BatchOpening>> engines_;
  size_t engine_bytes_ = 0, engine_budget_ = 0;
};

using DimsOf = std::function<LogicalDims(const std::string&)>;

// Prover, after the sumcheck messages: in commit mode, opens every final claim of `out` (on the
// zero-padded tensor that `tensor(name)` rebuilds, of logical `dims(name)`) and records the
// commitments; nothing otherwise.
void open_final_evals(WitnessCommitments* wc, Transcript& tr, ProtocolOutput& out,
                      const std::function<std::vector<Fr>(const std::string&)>& tensor, const DimsOf& dims);
// Verifier: checks the openings read from the proof, one per final claim, in order.
bool check_openings(const WitnessCommitments& wc, Transcript& tr, const std::vector<FinalEval>& evals,
                    const std::vector<OpeningProof>& openings, const DimsOf& dims, std::string& reason);

// The Hyrax opening of a claim on the tensor an opening engine holds alone (on the GPU on the
// device; an engine's fold of a term goes into one argument), with the same transcript and bytes
// as WitnessCommitments::open.
void open_from_engine(Transcript& tr, BatchOpening& engine, const std::string& name, const std::vector<Fr>& point,
                      const LogicalDims& dims, size_t width, ProofWriter& out);

// A proof made of one sumcheck followed, in commit mode (wc not null), by one opening per entry of
// `opened` (the shapes of the tensors opened, in order).
bool read_sumcheck_and_openings(const std::vector<uint8_t>& bytes, int vars, int degree, SumcheckProof& proof,
                                const WitnessCommitments* wc, const std::vector<LogicalDims>& opened,
                                std::vector<OpeningProof>& openings, std::string& reason);
