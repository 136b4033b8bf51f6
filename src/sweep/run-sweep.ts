// Runs a sweep: expands it, keeps this shard's points, skips those whose key is already in the
// results file (a resumed sweep redoes nothing it finished), runs the rest one by one and appends
// each record as soon as it is done.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describePoint, expandSweep, type SweepPoint, type SweepSpec } from './sweep-spec';
import { pointKey } from './point-key';
import { appendResult, readResults, type LineProblem, type ResultRecord } from './results-file';
import { shardOf, type Shard } from './shard';
import { recordEnv, runPoint } from './run-point';
import { SweepProgress } from './progress';
import { proveAsync } from '../async/proof-async';

export interface SweepOptions {
  out: string;
  shard?: Shard;
  /** The command line recorded with every point. */
  command?: string;
  quiet?: boolean;
  /** Stop after this many points (the rest stay for a later run). */
  limit?: number;
  /** Called with each bad line of an existing results file. */
  onProblem?: (p: LineProblem) => void;
}

export interface SweepSummary {
  points: number;
  skipped: number;
  ran: number;
  failed: number;
  ms: number;
}

export async function runSweep(spec: SweepSpec, o: SweepOptions): Promise<SweepSummary> {
  const t0 = Date.now();
  const points = shardOf(expandSweep(spec), o.shard);
  const existing = readResults(o.out);
  for (const p of existing.problems) o.onProblem?.(p);
  // A failed point is tried again; a successful one never.
  const done = new Set(existing.records.filter((r) => r.ok).map((r) => r.key));
  const todo = points.filter((p) => !done.has(pointKey(p)));
  const todoNow = o.limit === undefined ? todo : todo.slice(0, o.limit);
  fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  const progress = new SweepProgress(points.length, points.length - todo.length, process.stderr, o.quiet);
  let failed = 0;
  // One small unrecorded proof first, so no point pays for loading the addon or starting the worker.
  if (todoNow.some((p) => p.kind === 'prove')) await proveAsync({ op: 'hadamard', num: 1, dim: 16, seed: 0, backend: spec.backend ?? 'auto' });
  try {
    for (const p of todoNow) {
      const label = describePoint(p);
      progress.start(label);
      const started = performance.now();
      const rec = await runOne(p, o.command ?? 'zkllm sweep');
      rec.ms = performance.now() - started;
      appendResult(o.out, rec);
      if (!rec.ok) failed++;
      progress.finish(label, rec.ms, rec.error);
    }
  } finally {
    progress.stop();
  }
  return { points: points.length, skipped: points.length - todo.length, ran: todoNow.length, failed, ms: Date.now() - t0 };
}

async function runOne(p: SweepPoint, command: string): Promise<ResultRecord> {
  const base = { v: 1 as const, key: pointKey(p), kind: p.kind, point: p, env: recordEnv(), command, ms: 0 };
  try {
    const result = await runPoint(p);
    return { ...base, ok: true, result, at: new Date().toISOString() };
  } catch (e) {
    return { ...base, ok: false, error: (e as Error).message, at: new Date().toISOString() };
  }
}
