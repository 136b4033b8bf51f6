// The worker thread behind proveAsync / verifyAsync / commitAsync: it runs the synchronous API
// (src/proof.ts, src/commit.ts) on its own thread, so a notebook's event loop stays free while
// the native prover works. The addon is a plain N-API module and loads in workers (checked by
// test/async-api.test.ts); its native thread pool is the same one the main thread would use.
import { parentPort } from 'node:worker_threads';
import { prove, checkProof } from '../proof';
import { commitments } from '../commit';
import type { WorkerJob, WorkerReply } from './worker-protocol';

if (!parentPort) throw new Error('proof-worker.ts runs as a worker thread only');
const port = parentPort;

port.on('message', (job: WorkerJob) => {
  port.postMessage({ id: job.id, started: true } satisfies WorkerReply);
  const t0 = performance.now();
  try {
    let reply: WorkerReply;
    if (job.fn === 'prove') reply = { id: job.id, ok: true, fn: 'prove', value: prove(job.spec), ms: performance.now() - t0 };
    else if (job.fn === 'checkProof')
      reply = { id: job.id, ok: true, fn: 'checkProof', value: checkProof(job.statement, job.proof), ms: performance.now() - t0 };
    else reply = { id: job.id, ok: true, fn: 'commit', value: commitments.commit(job.values, job.opts), ms: performance.now() - t0 };
    port.postMessage(reply);
  } catch (e) {
    const err = e as Error;
    port.postMessage({ id: job.id, ok: false, message: err?.message ?? String(e), stack: err?.stack } satisfies WorkerReply);
  }
});
