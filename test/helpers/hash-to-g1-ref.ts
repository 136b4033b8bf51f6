// An independent model of the generator map documented in native/commit/hash_to_g1.cuh and
// generators.h, written from that description with node:crypto and @noble/curves only.
import { createHash } from 'node:crypto';
import { G1, NPoint } from './g1ref';
import { Q, mod, modpow } from './field';

const MAP_ID = 'zkllm-kit/hash-to-g1/try-and-increment/v1';
const H_EFF = 0xd201000000010001n;

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

function le(x: bigint, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Number((x >> BigInt(8 * i)) & 0xffn);
  return out;
}

export function labelDigest(label: string): Buffer {
  const l = Buffer.from(label, 'utf8');
  return sha256(Buffer.from(MAP_ID, 'utf8'), le(BigInt(l.length), 8), l);
}

/** kind 0: the vector generator g_index; kind 1: Q (index 0). */
export function refGenerator(label: string, kind: 0 | 1, index: number): NPoint {
  const d = labelDigest(label);
  for (let t = 0; ; t++) {
    const h = [0, 1, 2].map((j) => sha256(d, Uint8Array.of(kind), le(BigInt(index), 8), le(BigInt(t), 4), Uint8Array.of(j)));
    const x = mod(BigInt('0x' + Buffer.concat([h[0], h[1]]).toString('hex')), Q);
    const rhs = mod(x * x * x + 4n, Q);
    let y = modpow(rhs, (Q + 1n) / 4n, Q);
    if (mod(y * y, Q) !== rhs) continue;
    if ((y & 1n) !== BigInt(h[2][0] & 1)) y = Q - y;
    const p = G1.fromAffine({ x, y }).multiplyUnsafe(H_EFF);
    if (p.is0()) continue;
    return p;
  }
}
