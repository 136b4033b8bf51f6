// What every GPU check script shares: its flags, and one JSON record (kind, date, commit, command,
// seed, device) rewritten after each step, so a run cut short still leaves what it measured.
import * as fs from 'node:fs';
import type { ProofResult } from '../src/proof';
import { info } from '../src/system';

export function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Same proof bytes and the same statement. */
export const sameProof = (a: ProofResult, b: ProofResult) =>
  Buffer.from(a.proof).equals(Buffer.from(b.proof)) && JSON.stringify(a.statement) === JSON.stringify(b.statement);

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

/** The native MSM benchmark's runs (the first a warm-up) and their medians without it. */
export function msmTimings(r: { n: number; computeMs: number[]; totalMs: number[] }) {
  return {
    n: r.n,
    computeMsMedian: median(r.computeMs.slice(1)),
    totalMsMedian: median(r.totalMs.slice(1)),
    computeMs: r.computeMs,
    totalMs: r.totalMs,
  };
}

export function gpuRecord(kind: string, seed: number): { record: Record<string, unknown>; write: () => void } {
  const record: Record<string, unknown> = {
    kind,
    date: new Date().toISOString(),
    commit: flag('commit') ?? 'unknown',
    command: process.argv.slice(1).join(' '),
    seed,
    device: info().devices[0] ?? null,
  };
  const write = () => {
    const out = flag('out');
    if (out) fs.writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
  };
  return { record, write };
}
