// A sweep point's identity: a hash of its canonical JSON (keys sorted at every level), so the same
// configuration has the same key on every machine and in every run, whatever order its fields were
// written in. Resuming and merging shards both count a point once by this key.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted recursively; arrays keep their order. */
export function canonicalJson(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x);
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  const o = x as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** 16 hex digits (64 bits) of SHA-256: collisions are out of reach for any sweep size. */
export function pointKey(point: unknown): string {
  return createHash('sha256').update(canonicalJson(point)).digest('hex').slice(0, 16);
}
