// Sumcheck over a sum of products of multilinear tensors (sumcheck_terms.h), non-interactive:
// every round message (the round polynomial's values at 0..degree) is absorbed into the caller's
// transcript before the round challenge is drawn. The prover ends with the bound point and every
// tensor's value there; the verifier ends with a subclaim (point, expected value) that the caller
// discharges, as arkworks' ml_sumcheck does.
#pragma once
#include <functional>
#include <string>
#include <vector>
#include "../field/field.cuh"
#include "protocol_io.h"
#include "sumcheck_engine.h"
#include "sumcheck_terms.h"
#include "transcript.h"

struct SumcheckProof {
  std::vector<std::vector<Fr>> rounds;  // rounds[j][t] = g_j(t), t = 0..degree
};

struct SumcheckProverResult {
  std::vector<Fr> point;        // r_0..r_{k-1}, LSB-first
  std::vector<Fr> final_values; // each tensor's MLE at the point
};

struct SumcheckSubclaim {
  std::vector<Fr> point;
  Fr expected;  // what Σ_t coeff_t Π_f P_f~(point) must equal
};

// Moves tensors into one list without the deep copies an initializer list would make.
template <class... T>
std::vector<std::vector<Fr>> tensor_list(T&&... t) {
  std::vector<std::vector<Fr>> out;
  out.reserve(sizeof...(t));
  (out.push_back(std::forward<T>(t)), ...);
  return out;
}

// Runs k = log2(n) rounds over tensors of length n = 2^k (which the engine may fold in place).
// `on_total`, when given, receives the full sum (g_0(0) + g_0(1)) before anything is absorbed, so a
// caller whose claim is that sum can absorb it first without a separate pass over the data.
SumcheckProverResult sumcheck_prove(Transcript& tr, const std::string& label, std::vector<std::vector<Fr>>& tensors,
                                    const SumcheckTerms& terms, SumcheckProof& proof, const ProverConfig& cfg,
                                    const std::function<void(const Fr&)>& on_total = nullptr);

// The same over an engine made elsewhere (a tensor store's) whose tensors have 2^k entries.
SumcheckProverResult sumcheck_prove(Transcript& tr, const std::string& label, SumcheckEngine& engine, int k,
                                    const SumcheckTerms& terms, SumcheckProof& proof,
                                    const std::function<void(const Fr&)>& on_total = nullptr);

// Checks the round structure and sums against `claim`; false with a reason on any mismatch.
bool sumcheck_verify(Transcript& tr, const std::string& label, int nvars, int degree, const Fr& claim,
                     const SumcheckProof& proof, SumcheckSubclaim& out, std::string& reason);

// Σ_t coeff_t Π_f values[f]: the polynomial evaluated from per-tensor values.
Fr sumcheck_combine(const SumcheckTerms& terms, const std::vector<Fr>& values);

// The round messages inside a proof, in order.
void write_sumcheck(ProofWriter& out, const SumcheckProof& p);
bool read_sumcheck(ProofReader& rd, int vars, int degree, SumcheckProof& p);
// Runs `parts` over the proof bytes and requires them to consume the proof exactly; false with a
// reason (short proof, bad scalar or point, trailing bytes) otherwise.
bool read_whole_proof(const std::vector<uint8_t>& bytes, const std::function<bool(ProofReader&)>& parts,
                      std::string& reason);
