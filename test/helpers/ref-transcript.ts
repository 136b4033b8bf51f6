// An independent TypeScript model of the native transcript's framing (native/proto/transcript.cpp),
// hashing with node:crypto. node:crypto cannot fork a hash mid-stream, so the whole byte stream is
// kept and hashed again for every challenge.
//
//   frame(tag, label) = tag (1 byte) | u32 LE byte length of label (UTF-8) | label
//   new(domain)       = frame(0, "zkllm-kit/transcript/v1") | u64 LE length of domain | domain
//   absorb(l, d)      = frame(1, l) | u64 LE length of d | d
//   challenge seed    = frame(2, l) into the stream; seed = SHA-256(stream so far);
//                       then 0x03 | seed is appended (the ratchet)
//   challenge scalar  = (SHA-256(seed | 0x00) | SHA-256(seed | 0x01)) as a 512-bit little-endian
//                       integer, mod p
import { createHash } from 'node:crypto';
import { P } from './field';

const PROTOCOL = 'zkllm-kit/transcript/v1';

function le(v: bigint, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  let x = v;
  for (let i = 0; i < bytes; i++) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
}

export function scalarBytesLE(x: bigint): Uint8Array {
  return new Uint8Array(le(x, 32));
}

export function leToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

export class RefTranscript {
  private readonly parts: Buffer[] = [];

  constructor(domain: string) {
    this.frame(0, PROTOCOL);
    const d = Buffer.from(domain, 'utf8');
    this.parts.push(le(BigInt(d.length), 8), d);
  }

  private frame(tag: number, label: string): void {
    const l = Buffer.from(label, 'utf8');
    this.parts.push(Buffer.of(tag), le(BigInt(l.length), 4), l);
  }

  absorb(label: string, data: Uint8Array): this {
    this.frame(1, label);
    this.parts.push(le(BigInt(data.length), 8), Buffer.from(data));
    return this;
  }

  absorbScalar(label: string, x: bigint): this {
    return this.absorb(label, scalarBytesLE(x));
  }

  challengeBytes(label: string): Uint8Array {
    this.frame(2, label);
    const h = createHash('sha256');
    for (const p of this.parts) h.update(p);
    const seed = h.digest();
    this.parts.push(Buffer.of(3), seed);
    return new Uint8Array(seed);
  }

  challenge(label: string): bigint {
    const seed = this.challengeBytes(label);
    const lo = createHash('sha256').update(seed).update(Buffer.of(0)).digest();
    const hi = createHash('sha256').update(seed).update(Buffer.of(1)).digest();
    return leToBigint(Buffer.concat([lo, hi])) % P;
  }
}
