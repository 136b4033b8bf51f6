#include "ops.h"
#include <stdexcept>
#include "../commit/generators.h"
#include "padding_mask.h"

namespace {
// Every size a statement holds, checked before anything is allocated or multiplied: the tensors'
// padded element counts are formed by checked products (padding_mask.h), so no size can wrap.
void check_sizes(const ProtocolParams& p) {
  auto need = [&](uint64_t v, const char* name) {
    if (v == 0) throw std::invalid_argument(p.op + ": size '" + name + "' must be at least 1");
    if (v > MAX_AXIS_SIZE) throw std::invalid_argument(p.op + ": size '" + name + "' exceeds the largest supported (2^40)");
  };
  need(p.num, "num");
  if (p.op == "matmul") {
    need(p.dim0, "dim0"), need(p.dim1, "dim1"), need(p.dim2, "dim2");
    checked_padded_size({p.num, p.dim0, p.dim1});
    checked_padded_size({p.num, p.dim1, p.dim2});
    checked_padded_size({p.num, p.dim0, p.dim2});
  } else {
    need(p.dim, "dim");
    checked_padded_size({p.num, p.dim});
  }
  if (p.op.rfind("tlookup", 0) == 0) {
    need(p.len, "len");
    if (p.len > (uint64_t(1) << 28)) throw std::invalid_argument(p.op + ": table length 'len' above 2^28 is not supported");
    const int64_t top = (int64_t(1) << 62);
    if (p.low < -top || p.low > top) throw std::invalid_argument(p.op + ": 'low' must be within ±2^62");
  }
  if (p.commit && (p.gen_dim == 0 || (p.gen_dim & (p.gen_dim - 1)) || p.gen_dim > MAX_GENERATOR_DIM))
    throw std::invalid_argument("genDim must be a power of two in [1, 2^20]");
}

// The tensors a plain witness holds for each op: the required ones, then the optional ones.
std::pair<std::vector<std::string>, std::vector<std::string>> witness_tensor_names(const ProtocolParams& p) {
  if (p.op == "inner-product") return {{"a", "b"}, {}};
  if (p.op == "hadamard") return {{"a", "b", "c"}, {}};
  if (p.op == "matmul") return {{"A", "B", "C"}, {}};
  if (p.op == "tlookup-range") return {{"values"}, {"multiplicities"}};
  if (p.op == "tlookup-map") return {{"values", "outputs"}, {"table", "multiplicities"}};
  std::vector<std::string> xs;  // commit, opening: x0 .. x{num-1} (num is bounded by the caller)
  for (uint64_t i = 0; i < p.num && i < (uint64_t(1) << 20); i++) xs.push_back("x" + std::to_string(i));
  return {xs, {}};
}

bool known_tensor(const ProtocolParams& p, const std::string& name) {
  if (p.op == "commit" || p.op == "opening") {
    if (name.size() < 2 || name.size() > 21 || name[0] != 'x' || (name.size() > 2 && name[1] == '0')) return false;
    for (size_t i = 1; i < name.size(); i++)
      if (name[i] < '0' || name[i] > '9') return false;
    return std::stoull(name.substr(1)) < p.num;
  }
  auto [req, opt] = witness_tensor_names(p);
  for (const auto& n : req)
    if (n == name) return true;
  for (const auto& n : opt)
    if (n == name) return true;
  return false;
}

// Given tensors: every required one present, none the op does not have.
void check_tensor_names(const ProtocolParams& p, const WitnessSource& w) {
  if (w.seeded || w.tensors.empty() || (p.commit && w.tensors.size() == 1 && w.tensors.count("table"))) return;
  if (p.op != "commit" && p.op != "opening")
    for (const auto& n : witness_tensor_names(p).first)
      if (!w.tensors.count(n)) throw std::invalid_argument("witness tensor '" + n + "' is missing");
  for (const auto& [name, t] : w.tensors)
    if (!known_tensor(p, name)) throw std::invalid_argument(p.op + " has no witness tensor '" + name + "'");
}

// A statement has exactly one witness source: a seed, tensors, or (commit mode) commitments with
// at most the public table of 'tlookup-map' beside them.
void check_witness_source(const ProtocolParams& p, const WitnessSource& w, bool verifier) {
  if (!verifier || !p.commit) check_tensor_names(p, w);
  if (!verifier) return;
  if (p.commit) {
    if (w.seeded) throw std::invalid_argument("a committed statement cannot also hold a seed");
    for (const auto& [name, rows] : w.commitments)
      if (name == "table" || !(known_tensor(p, name) || (p.op.rfind("tlookup", 0) == 0 && name == "inverses")))
        throw std::invalid_argument(p.op + " commits to no tensor '" + name + "'");
    for (const auto& [name, t] : w.tensors)
      if (!(p.op == "tlookup-map" && name == "table"))
        throw std::invalid_argument("a committed statement cannot also hold witness tensor '" + name + "'");
  } else if (!w.commitments.empty()) {
    throw std::invalid_argument("a statement without genDim cannot hold commitments");
  }
}
}  // namespace

ProtocolOutput prove_op(const ProtocolParams& p, const WitnessSource& w) {
  check_sizes(p);
  check_witness_source(p, w, false);
  if (p.op == "inner-product") return prove_inner_product(p, w);
  if (p.op == "hadamard") return prove_hadamard(p, w);
  if (p.op == "matmul") return prove_matmul(p, w);
  if (p.op == "tlookup-range" || p.op == "tlookup-map") return prove_tlookup(p, w);
  if (p.op == "commit") return prove_commit(p, w);
  if (p.op == "opening") return prove_opening(p, w);
  throw std::invalid_argument("unknown op '" + p.op + "'");
}

bool verify_op(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
               const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof, VerifyMode mode, std::string& reason) {
  try {
    check_sizes(p);
    check_witness_source(p, w, true);
    if (mode != VerifyMode::Full && p.commit)
      return reason = "a committed statement is only ever verified in full", false;
    if (p.op == "inner-product") return verify_inner_product(p, w, claims, evals, proof, mode, reason);
    if (p.op == "hadamard") return verify_hadamard(p, w, claims, evals, proof, mode, reason);
    if (p.op == "matmul") return verify_matmul(p, w, claims, evals, proof, mode, reason);
    if (p.op == "tlookup-range" || p.op == "tlookup-map") return verify_tlookup(p, w, claims, evals, proof, mode, reason);
    if (p.op == "commit") return verify_commit(p, w, claims, evals, proof, mode, reason);
    if (p.op == "opening") return verify_opening(p, w, claims, evals, proof, mode, reason);
    reason = "unknown op '" + p.op + "'";
  } catch (const std::exception& e) {
    reason = e.what();
  }
  return false;
}
