// Fiat–Shamir transcript (SHA-256, labelled absorbs, challenges in Fr), computed natively.
import { native, NativeTranscript } from './bindings/native';
import { assertBigint } from './scalar-bytes';

export class Transcript {
  private readonly inner: NativeTranscript;
  constructor(readonly domain: string) {
    if (typeof domain !== 'string') throw new TypeError('Transcript domain must be a string');
    this.inner = new (native().Transcript)(domain);
  }
  absorb(label: string, data: Uint8Array): this {
    this.inner.absorb(label, data);
    return this;
  }
  absorbScalar(label: string, value: bigint): this {
    assertBigint(value, 'value');
    this.inner.absorbScalar(label, value);
    return this;
  }
  /** A challenge in [0, p), derived from everything absorbed so far and this label. */
  challenge(label: string): bigint {
    return this.inner.challenge(label);
  }
  /** `count` challenges labelled label/0 .. label/(count-1). */
  challenges(label: string, count: number): bigint[] {
    if (typeof label !== 'string') throw new TypeError(`Transcript.challenges: label must be a string, got a ${label === null ? 'null' : typeof label}`);
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
      throw new RangeError(
        `Transcript.challenges: count must be a non-negative integer number, got ${typeof count === 'number' ? String(count) : `a ${count === null ? 'null' : typeof count}${typeof count === 'string' || typeof count === 'bigint' ? ` (${String(count)})` : ''}`}`,
      );
    return Array.from({ length: count }, (_, i) => this.challenge(`${label}/${i}`));
  }
  /** 32 challenge bytes (the seed a scalar challenge is expanded from). */
  challengeBytes(label: string): Uint8Array {
    return this.inner.challengeBytes(label);
  }
}
