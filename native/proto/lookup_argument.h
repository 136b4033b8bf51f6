// One logUp lookup inside a larger protocol's transcript (zkattn runs several): the values (and,
// for a mapping, the outputs) of a stacked tensor are rows of a public table. The argument is the
// one of 'tlookup-range'/'tlookup-map' (logup.cpp): after β (and r for a mapping) the prover sends
// σ = Σ 1/(β+S_i), then
//   SC1 over the values:  Σ_x [α·eq(u,x)·A(x)·(S(x)+β) + A(x)] = α + σ
//   SC2 over the table:   Σ_y m(y)·B(y) = σ,  B_j = 1/(β+T_j).
// Values are padded with the table's first row inside the argument; its claims are about the
// zero-padded tensors, like every claim of the kit (the verifier adds the padding back through
// the padding mask's MLE).
#pragma once
#include <functional>
#include <string>
#include <vector>
#include "padding_mask.h"
#include "protocol_io.h"
#include "sumcheck.h"
#include "tensor_store.h"

// The two sumchecks' polynomials: over (eq(u,·), A, S) and over (m, B).
SumcheckTerms lookup_values_terms(const Fr& alpha, const Fr& beta);
SumcheckTerms lookup_table_terms();
// Multiplicities as field elements (a table's worth: up to 2^26), converted in parallel.
std::vector<Fr> counts_to_fr(const std::vector<uint64_t>& counts);

struct LookupTable {
  int64_t low = 0;
  uint64_t len = 0;
  bool mapping = false;
  std::vector<Fr> in, out;  // padded to a power of two by repeating the last row; out empty for range
  std::vector<int64_t> out_ints;  // out as integers, padded alike, when the table was made from integers (map_ints)
  size_t size() const { return in.size(); }
  int bits() const;
  static LookupTable range(int64_t low, uint64_t len);
  // Rows (low + j, outputs[j]) for j < outputs.size().
  static LookupTable map(int64_t low, const std::vector<Fr>& outputs);
  // The same from integer outputs, which it keeps (a store takes the column as integers).
  static LookupTable map_ints(int64_t low, const std::vector<int64_t>& outputs);
};

// Where one lookup's tensors are, prover side: the logical values' table rows (one index each)
// and the zero-padded values (and outputs) of logical shape `dims`.
struct LookupProverInput {
  const LookupTable* table;
  LogicalDims dims;
  const std::vector<Fr>* values;   // zero-padded layout of dims
  const std::vector<Fr>* outputs;  // mapping only
  const std::vector<Fr>* multiplicities;
};

// The claims one lookup leaves: values, outputs (mapping), inverses at the values' point, and the
// multiplicities at the table's point; all of zero-padded tensors.
struct LookupClaims {
  std::vector<Fr> point, table_point;
  Fr values, outputs, inverses, multiplicities;
};

// The table's rows T_j = in_j + r·out_j as a tensor of `store`, its columns sent as integers (a
// mapping's outputs when the table has them so; else as field elements). The table side of both
// parties: B_j = 1/(β + T_j) is store.shifted_inverse of it.
TensorId table_rows(TensorStore& store, const LookupTable& T, const Fr& r);
// Prover: draws r and β, calls `committed_inverses` with the zero-padded inverses (commit mode
// commits them there), sends σ and both sumchecks. Labels are prefixed with `label`; `mark`, when
// given, is called after the inverses, the values sumcheck and the table sumcheck.
LookupClaims lookup_prove(Transcript& tr, const std::string& label, const LookupProverInput& in, ProofWriter& proof,
                          const ProverConfig& cfg, const std::function<void(const std::vector<Fr>&, const Fr& r, const Fr& beta)>& committed_inverses,
                          const std::function<void(const char*)>& mark = nullptr);

// The same argument over tensors resident in a store (zkattn's: made once, read by several steps),
// the table side made there too (its columns, its inverses B, the table sumcheck).
// When every logical entry is a table row, `gather_rows` makes, for each given table tensor (a
// function of the rows), the padded tensor of its values at the entries' rows (row 0 in the
// padding); it is empty otherwise (only a deviating prover's), and the values are then read back
// and inverted. The values (and outputs) are read, not consumed; the multiplicities are consumed.
using GatherRows = std::function<std::vector<TensorId>(const std::vector<TensorId>& tables)>;
struct LookupStoreInput {
  const LookupTable* table;
  LogicalDims dims;
  TensorId values;
  TensorId outputs;  // mapping only
  GatherRows gather_rows;
  TensorId multiplicities;
};
LookupClaims lookup_prove(Transcript& tr, const std::string& label, TensorStore& store, const LookupStoreInput& in,
                          ProofWriter& proof,
                          const std::function<void(const std::vector<Fr>&, const Fr& r, const Fr& beta)>& committed_inverses,
                          const std::function<void(const char*)>& mark = nullptr);
// The table row of every padded entry of a zero-padded tensor (0 for padding), or empty when some
// logical entry is not a row (or a mapping's pair is not).
std::vector<uint32_t> lookup_rows(const LookupTable& t, const LogicalDims& dims, const std::vector<Fr>& values,
                                  const std::vector<Fr>* outputs);

// Verifier: the same transcript steps, reading σ and the sumchecks from rd. `absorb_inverses`
// absorbs the inverses' commitment (commit mode; may be empty). The claimed values come from
// `claimed` (the statement's, in order: values, outputs for a mapping, inverses, multiplicities),
// each asked with its tensor role and point; returns the claims checked against the sumchecks.
struct LookupVerifierState {
  Fr r, beta;
  LookupClaims claims;
  TensorId table_inverses = 0;  // B in the verifier's store, for a caller that checks more against it (it drops it)
};
// The table side (B and its evaluation) is computed in `store` (the GPU's when usable).
bool lookup_verify(Transcript& tr, const std::string& label, const LookupTable& t, TensorStore& store, const LogicalDims& dims,
                   ProofReader& rd,
                   const std::function<bool(std::string&)>& absorb_inverses,
                   const std::function<bool(const char* role, const std::vector<Fr>& point, Fr& value)>& claimed,
                   LookupVerifierState& out, std::string& reason);
