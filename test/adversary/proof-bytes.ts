// The proof's wire format (native ProofWriter): scalars as canonical 32-byte little-endian
// integers, points in their 96-byte encodings, in transcript order.
import { scalarBytesLE } from '../helpers/ref-transcript';
import { mod } from './mle';

export interface IpaProof {
  L: Uint8Array[];
  R: Uint8Array[];
  a: bigint;
}

export class ProofBytes {
  private readonly parts: Uint8Array[] = [];
  fr(x: bigint): this {
    this.parts.push(scalarBytesLE(mod(x)));
    return this;
  }
  point(p: Uint8Array): this {
    this.parts.push(p);
    return this;
  }
  sumcheck(rounds: readonly (readonly bigint[])[]): this {
    for (const g of rounds) for (const x of g) this.fr(x);
    return this;
  }
  opening(p: IpaProof): this {
    for (const L of p.L) this.point(L);
    for (const R of p.R) this.point(R);
    return this.fr(p.a);
  }
  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.parts.map((p) => Buffer.from(p))));
  }
}
