// A generator cache file with a planted point (native/commit/generator_cache.h):
//   "ZKLLMGEN" | u32 version | u32 96 | label digest (32) | u64 w | (w + 1) points | SHA-256 of all before.
// The kit writes the honest file; this replaces point j by one with a known discrete log and
// recomputes the checksum, so only a re-derivation of point j can tell.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { commitments } from '../../src/commit';
import type { Gens } from './hyrax-prover';

const HEADER_BYTES = 8 + 4 + 4 + 32 + 8;

/** Writes the honest file for (label, w) under cacheDir, then plants `point` at index j. Returns its path. */
export function plantGenerator(cacheDir: string, label: string, w: number, j: number, point: Uint8Array): string {
  const s = commitments.generators(label, w, { cacheDir, memory: false });
  const file = s.source.cacheFile;
  const buf = readFileSync(file);
  Buffer.from(point).copy(buf, HEADER_BYTES + 96 * j);
  createHash('sha256').update(buf.subarray(0, buf.length - 32)).digest().copy(buf, buf.length - 32);
  writeFileSync(file, buf);
  return file;
}

/** The set as a prover holding the planted file sees it. */
export function plantedGens(label: string, w: number, j: number, point: Uint8Array): Gens {
  const s = commitments.generators(label, w, { disk: false });
  const g = s.g.slice();
  g[j] = point;
  return { label, w, g, q: s.q };
}
