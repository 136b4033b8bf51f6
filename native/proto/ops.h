// The protocol ops behind prove/verify, one prover and verifier pair per op.
#pragma once
#include "protocol_io.h"
#include "sumcheck.h"

#define ZK_DECLARE_OP(name)                                                                          \
  ProtocolOutput prove_##name(const ProtocolParams& p, const WitnessSource& w);                      \
  bool verify_##name(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,  \
                     const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof, VerifyMode mode, \
                     std::string& reason);
ZK_DECLARE_OP(inner_product)
ZK_DECLARE_OP(hadamard)
ZK_DECLARE_OP(matmul)
ZK_DECLARE_OP(tlookup)
ZK_DECLARE_OP(commit)
ZK_DECLARE_OP(opening)
#undef ZK_DECLARE_OP

