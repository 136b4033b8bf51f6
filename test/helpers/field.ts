// Reference arithmetic for the tests: plain bigints, and the moduli as published by @noble/curves
// (an outside source, not the kit's own constant).
import { bls12_381 } from '@noble/curves/bls12-381.js';
import type { Rng } from './rng';

/** r, the order of G1 and the modulus of Fr ("p" in the kit's API). */
export const P: bigint = bls12_381.G1.Point.Fn.ORDER;
/** q, the base-field modulus. */
export const Q: bigint = bls12_381.G1.Point.Fp.ORDER;

export function mod(a: bigint, m: bigint = P): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

export function modpow(base: bigint, exp: bigint, m: bigint = P): bigint {
  let result = 1n;
  let b = mod(base, m);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

/** Fixed edge values in [0, p): 0, 1, 2, p−1, p−2, halves, limb boundaries, powers of two below p,
 *  and the Montgomery constants R = 2^256 mod p and R² mod p, which a Montgomery implementation
 *  handles specially. */
export const FR_SPECIALS: readonly bigint[] = (() => {
  const R = mod(1n << 256n);
  const vals = [
    0n, 1n, 2n, 3n, P - 1n, P - 2n, P - 3n, (P - 1n) / 2n, (P + 1n) / 2n,
    (1n << 32n) - 1n, 1n << 32n, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) - 1n, 1n << 128n,
    (1n << 192n) - 1n, 1n << 192n, (1n << 253n), (1n << 254n) - 1n, 1n << 254n, P - (1n << 64n), P - (1n << 128n),
    P - (1n << 192n), R, mod(R * R), mod(R * R * R), modpow(R, P - 2n), P - R,
  ];
  return [...new Set(vals)].filter((v) => v >= 0n && v < P);
})();

/** A scalar in [0, p), drawn from a mix that over-weights edge cases: fixed specials, small values,
 *  values just below p, values near powers of two, sparse bit patterns, and uniform values. */
export function frCase(rng: Rng): bigint {
  const k = rng.int(16);
  switch (k) {
    case 0:
      return rng.pick(FR_SPECIALS);
    case 1:
      return rng.bits(rng.int(64) + 1);
    case 2:
      return P - 1n - rng.bits(rng.int(64) + 1);
    case 3: {
      const e = BigInt(rng.int(255));
      const v = (1n << e) + rng.bits(8) - 128n;
      return mod(v);
    }
    case 4: {
      let v = 0n;
      for (let i = rng.int(6); i >= 0; i--) v |= 1n << BigInt(rng.int(255));
      return mod(v);
    }
    case 5:
      // just below p in the 2^255 region: p − (random below 2^200)
      return P - 1n - rng.bits(200);
    default:
      return rng.below(P);
  }
}

/** A nonzero scalar from the same mix. */
export function frNonzero(rng: Rng): bigint {
  for (;;) {
    const v = frCase(rng);
    if (v !== 0n) return v;
  }
}

export function bigToHex(x: bigint): string {
  return '0x' + x.toString(16);
}
