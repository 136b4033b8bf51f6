#include "ops.h"
#include <stdexcept>
#include "../commit/generators.h"
#include "padding_mask.h"

const std::vector<OpEntry>& op_registry() {
  static const std::vector<OpEntry> ops = {
      {"inner-product", prove_inner_product, verify_inner_product, OpSizes::Stacked, {"a", "b"}, {}},
      {"hadamard", prove_hadamard, verify_hadamard, OpSizes::Stacked, {"a", "b", "c"}, {}},
      {"matmul", prove_matmul, verify_matmul, OpSizes::Matmul, {"A", "B", "C"}, {}},
      {"tlookup-range", prove_tlookup, verify_tlookup, OpSizes::Lookup, {"values"}, {"multiplicities"}},
      {"tlookup-map", prove_tlookup, verify_tlookup, OpSizes::Lookup, {"values", "outputs"}, {"table", "multiplicities"}},
      {"commit", prove_commit, verify_commit, OpSizes::Batch, {}, {}},
      {"opening", prove_opening, verify_opening, OpSizes::Batch, {}, {}},
      {"zkattn", prove_zkattn, verify_zkattn, OpSizes::Attention, {"Q", "K", "V"}, {"O"}},
  };
  return ops;
}

const OpEntry& op_entry(const std::string& name) {
  for (const auto& e : op_registry())
    if (name == e.name) return e;
  std::string names;
  for (const auto& e : op_registry()) names += std::string(names.empty() ? "" : ", ") + e.name;
  throw std::invalid_argument("unknown op '" + name + "' (expected " + names + ")");
}

namespace {
// Every size a statement holds, checked before anything is allocated or multiplied: the tensors'
// padded element counts are formed by checked products (padding_mask.h), so no size can wrap.
void check_sizes(const ProtocolParams& p, const OpEntry& op) {
  auto need = [&](uint64_t v, const char* name) {
    if (v == 0) throw std::invalid_argument(p.op + ": size '" + name + "' must be at least 1");
    if (v > MAX_AXIS_SIZE) throw std::invalid_argument(p.op + ": size '" + name + "' exceeds the largest supported (2^40)");
  };
  need(p.num, "num");
  if (op.sizes == OpSizes::Attention) {
    need(p.dim0, "dim0"), need(p.dim1, "dim1"), need(p.dim2, "dim2");
    checked_padded_size({p.num, p.dim0, p.dim1});
    checked_padded_size({p.num, p.dim1, p.dim2});
  } else if (op.sizes == OpSizes::Matmul) {
    need(p.dim0, "dim0"), need(p.dim1, "dim1"), need(p.dim2, "dim2");
    checked_padded_size({p.num, p.dim0, p.dim1});
    checked_padded_size({p.num, p.dim1, p.dim2});
    checked_padded_size({p.num, p.dim0, p.dim2});
  } else {
    need(p.dim, "dim");
    checked_padded_size({p.num, p.dim});
  }
  if (op.sizes == OpSizes::Lookup) {
    need(p.len, "len");
    if (p.len > (uint64_t(1) << 28)) throw std::invalid_argument(p.op + ": table length 'len' above 2^28 is not supported");
    const int64_t top = (int64_t(1) << 62);
    if (p.low < -top || p.low > top) throw std::invalid_argument(p.op + ": 'low' must be within ±2^62");
  }
  if (p.commit && (p.gen_dim == 0 || (p.gen_dim & (p.gen_dim - 1)) || p.gen_dim > MAX_GENERATOR_DIM))
    throw std::invalid_argument("genDim must be a power of two in [1, 2^20]");
}

bool known_tensor(const OpEntry& op, const ProtocolParams& p, const std::string& name) {
  if (op.sizes == OpSizes::Batch) {  // x0 .. x{num-1}
    if (name.size() < 2 || name.size() > 21 || name[0] != 'x' || (name.size() > 2 && name[1] == '0')) return false;
    for (size_t i = 1; i < name.size(); i++)
      if (name[i] < '0' || name[i] > '9') return false;
    return std::stoull(name.substr(1)) < p.num;
  }
  for (const auto* names : {&op.required_tensors, &op.optional_tensors})
    for (const auto& n : *names)
      if (n == name) return true;
  return false;
}

// Given tensors: every required one present, none the op does not have.
void check_tensor_names(const OpEntry& op, const ProtocolParams& p, const WitnessSource& w) {
  if (w.seeded || w.tensors.empty() || (p.commit && w.tensors.size() == 1 && w.tensors.count("table"))) return;
  for (const auto& n : op.required_tensors)
    if (!w.tensors.count(n)) throw std::invalid_argument("witness tensor '" + n + "' is missing");
  for (const auto& [name, t] : w.tensors)
    if (!known_tensor(op, p, name)) throw std::invalid_argument(p.op + " has no witness tensor '" + name + "'");
}

// A statement has exactly one witness source: a seed, tensors, or (commit mode) commitments with
// at most the public table of 'tlookup-map' beside them.
void check_witness_source(const OpEntry& op, const ProtocolParams& p, const WitnessSource& w, bool verifier) {
  if (!verifier || !p.commit) check_tensor_names(op, p, w);
  if (!verifier) return;
  if (p.commit) {
    if (w.seeded) throw std::invalid_argument("a committed statement cannot also hold a seed");
    for (const auto& [name, rows] : w.commitments)
      if (op.sizes == OpSizes::Attention) continue;  // its verifier matches the names with its own list
      else if (name == "table" || !(known_tensor(op, p, name) || (op.sizes == OpSizes::Lookup && name == "inverses")))
        throw std::invalid_argument(p.op + " commits to no tensor '" + name + "'");
    for (const auto& [name, t] : w.tensors)
      if (!(name == "table" && known_tensor(op, p, name)))
        throw std::invalid_argument("a committed statement cannot also hold witness tensor '" + name + "'");
  } else if (!w.commitments.empty()) {
    throw std::invalid_argument("a statement without genDim cannot hold commitments");
  }
}
}  // namespace

ProtocolOutput prove_op(const ProtocolParams& p, const WitnessSource& w) {
  const OpEntry& op = op_entry(p.op);
  check_sizes(p, op);
  check_witness_source(op, p, w, false);
  return op.prove(p, w);
}

bool verify_op(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
               const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof, VerifyMode mode, std::string& reason) {
  try {
    const OpEntry& op = op_entry(p.op);
    check_sizes(p, op);
    check_witness_source(op, p, w, true);
    if (mode != VerifyMode::Full && p.commit) return reason = "a committed statement is only ever verified in full", false;
    return op.verify(p, w, claims, evals, proof, mode, reason);
  } catch (const std::exception& e) {
    reason = e.what();
  }
  return false;
}
