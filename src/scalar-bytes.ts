// Scalars cross the JS boundary as canonical 32-byte little-endian integers.
export const SCALAR_BYTES = 32;

export function assertBigint(x: unknown, what: string): asserts x is bigint {
  if (typeof x !== 'bigint') throw new TypeError(`${what} must be a bigint, got ${typeof x}`);
}

export function scalarsToBytes(xs: readonly bigint[], what: string): Uint8Array {
  if (!Array.isArray(xs)) throw new TypeError(`${what} must be an array of bigints`);
  const out = new Uint8Array(SCALAR_BYTES * xs.length);
  xs.forEach((x, i) => {
    assertBigint(x, `${what}[${i}]`);
    if (x < 0n || x >= 1n << 256n) throw new RangeError(`${what}[${i}] is out of range [0, p)`);
    let v = x;
    for (let j = 0; j < SCALAR_BYTES; j++) {
      out[i * SCALAR_BYTES + j] = Number(v & 0xffn);
      v >>= 8n;
    }
  });
  return out;
}

export function bytesToScalars(b: Uint8Array): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < b.length; i += SCALAR_BYTES) {
    let v = 0n;
    for (let j = SCALAR_BYTES - 1; j >= 0; j--) v = (v << 8n) | BigInt(b[i + j]);
    out.push(v);
  }
  return out;
}
