// Seeded randomness for the test suite. Every test draws from its own stream, derived from one
// suite-wide seed and the test's name, so a failure replays exactly with
//   ZKLLM_TEST_SEED=<seed> node --test dist/test/<file>.test.js
// Without ZKLLM_TEST_SEED a fresh seed is picked per run (and printed in every assertion message).
import { createHash, randomBytes } from 'node:crypto';

export const SEED: string = process.env.ZKLLM_TEST_SEED ?? randomBytes(8).toString('hex');

/** sfc32, seeded from SHA-256(seed/name). Small, fast and good enough for test inputs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly name: string) {
    const h = createHash('sha256').update(`${SEED}/${name}`).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    for (let i = 0; i < 16; i++) this.u32();
  }

  /** Where this stream came from, for assertion messages. */
  get tag(): string {
    return `[seed ${SEED}, stream '${this.name}'; replay with ZKLLM_TEST_SEED=${SEED}]`;
  }

  u32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, n), n ≤ 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 2 ** 32)) throw new RangeError(`Rng.int: bad bound ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const x = this.u32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (x >>> (8 * j)) & 0xff;
    }
    return out;
  }

  /** Uniform in [0, 2^bits). */
  bits(bits: number): bigint {
    let v = 0n;
    for (let got = 0; got < bits; got += 32) v = (v << 32n) | BigInt(this.u32());
    const extra = (Math.ceil(bits / 32) * 32 - bits) | 0;
    return v >> BigInt(extra);
  }

  /** Uniform in [0, n) for a bigint n ≥ 1 (rejection sampling). */
  below(n: bigint): bigint {
    if (n < 1n) throw new RangeError('Rng.below: bound must be positive');
    const bits = n.toString(2).length;
    for (;;) {
      const v = this.bits(bits);
      if (v < n) return v;
    }
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
}
