#include "ops.h"
#include <stdexcept>

namespace {
void check_sizes(const ProtocolParams& p) {
  auto need = [&](uint64_t v, const char* name) {
    if (v == 0) throw std::invalid_argument(p.op + ": size '" + name + "' must be at least 1");
  };
  need(p.num, "num");
  if (p.op == "matmul") {
    need(p.dim0, "dim0"), need(p.dim1, "dim1"), need(p.dim2, "dim2");
  } else {
    need(p.dim, "dim");
  }
  if (p.op.rfind("tlookup", 0) == 0) need(p.len, "len");
}
}  // namespace

ProtocolOutput prove_op(const ProtocolParams& p, const WitnessSource& w) {
  check_sizes(p);
  if (p.op == "inner-product") return prove_inner_product(p, w);
  if (p.op == "hadamard") return prove_hadamard(p, w);
  if (p.op == "matmul") return prove_matmul(p, w);
  if (p.op == "tlookup-range" || p.op == "tlookup-map") return prove_tlookup(p, w);
  if (p.op == "commit") return prove_commit(p, w);
  if (p.op == "opening") return prove_opening(p, w);
  throw std::invalid_argument("unknown op '" + p.op + "'");
}

bool verify_op(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
               const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof, bool oracle, std::string& reason) {
  try {
    check_sizes(p);
    if (p.op == "inner-product") return verify_inner_product(p, w, claims, evals, proof, oracle, reason);
    if (p.op == "hadamard") return verify_hadamard(p, w, claims, evals, proof, oracle, reason);
    if (p.op == "matmul") return verify_matmul(p, w, claims, evals, proof, oracle, reason);
    if (p.op == "tlookup-range" || p.op == "tlookup-map") return verify_tlookup(p, w, claims, evals, proof, oracle, reason);
    if (p.op == "commit") return verify_commit(p, w, claims, evals, proof, oracle, reason);
    if (p.op == "opening") return verify_opening(p, w, claims, evals, proof, oracle, reason);
    reason = "unknown op '" + p.op + "'";
  } catch (const std::exception& e) {
    reason = e.what();
  }
  return false;
}
