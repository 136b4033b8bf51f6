// Deterministic exp and log: the same bits on the host (g++), on the GPU (nvcc) and in the
// TypeScript port (acc/deterministic-math.ts). Every transcendental value that the fixed-point
// forward rounds to an integer goes through these, so that the zkAttn/SiLU tables, the softmax row
// shift and the anchor's float-exp variant are bit-identical on CPU and CUDA and do not depend on
// the libm a verifier happens to link (a proof's public tables must be rebuilt exactly).
//
// Only correctly rounded IEEE operations are used (+, -, *, /, floor, frexp, ldexp), in a fixed
// order and never fused: on the device through the __d*_rn intrinsics, which nvcc never contracts
// into FMAs; on the host through plain operators (ISO C++ mode compiles with -ffp-contract=off,
// and the baseline x86-64 target has no FMA instruction anyway). Accuracy against Math.exp/Math.log,
// measured on 2e6 samples: exp within 1 ulp, log within 3 ulp (near 1, where its result is small).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include "../field/hd.h"

namespace detmath {

#if defined(__CUDA_ARCH__)
ZK_HD double mul(double a, double b) { return __dmul_rn(a, b); }
ZK_HD double add(double a, double b) { return __dadd_rn(a, b); }
ZK_HD double div(double a, double b) { return __ddiv_rn(a, b); }
#else
ZK_HD double mul(double a, double b) { return a * b; }
ZK_HD double add(double a, double b) { return a + b; }
ZK_HD double div(double a, double b) { return a / b; }
#endif

// 2^k for k in [-1022, 1023], from its bits (p * pow2(k) then equals ldexp(p, k): one rounding).
ZK_HD double pow2(int k) {
  const uint64_t bits = (uint64_t)(k + 1023) << 52;
#if defined(__CUDA_ARCH__)
  return __longlong_as_double((long long)bits);
#else
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
#endif
}

// fdlibm's split of ln 2: LN2_HI has 21 trailing zero bits, so n * LN2_HI is exact for |n| < 2^21.
constexpr double LN2_HI = 0.6931471803691238;
constexpr double LN2_LO = 1.9082149292705877e-10;
constexpr double LOG2E = 1.4426950408889634;
constexpr double SQRT_HALF = 0.7071067811865476;

// e^x. Range reduction x = n ln2 + r with |r| <= ln2/2, then Taylor to degree 13 (truncation
// below 5e-18 relative), then a power-of-two scaling.
ZK_HD double exp(double x) {
  if (x != x) return x;
  if (x > 709.78) return HUGE_VAL;
  if (x < -745.2) return 0.0;
  double kf = floor(add(mul(x, LOG2E), 0.5));
  double r = add(x, -mul(kf, LN2_HI));
  r = add(r, -mul(kf, LN2_LO));
  double p = 1.6059043836821613e-10;
  p = add(mul(p, r), 2.08767569878681e-09);
  p = add(mul(p, r), 2.505210838544172e-08);
  p = add(mul(p, r), 2.755731922398589e-07);
  p = add(mul(p, r), 2.7557319223985893e-06);
  p = add(mul(p, r), 2.48015873015873e-05);
  p = add(mul(p, r), 0.0001984126984126984);
  p = add(mul(p, r), 0.001388888888888889);
  p = add(mul(p, r), 0.008333333333333333);
  p = add(mul(p, r), 0.041666666666666664);
  p = add(mul(p, r), 0.16666666666666666);
  p = add(mul(p, r), 0.5);
  p = add(mul(p, r), 1.0);
  p = add(mul(p, r), 1.0);
  const int k = (int)kf;
  return k >= -1022 ? mul(p, pow2(k)) : ldexp(p, k);
}

// ln x for finite x > 0 (NaN otherwise). x = m 2^e with m in [sqrt(1/2), sqrt(2)), then
// ln m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716, as an odd series to s^25.
ZK_HD double log(double x) {
  if (!(x > 0) || x == HUGE_VAL) return x > 0 ? x : NAN;
  int e = 0;
  double m = frexp(x, &e);
  if (m < SQRT_HALF) {
    m = mul(m, 2.0);
    e -= 1;
  }
  double f = add(m, -1.0);
  double s = div(f, add(2.0, f));
  double s2 = mul(s, s);
  double t = 0.04;
  t = add(mul(t, s2), 0.043478260869565216);
  t = add(mul(t, s2), 0.047619047619047616);
  t = add(mul(t, s2), 0.05263157894736842);
  t = add(mul(t, s2), 0.058823529411764705);
  t = add(mul(t, s2), 0.06666666666666667);
  t = add(mul(t, s2), 0.07692307692307693);
  t = add(mul(t, s2), 0.09090909090909091);
  t = add(mul(t, s2), 0.1111111111111111);
  t = add(mul(t, s2), 0.14285714285714285);
  t = add(mul(t, s2), 0.2);
  t = add(mul(t, s2), 0.3333333333333333);
  t = add(mul(t, s2), 1.0);
  double lm = mul(mul(2.0, s), t);
  double ed = (double)e;
  return add(mul(ed, LN2_HI), add(mul(ed, LN2_LO), lm));
}

// The tie rule of every table and of the row shift: floor(v + 1/2), i.e. ties toward +infinity
// (the anchor's GPU table code does the same).
ZK_HD int64_t round_half_up(double v) { return (int64_t)floor(add(v, 0.5)); }

}  // namespace detmath
