// One softmax row of the quantized attention, as host/device functions shared by the CPU and CUDA
// backends: the row shift and the value of one entry, for the zkAttn tables (reference §6.1) and
// for the anchor's float-exp variant (reference §7).
#pragma once
#include <cstdint>
#include "../field/hd.h"
#include "det_math.h"
#include "fixed_point.h"

namespace quant {

constexpr int MAX_SEGMENTS = 8;
// The row sum of exp is reduced over 32 strided partial sums combined by an xor butterfly: one
// warp per row on the GPU, emulated lane by lane on the CPU, so both add in the same order.
constexpr int ROW_LANES = 32;

enum class SoftmaxKind : int { ZkAttn = 0, FloatExp = 1 };

// Plain data, passed by value to kernels. Table pointers are host or device addresses, matching
// the backend that reads them; only mapping segments have one (range and indicator segments are
// computed from the digit).
struct SoftmaxParams {
  SoftmaxKind kind;
  int segments;    // K
  int range_only;  // L
  int indicator;   // M
  int seg_bits[MAX_SEGMENTS];
  int seg_shift[MAX_SEGMENTS];  // log2 Bs[i]
  const int64_t* table[MAX_SEGMENTS];
  int product_rescale[MAX_SEGMENTS];  // after multiplying in mapping segment L+j (j >= 1): rescale by 2^this
  int budget_bits;                    // sum of seg_bits
  int prob_bits;                      // Y is at scale 2^prob_bits
  int logit_rescale;                  // the raw Q.K^T products are rescaled by 2^this before the softmax
  double c_in;                        // sf_in * sqrt(d): logits / c_in are the softmax's real inputs
  fixedpoint::Rounding rounding;
};

// exp((a - m) / c_in) for a <= m: the terms of the row sum.
ZK_HD double shifted_exp(int64_t a, int64_t m, double c_in) {
  return detmath::exp(detmath::div((double)(a - m), c_in));
}

// The row shift from the row's integer maximum m and sum_c exp((A_c - m)/c_in) (>= 1, the maximum
// contributes exactly 1): shift = m + round(c_in ln sum) = round(sf_in sqrt(d) ln sum_c
// exp(A_c / (sf_in sqrt(d)))), the anchor's shift, evaluated without overflow. shift >= m, so every
// shifted logit z = shift - A_c is >= 0.
ZK_HD int64_t row_shift(int64_t m, double sum, double c_in) {
  return m + detmath::round_half_up(detmath::mul(c_in, detmath::log(sum)));
}

// Y for one shifted logit z >= 0 at scale 2^prob_bits. Sets *out_of_budget for a zkAttn z beyond the
// digit budget (the caller turns that into an error; Y is then 0).
ZK_HD int64_t softmax_entry(const SoftmaxParams& p, int64_t z, bool* out_of_budget) {
  if (p.kind == SoftmaxKind::FloatExp) {
    // The anchor's variant: exp in double, rounded once onto the 2^-prob_bits grid.
    double e = detmath::exp(-detmath::div((double)z, p.c_in));
    return detmath::round_half_up(ldexp(e, p.prob_bits));
  }
  if ((z >> p.budget_bits) != 0) {
    *out_of_budget = true;
    return 0;
  }
  const int first_indicator = p.segments - p.indicator;
  for (int i = first_indicator; i < p.segments; i++)
    if ((z >> p.seg_shift[i]) & ((int64_t(1) << p.seg_bits[i]) - 1)) return 0;
  int64_t y = 0;
  for (int i = p.range_only; i < first_indicator; i++) {
    const int64_t digit = (z >> p.seg_shift[i]) & ((int64_t(1) << p.seg_bits[i]) - 1);
    const int64_t f = p.table[i][digit];
    if (i == p.range_only) {
      y = f;
    } else {
      y = fixedpoint::rescale(y * f, p.product_rescale[i - p.range_only], p.rounding);
    }
  }
  return y;
}

// Statistics of one row against the exact softmax of the same integer logits.
struct RowStats {
  double max_abs_err;  // max_c |Y_c / 2^prob_bits - p_c|
  double sum_abs_err;
  int64_t entries;
  int64_t row_sum;  // sum_c Y_c, exact
};

// |Y / 2^P - e / sum|, e = exp((a - m)/c_in) the entry's term of the row sum (inv_unit = 2^-P).
ZK_HD double entry_error(int64_t y, double inv_unit, double e, double sum) {
  double d = detmath::add((double)y * inv_unit, -detmath::div(e, sum));
  return d < 0 ? -d : d;
}

}  // namespace quant
