// The per-element bodies shared by the CPU loops and the CUDA kernels, so both backends run the
// same code on each element.
#pragma once
#include "../backend.h"

ZK_HD Fr fr_apply(FrOp op, const Fr& x, const Fr& y) {
  switch (op) {
    case FrOp::Add: return x + y;
    case FrOp::Sub: return x - y;
    case FrOp::Mul: return x * y;
    default: return x.inv();
  }
}

ZK_HD G1Affine g1_apply(G1Op op, const G1Affine& p, const G1Affine& q, const ScalarRaw& k) {
  switch (op) {
    case G1Op::Add: return G1Jacobian::from_affine(p).add_mixed(q).to_affine();
    case G1Op::Double: return G1Jacobian::from_affine(p).dbl().to_affine();
    default: return G1Jacobian::mul_raw(p, k.v, 4).to_affine();
  }
}
