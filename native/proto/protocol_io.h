// What every protocol op shares: its parameters, where its witness comes from, the evaluation
// claims it ends with, and the flat scalar encoding of its proof.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "../curve/g1.cuh"
#include "../field/field.cuh"
#include "sumcheck_engine.h"
#include "transcript.h"

struct AttentionStatement;  // zkattn_witness.h

struct ProtocolParams {
  std::string op;
  uint64_t num = 1, dim = 0, dim0 = 0, dim1 = 0, dim2 = 0;
  int64_t low = 0;
  uint64_t len = 0;
  std::string domain = "zkllm-kit";
  // Commit mode: witness tensors are committed (rows of gen_dim) and final claims opened.
  bool commit = false;
  uint64_t gen_dim = 0;
  std::string gen_label = "zkllm-kit-pedersen-v1";
  ProverConfig prover;  // how to compute, not what: never absorbed into the transcript
  // 'zkattn': the configuration and the row-sum bound (bound into the transcript).
  std::shared_ptr<const AttentionStatement> attention;
  // 'zkattn': whether the caller wants the proven output O (else it stays where it was computed).
  bool return_outputs = true;
};

// Either a seed (tensors are drawn by witness_int) or explicit tensors by name, in logical
// (unpadded, row-major, instance-major) order.
struct WitnessSource {
  bool seeded = true;
  uint64_t seed = 0;
  std::map<std::string, std::vector<Fr>> tensors;
  std::map<std::string, std::vector<G1Affine>> commitments;  // commit mode, verifier side
  const std::vector<Fr>& need(const std::string& name, size_t count) const;
  std::string id() const;  // what the transcript binds: the seed, or a digest of the tensors
};

// A claim that the MLE of witness tensor `tensor` (padded layout) at `point` equals `value`.
struct FinalEval {
  std::string tensor;
  std::vector<Fr> point;
  Fr value;
};

// Proof bytes: scalars as canonical 32-byte little-endian integers, points in the 96-byte ZCash
// encoding, in transcript order. The writer appends; the reader refuses a short proof, a scalar not
// below p and bytes that are not a point of G1, instead of reading past the end.
class ProofWriter {
 public:
  void fr(const Fr& x);
  void point(const G1Affine& p);
  std::vector<uint8_t> bytes;
};

class ProofReader {
 public:
  explicit ProofReader(const std::vector<uint8_t>& b) : b_(b) {}
  bool fr(Fr& out);
  bool frs(size_t n, std::vector<Fr>& out);
  bool point(G1Affine& out);
  bool done() const { return pos_ == b_.size(); }
  const std::string& problem() const { return problem_; }

 private:
  const std::vector<uint8_t>& b_;
  size_t pos_ = 0;
  std::string problem_;
};

struct ProtocolOutput {
  std::vector<Fr> claims;          // public claimed values (op-specific meaning)
  std::vector<FinalEval> evals;    // what the verifier is left to check on the witness
  ProofWriter proof;               // every prover message, in transcript order
  std::map<std::string, std::vector<G1Affine>> commitments;  // commit mode: row commitments by tensor
  std::vector<std::pair<std::string, double>> phases_ms;  // where the prover's time went
  // 'zkattn': the proven output (O) as integers, and the lookups the proof holds.
  std::map<std::string, std::vector<int64_t>> int_outputs;
  struct Lookup {
    std::string stage;
    int table_bits;
    uint64_t entries;
  };
  std::vector<Lookup> lookups;
};

// Records the wall time between successive marks into ProtocolOutput::phases_ms. Every prover's
// first phase is "witness" (its inputs drawn or placed) and commitments are "commit", so a
// benchmark can leave out the one and report the other apart.
class PhaseTimer {
 public:
  explicit PhaseTimer(ProtocolOutput& out) : out_(out), t0_(std::chrono::steady_clock::now()) {}
  // A phase marked again (commit mode commits at several points) adds to its first entry.
  void mark(const std::string& phase) {
    auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - t0_).count();
    t0_ = now;
    for (auto& [name, total] : out_.phases_ms)
      if (name == phase) return void(total += ms);
    out_.phases_ms.emplace_back(phase, ms);
  }

 private:
  ProtocolOutput& out_;
  std::chrono::steady_clock::time_point t0_;
};

// The transcript prefix every op starts from, the same function for prover and verifier: domain,
// op name, sizes (low and len among them), the witness binding (seed, tensor digest, or in commit
// mode the generator dimension and label), and for 'tlookup-map' the digest of the public table.
// `table` (the mapping's outputs, at least len entries) saves recomputing it when the caller has it.
Transcript open_transcript(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>* table = nullptr);

// The public table of 'tlookup-map': len outputs, given as the tensor 'table' or drawn from a seed of
// (low, len) alone (logup.cpp).
std::vector<Fr> lookup_table_outputs(const ProtocolParams& p, const WitnessSource& w);

// Full: everything the statement claims (in plain mode the final evaluations are recomputed from the
// witness; in commit mode they are opened). SumchecksOnly (plain mode only): the transcript and
// every sumcheck, leaving the final evaluations unchecked; never reported as a verification.
enum class VerifyMode { Full, SumchecksOnly };

// Per-op entry points (ops.cpp dispatches by name).
ProtocolOutput prove_op(const ProtocolParams& p, const WitnessSource& w);
// Verifies the proof against the claims. Never throws for bad proofs: false with a reason.
bool verify_op(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
               const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof, VerifyMode mode,
               std::string& reason);

// Helpers shared by the ops.
size_t next_pow2(uint64_t n);
std::vector<Fr> challenges(Transcript& tr, const std::string& label, int count);
