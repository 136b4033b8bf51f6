// The protocol ops behind prove/verify: one registry of { name, prove, verify, sizes, tensors }
// that ops.cpp dispatches through and the addon exposes, so no other place lists the op names.
#pragma once
#include "protocol_io.h"
#include "sumcheck.h"

using ProveOp = ProtocolOutput(const ProtocolParams& p, const WitnessSource& w);
using VerifyOp = bool(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
                      const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof, VerifyMode mode,
                      std::string& reason);

ProveOp prove_inner_product, prove_hadamard, prove_matmul, prove_tlookup, prove_commit, prove_opening, prove_zkattn;
VerifyOp verify_inner_product, verify_hadamard, verify_matmul, verify_tlookup, verify_commit, verify_opening, verify_zkattn;

// Which sizes an op reads: stacked (num, dim), matmul (num, dim0, dim1, dim2), lookup (num, dim,
// low, len), a batch of committed tensors (num, dim; commit mode only), or attention heads (num
// heads, dim0 query rows, dim1 key rows, dim2 head dimension).
enum class OpSizes { Stacked, Matmul, Lookup, Batch, Attention };

struct OpEntry {
  const char* name;
  ProveOp* prove;
  VerifyOp* verify;
  OpSizes sizes;
  std::vector<std::string> required_tensors, optional_tensors;  // a plain witness's (Batch: x0..x{num-1})
};

const std::vector<OpEntry>& op_registry();
// The entry for `name`; throws std::invalid_argument for an unknown op.
const OpEntry& op_entry(const std::string& name);
