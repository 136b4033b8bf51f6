// The messages between the main thread and the proof worker (proof-worker.ts). Everything in them
// is structured-clone safe: statements are JSON-safe, proofs and points are Uint8Arrays, and
// witness tensors may hold bigints (structured clone copies those too).
import type { ProveSpec, ProofResult, Statement, ProofCheck } from '../proof';
import type { CommitOptions, TensorCommitment } from '../commit';

export type WorkerJob =
  | { id: number; fn: 'prove'; spec: ProveSpec }
  | { id: number; fn: 'checkProof'; statement: Statement; proof: Uint8Array }
  | { id: number; fn: 'commit'; values: readonly bigint[] | Int32Array; opts: CommitOptions };

export type WorkerReply =
  | { id: number; ok: true; fn: 'prove'; value: ProofResult; ms: number }
  | { id: number; ok: true; fn: 'checkProof'; value: ProofCheck; ms: number }
  | { id: number; ok: true; fn: 'commit'; value: TensorCommitment; ms: number }
  | { id: number; ok: false; message: string; stack?: string }
  | { id: number; started: true };

/** A job without its id (distributes over the union, which Omit does not). */
export type WorkerJobBody = WorkerJob extends infer J ? (J extends WorkerJob ? Omit<J, 'id'> : never) : never;
