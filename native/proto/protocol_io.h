// What every protocol op shares: its parameters, where its witness comes from, the evaluation
// claims it ends with, and the flat scalar encoding of its proof.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include "../field/field.cuh"
#include "sumcheck_engine.h"
#include "transcript.h"

struct ProtocolParams {
  std::string op;
  uint64_t num = 1, dim = 0, dim0 = 0, dim1 = 0, dim2 = 0;
  int64_t low = 0;
  uint64_t len = 0;
  std::string domain = "zkllm-kit";
  ProverConfig prover;  // how to compute, not what: never absorbed into the transcript
};

// Either a seed (tensors are drawn by witness_int) or explicit tensors by name, in logical
// (unpadded, row-major, instance-major) order.
struct WitnessSource {
  bool seeded = true;
  uint64_t seed = 0;
  std::map<std::string, std::vector<Fr>> tensors;
  const std::vector<Fr>& need(const std::string& name, size_t count) const;
  std::string id() const;  // what the transcript binds: the seed, or a digest of the tensors
};

// A claim that the MLE of witness tensor `tensor` (padded layout) at `point` equals `value`.
struct FinalEval {
  std::string tensor;
  std::vector<Fr> point;
  Fr value;
};

struct ProtocolOutput {
  std::vector<Fr> claims;          // public claimed values (op-specific meaning)
  std::vector<FinalEval> evals;    // what the verifier is left to check on the witness
  std::vector<Fr> proof;           // every prover message, in transcript order
  std::vector<std::pair<std::string, double>> phases_ms;  // where the prover's time went
};

// Records the wall time between successive marks into ProtocolOutput::phases_ms.
class PhaseTimer {
 public:
  explicit PhaseTimer(ProtocolOutput& out) : out_(out), t0_(std::chrono::steady_clock::now()) {}
  void mark(const std::string& phase) {
    auto now = std::chrono::steady_clock::now();
    out_.phases_ms.emplace_back(phase, std::chrono::duration<double, std::milli>(now - t0_).count());
    t0_ = now;
  }

 private:
  ProtocolOutput& out_;
  std::chrono::steady_clock::time_point t0_;
};

// Reads proof scalars in order and reports a short proof instead of reading past the end.
class ProofReader {
 public:
  explicit ProofReader(const std::vector<Fr>& p) : p_(p) {}
  bool take(size_t n, std::vector<Fr>& out) {
    if (pos_ + n > p_.size()) return false;
    out.assign(p_.begin() + pos_, p_.begin() + pos_ + n);
    pos_ += n;
    return true;
  }
  bool take1(Fr& out) {
    if (pos_ >= p_.size()) return false;
    out = p_[pos_++];
    return true;
  }
  bool done() const { return pos_ == p_.size(); }

 private:
  const std::vector<Fr>& p_;
  size_t pos_ = 0;
};

// The transcript every op starts from: domain, op name, sizes and the witness binding.
Transcript open_transcript(const ProtocolParams& p, const WitnessSource& w);

// Per-op entry points (ops.cpp dispatches by name).
ProtocolOutput prove_op(const ProtocolParams& p, const WitnessSource& w);
// Verifies the proof against the claims; with `oracle`, also evaluates the witness directly and
// compares every final evaluation claim. Never throws for bad proofs: false with a reason.
bool verify_op(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
               const std::vector<FinalEval>& evals, const std::vector<Fr>& proof, bool oracle, std::string& reason);

// Helpers shared by the ops.
size_t next_pow2(uint64_t n);
std::vector<Fr> challenges(Transcript& tr, const std::string& label, int count);
