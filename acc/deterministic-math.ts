// A line-by-line port of native/quant/det_math.h: exp and log from correctly rounded IEEE operations
// only, in a fixed order. JavaScript numbers are IEEE doubles and never fused, so these give the
// native code's bits exactly; the TypeScript fixed-point reference uses them wherever the native
// forward rounds a transcendental value to an integer (tables, row shifts).

const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const LOG2E = 1.4426950408889634;
const SQRT_HALF = 0.7071067811865476;

const EXP_COEFFS = [
  1.6059043836821613e-10, 2.08767569878681e-9, 2.505210838544172e-8, 2.755731922398589e-7, 2.7557319223985893e-6,
  2.48015873015873e-5, 0.0001984126984126984, 0.001388888888888889, 0.008333333333333333, 0.041666666666666664,
  0.16666666666666666, 0.5, 1.0, 1.0,
];
const LOG_COEFFS = [
  0.04, 0.043478260869565216, 0.047619047619047616, 0.05263157894736842, 0.058823529411764705, 0.06666666666666667,
  0.07692307692307693, 0.09090909090909091, 0.1111111111111111, 0.14285714285714285, 0.2, 0.3333333333333333, 1.0,
];

/** x * 2^n, exact unless the result is subnormal (then rounded once, like C's ldexp). */
export function ldexp(x: number, n: number): number {
  // Split the scaling so no intermediate power of two overflows or underflows on its own.
  while (n > 1023) {
    x *= 2 ** 1023;
    n -= 1023;
  }
  while (n < -1022) {
    if (n >= -1074) {
      // x * 2^(n+1074) is exact; the final scaling rounds once into the subnormal range.
      return x * 2 ** (n + 1074) * 2 ** -1074;
    }
    x *= 2 ** -1022;
    n += 1022;
  }
  return x * 2 ** n;
}

/** C's frexp for finite x != 0: x = m * 2^e with |m| in [0.5, 1). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = ldexp(x, -e);
  // Math.log2 may be off by one near powers of two; fix up exactly.
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e -= 1;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e += 1;
  }
  return [m, e];
}

export function detExp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 709.78) return Infinity;
  if (x < -745.2) return 0;
  const kf = Math.floor(x * LOG2E + 0.5);
  let r = x + -(kf * LN2_HI);
  r = r + -(kf * LN2_LO);
  let p = EXP_COEFFS[0];
  for (let i = 1; i < EXP_COEFFS.length; i++) p = p * r + EXP_COEFFS[i];
  return ldexp(p, kf);
}

export function detLog(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return x;
  let [m, e] = frexp(x);
  if (m < SQRT_HALF) {
    m = m * 2;
    e -= 1;
  }
  const f = m + -1.0;
  const s = f / (2.0 + f);
  const s2 = s * s;
  let t = LOG_COEFFS[0];
  for (let i = 1; i < LOG_COEFFS.length; i++) t = t * s2 + LOG_COEFFS[i];
  const lm = 2.0 * s * t;
  return e * LN2_HI + (e * LN2_LO + lm);
}

/** floor(v + 1/2): the tie rule of every table and of the row shift. */
export function roundHalfUp(v: number): number {
  return Math.floor(v + 0.5);
}
