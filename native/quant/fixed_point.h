// Integer fixed-point primitives shared by the CPU and CUDA forwards (host and device bodies are
// one function, so both backends round identically).
#pragma once
#include <cmath>
#include <cstdint>
#include "../field/hd.h"

namespace fixedpoint {

// How x / 2^k is rounded to an integer.
//  HalfUp: floor((x + 2^(k-1)) / 2^k), ties toward +infinity. This is what the anchor's rescaling
//    proof establishes (rescaling.cu: x = 2^k x' + rem with rem range-checked in [-2^(k-1), 2^(k-1))),
//    so it is the default: the quantized forward computes what a prover proves.
//  HalfAway: sign(x) * ((|x| + 2^(k-1)) >> k), ties away from zero: the anchor's Python accuracy
//    script (acc/utils.py rescale). Proving it needs the sign as an extra witness.
enum class Rounding : int { HalfUp = 0, HalfAway = 1 };

ZK_HD int64_t rescale(int64_t x, int k, Rounding mode) {
  if (k <= 0) return x;
  const int64_t half = int64_t(1) << (k - 1);
  if (mode == Rounding::HalfUp) return (x + half) >> k;  // arithmetic shift = floor division
  return x >= 0 ? (x + half) >> k : -((-x + half) >> k);
}

constexpr int64_t INT32_LIMIT = int64_t(1) << 31;
ZK_HD bool fits_int32(int64_t v) { return v >= -INT32_LIMIT && v < INT32_LIMIT; }

// round(v * 2^s) for a float weight or activation, ties away from zero (the value is scaled by an
// exact power of two in double, so only this one rounding happens).
ZK_HD int64_t quantize(double v, int s) { return (int64_t)llround(ldexp(v, s)); }

// How a float value (a checkpoint weight, an embedding row, RoPE's cos/sin) is rounded onto its
// grid. HalfAway is C's llround (the kit's default). HalfEven is torch.round, which the anchor's
// accuracy script uses for q(x): fp16 weights below 2^-1 have bits under 2^-12, so exact ties are
// common there (about 17 % of LLaMA's weights at scale 2^12), and the two modes then differ.
enum class QuantizeRounding : int { HalfAway = 0, HalfEven = 1 };

// round(x) with ties to the even neighbour, from exact operations only: x - floor(x) is exact for
// |x| < 2^52, and larger doubles are integers already.
ZK_HD double round_half_even(double x) {
  const double f = floor(x), d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return fmod(f, 2.0) == 0 ? f : f + 1;
}

ZK_HD int64_t quantize(double v, int s, QuantizeRounding mode) {
  if (mode == QuantizeRounding::HalfAway) return quantize(v, s);
  return (int64_t)round_half_even(ldexp(v, s));
}

}  // namespace fixedpoint
