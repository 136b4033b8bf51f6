// @noble/curves as the independent reference for G1, and small helpers around it.
import { bls12_381 } from '@noble/curves/bls12-381.js';
import type { Rng } from './rng';
import { P, Q, mod, modpow } from './field';

export const G1 = bls12_381.G1.Point;
export type NPoint = ReturnType<typeof G1.fromBytes>;

/** The 96-byte uncompressed ZCash encoding of the identity: 0x40 then 95 zero bytes. */
export const IDENTITY_BYTES: Uint8Array = (() => {
  const b = new Uint8Array(96);
  b[0] = 0x40;
  return b;
})();

/** noble's uncompressed encoding. A sum like P + (−P) comes back from noble as a projective
 *  (X, Y, 0) that its encoder refuses, so any identity is encoded as noble's canonical ZERO. */
export function enc(p: NPoint): Uint8Array {
  return (p.is0() ? G1.ZERO : p).toBytes(false);
}
export function dec(b: Uint8Array): NPoint {
  return G1.fromBytes(b);
}
/** k·P for any k in [0, p) (noble's multiply refuses 0). */
export function nmul(p: NPoint, k: bigint): NPoint {
  return k === 0n ? G1.ZERO : p.multiplyUnsafe(k);
}

export interface RefPoint {
  /** noble point */
  pt: NPoint;
  /** its encoding */
  bytes: Uint8Array;
}

/** A random point: a random nonzero multiple of the generator, via noble. */
export function randomPoint(rng: Rng): RefPoint {
  const pt = G1.BASE.multiply(1n + rng.below(P - 1n));
  return { pt, bytes: enc(pt) };
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** Big-endian fixed-width encoding of a bigint. */
export function be(x: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let v = x;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Uncompressed encoding of raw affine coordinates, without any validity check. */
export function rawPoint(x: bigint, y: bigint): Uint8Array {
  const out = new Uint8Array(96);
  out.set(be(x, 48), 0);
  out.set(be(y, 48), 48);
  return out;
}

/** A point on y² = x³ + 4 (over Fq) that is not the identity, found from a random x; usually
 *  outside the prime-order subgroup (the cofactor is ~2^126). q ≡ 3 mod 4, so sqrt = rhs^((q+1)/4). */
export function randomCurvePoint(rng: Rng): { x: bigint; y: bigint } {
  if (Q % 4n !== 3n) throw new Error('q is expected to be 3 mod 4');
  for (;;) {
    const x = rng.below(Q);
    const rhs = mod(x * x * x + 4n, Q);
    const y = modpow(rhs, (Q + 1n) / 4n, Q);
    if (mod(y * y, Q) === rhs) return { x, y };
  }
}
