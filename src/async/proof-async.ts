// Promise forms of prove / verify / checkProof / commit for notebooks: the native work runs on a
// worker thread (proof-worker.ts), so `await proveAsync(...)` leaves the event loop free (tslab
// keeps answering, progress bars and timers keep running). No native change is needed: the worker
// calls the same synchronous API, so the async forms give the same bytes as the sync ones.
//
// One worker serves the whole process and runs jobs in order: the native prover already uses
// every CPU thread (or the GPU), so running two proofs at once would only make both slower. The
// worker is unref'd while idle, so it never keeps a script from exiting.
import { Worker } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getDefaultBackend } from '../backend';
import type { ProveSpec, ProofResult, Statement, ProofCheck } from '../proof';
import type { CommitOptions, TensorCommitment } from '../commit';
import type { WorkerJob, WorkerJobBody, WorkerReply } from './worker-protocol';

/** What a job reports while it runs. The native prover does not report inside a call, so the
 *  'phase' events come when the proof is done, one per entry of `prover.phasesMs`, in order. */
export type AsyncProgress =
  | { stage: 'queued'; job: string; position: number }
  | { stage: 'started'; job: string; waitedMs: number }
  | { stage: 'phase'; job: string; phase: string; ms: number }
  | { stage: 'done'; job: string; ms: number };

export interface AsyncOptions {
  onProgress?: (p: AsyncProgress) => void;
}

interface Pending {
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
  job: string;
  queuedAt: number;
  onProgress?: (p: AsyncProgress) => void;
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

/** The compiled worker beside this file; from the TypeScript sources (ts-node) through ts-node. */
function startWorker(): Worker {
  const js = path.join(__dirname, 'proof-worker.js');
  const w = fs.existsSync(js)
    ? new Worker(js)
    : new Worker(`require('ts-node/register'); require(${JSON.stringify(path.join(__dirname, 'proof-worker.ts'))});`, { eval: true });
  w.on('message', (r: WorkerReply) => {
    const p = pending.get(r.id);
    if (!p) return;
    if ('started' in r) {
      p.onProgress?.({ stage: 'started', job: p.job, waitedMs: Date.now() - p.queuedAt });
      return;
    }
    pending.delete(r.id);
    if (pending.size === 0) w.unref();
    p.resolve(r);
  });
  // A worker that dies (an exception outside a job, a crash of the addon) fails every waiting job.
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker = undefined;
  };
  w.on('error', failAll);
  w.on('exit', (code) => failAll(new Error(`zkllm-kit proof worker exited with code ${code}`)));
  return w;
}

function run(job: WorkerJobBody, label: string, o?: AsyncOptions): Promise<WorkerReply> {
  worker ??= startWorker();
  const w = worker;
  const id = nextId++;
  return new Promise<WorkerReply>((resolve, reject) => {
    pending.set(id, { resolve, reject, job: label, queuedAt: Date.now(), onProgress: o?.onProgress });
    o?.onProgress?.({ stage: 'queued', job: label, position: pending.size - 1 });
    w.ref();
    w.postMessage({ ...job, id } as WorkerJob);
  }).then((r) => {
    if ('ok' in r && !r.ok) {
      const e = new Error(r.message);
      if (r.stack) e.stack = `${r.message}\n    (in the zkllm-kit proof worker)\n${r.stack.split('\n').slice(1).join('\n')}`;
      throw e;
    }
    return r;
  });
}

/** prove() on the worker thread. The default backend is the caller's (setDefaultBackend applies). */
export async function proveAsync(spec: ProveSpec, o?: AsyncOptions): Promise<ProofResult> {
  const label = `prove ${spec?.op}`;
  const r = await run({ fn: 'prove', spec: { ...spec, backend: spec?.backend ?? getDefaultBackend() } }, label, o);
  if (!('fn' in r) || r.fn !== 'prove') throw new Error('proof worker: unexpected reply');
  // The worker chose the backend from the spec: report it as the sync prove would.
  for (const [phase, ms] of Object.entries(r.value.prover.phasesMs)) o?.onProgress?.({ stage: 'phase', job: label, phase, ms });
  o?.onProgress?.({ stage: 'done', job: label, ms: r.ms });
  return r.value;
}

/** checkProof() on the worker thread: { valid, reason }; never rejects for a bad proof. */
export async function checkProofAsync(statement: Statement, proof: Uint8Array, o?: AsyncOptions): Promise<ProofCheck> {
  const label = `verify ${statement?.op}`;
  const r = await run({ fn: 'checkProof', statement, proof }, label, o);
  if (!('fn' in r) || r.fn !== 'checkProof') throw new Error('proof worker: unexpected reply');
  o?.onProgress?.({ stage: 'done', job: label, ms: r.ms });
  return r.value;
}

/** verify() on the worker thread: true only when the whole statement is checked. */
export async function verifyAsync(statement: Statement, proof: Uint8Array, o?: AsyncOptions): Promise<boolean> {
  return (await checkProofAsync(statement, proof, o)).valid;
}

/** commitments.commit() on the worker thread. */
export async function commitAsync(values: readonly bigint[] | Int32Array, opts: CommitOptions, o?: AsyncOptions): Promise<TensorCommitment> {
  const label = 'commit';
  const r = await run({ fn: 'commit', values, opts: { ...opts, backend: opts?.backend ?? getDefaultBackend() } }, label, o);
  if (!('fn' in r) || r.fn !== 'commit') throw new Error('proof worker: unexpected reply');
  o?.onProgress?.({ stage: 'done', job: label, ms: r.ms });
  return r.value;
}

/** Stops the worker (a later call starts a new one). Not needed before exit: an idle worker is unref'd. */
export async function stopProofWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}
