// The RMSNorm and SiLU lookup tables of the quantized forward, as functions from a table index to
// the entry (host and device). Each forward evaluates the entry at the index it needs, which is the
// same value a prover's tlookup table holds at that index; building the whole table is a loop over
// these functions.
//
// RMSNorm (per row r of x at scale 2^s, width D):
//   S_r = sum_i x_ri^2                                  exact integer, scale 2^(2s)
//   j_r = rescale(S_r, k)                               one rescaling; k is the smallest shift that
//                                                       brings max_r S_r below 2^tableBits (a public
//                                                       per-call parameter that picks one of <= 64
//                                                       tables; it reveals the order of magnitude of
//                                                       the largest row norm)
//   rinv_r = T_k(j_r), T_k(j) = round(2^outBits / sqrt(j 2^k / (D 2^(2s)) + eps))   mapping tlookup
// then, as the anchor's rmsnorm.cu proves it: g_ri = rescale(rinv_r * w_i, outBits + weightBits - s)
// (outer product), y_ri = rescale(x_ri * g_ri, s) (Hadamard product).
// The "float" kind (the anchor's accuracy script) uses S_r itself instead of the table index, i.e.
// 1/rms in double from the exact sum, rounded once: no tlookup proves it.
//
// SiLU: the gate is rescaled to 2^inBits; the table covers gate values g in [-2^(t-1), 2^(t-1)) and
// holds round(2^outBits * silu(g / 2^inBits)) (the anchor's 2^22-entry table, with its output scale
// fixed: reference §6.4). A gate outside the table's range is an error. The "float" kind evaluates
// the same formula without a domain.
#pragma once
#include <cmath>
#include <cstdint>
#include "../field/hd.h"
#include "det_math.h"

namespace quant {

// round(2^out_bits / sqrt(v 2^v_shift / D + eps)); v_shift = k - 2s for the table (v = j), -2s for
// the float kind (v = S).
ZK_HD int64_t rms_inverse(double v, int v_shift, int width, double eps, int out_bits) {
  double ms = detmath::div(ldexp(v, v_shift), (double)width);
  double r = sqrt(detmath::add(ms, eps));
  return detmath::round_half_up(detmath::div(ldexp(1.0, out_bits), r));
}

ZK_HD int64_t rms_table_entry(int64_t j, int k, int value_bits, int width, double eps, int out_bits) {
  return rms_inverse((double)j, k - 2 * value_bits, width, eps, out_bits);
}

// round(2^out_bits * silu(g / 2^in_bits)), silu(x) = x / (1 + e^-x).
ZK_HD int64_t silu_value(int64_t g, int in_bits, int out_bits) {
  double x = ldexp((double)g, -in_bits);
  double s = detmath::div(x, detmath::add(1.0, detmath::exp(-x)));
  return detmath::round_half_up(ldexp(s, out_bits));
}

// Entry idx of the SiLU table of 2^table_bits entries: gate g = idx - 2^(table_bits-1).
ZK_HD int64_t silu_table_entry(int64_t idx, int table_bits, int in_bits, int out_bits) {
  return silu_value(idx - (int64_t(1) << (table_bits - 1)), in_bits, out_bits);
}

}  // namespace quant
