// A small seeded PRNG (xoshiro128**) so that every random input can be replayed from its seed.
import { FR_MODULUS } from '../src/fr';

export class SeededRandom {
  private s: Uint32Array;
  constructor(readonly seed: number) {
    // splitmix32 expansion of the seed into the four state words
    this.s = new Uint32Array(4);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ((s[3] << 11) | (s[3] >>> 21)) >>> 0;
    return result;
  }
  /** Uniform below 2^bits. */
  bits(bits: number): bigint {
    let v = 0n;
    for (let done = 0; done < bits; done += 32) v = (v << 32n) | BigInt(this.nextU32());
    return v & ((1n << BigInt(bits)) - 1n);
  }
  /** Uniform in [0, p) by rejection. */
  scalar(): bigint {
    for (;;) {
      const v = this.bits(255);
      if (v < FR_MODULUS) return v;
    }
  }
  scalars(n: number): bigint[] {
    return Array.from({ length: n }, () => this.scalar());
  }
}
