// The kit's own Fiat–Shamir transcript (public API), wrapped so the adversary can see every
// challenge drawn so far (hooks choose values after them) and absorb points and scalars the way
// the native prover does.
import { Transcript } from '../../src/transcript';

export interface DrawnChallenge {
  label: string;
  value: bigint;
}

export class AdvTranscript {
  private readonly inner: Transcript;
  readonly drawn: DrawnChallenge[] = [];
  constructor(domain: string) {
    this.inner = new Transcript(domain);
  }
  absorb(label: string, data: Uint8Array): this {
    this.inner.absorb(label, data);
    return this;
  }
  /** A scalar as its canonical 32-byte little-endian encoding (native absorb_fr). */
  absorbScalar(label: string, x: bigint): this {
    this.inner.absorbScalar(label, x);
    return this;
  }
  /** Points concatenated in their 96-byte encodings under one label (native absorb_points). */
  absorbPoints(label: string, pts: readonly Uint8Array[]): this {
    return this.absorb(label, Buffer.concat(pts.map((p) => Buffer.from(p))));
  }
  challenge(label: string): bigint {
    const value = this.inner.challenge(label);
    this.drawn.push({ label, value });
    return value;
  }
  /** challenge("<label>/0") .. challenge("<label>/<k-1>"), as native challenges(). */
  challenges(label: string, k: number): bigint[] {
    return Array.from({ length: k }, (_, i) => this.challenge(`${label}/${i}`));
  }
  /** The last challenge drawn under `label`. */
  get(label: string): bigint {
    for (let i = this.drawn.length - 1; i >= 0; i--) if (this.drawn[i].label === label) return this.drawn[i].value;
    throw new Error(`no challenge '${label}' drawn yet`);
  }
}
