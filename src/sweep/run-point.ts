// Runs one sweep point and returns what its record keeps. Proofs go through proveAsync (a worker
// thread), so the progress display keeps ticking; the accuracy runs are asynchronous natively.
import * as os from 'node:os';
import { execFileSync } from 'node:child_process';
import { proveAsync, checkProofAsync } from '../async/proof-async';
import { info, calibrate, type CalibrationResult, type KitInfo } from '../system';
import type { ProveSpec } from '../proof';
import type { Backend } from '../backend';
import type { AccPoint, CalibratePoint, ProvePoint, SweepPoint } from './sweep-spec';
import type { RecordEnv } from './results-file';
import type { ExperimentResult, ConfigOutcome } from '../../acc/experiment';

export interface ProveResult {
  /** The backend that ran ('auto' resolved). */
  backend: 'cpu' | 'cuda';
  /** The whole prove() call on the worker, and the prover's own phases. */
  proveMs: number;
  phasesMs: Record<string, number>;
  proofBytes: number;
  verifyMs: number;
  valid: boolean;
}

export interface AccResult {
  model: ExperimentResult['model'];
  data: ExperimentResult['data'];
  backend: ExperimentResult['backend'];
  device: string;
  float: ExperimentResult['float'];
  outcome: ConfigOutcome;
}

export interface CalibrateResult {
  info: KitInfo;
  calibration: CalibrationResult[];
}

let envCache: RecordEnv | undefined;
/** Where the numbers come from; the commit: ZKLLM_GIT_COMMIT when set (a copy run where git would
 *  not know it, as on the GPU machine), else the git checkout's. */
export function recordEnv(): RecordEnv {
  if (envCache) return envCache;
  const i = info();
  let commit: string | null = process.env.ZKLLM_GIT_COMMIT?.trim().slice(0, 12) || null;
  if (!commit) try {
    commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    commit = null;
  }
  envCache = {
    device: i.autoBackend === 'cuda' ? (i.devices[0]?.name ?? 'GPU') : `CPU, ${i.cpuThreads} threads`,
    cpuThreads: i.cpuThreads,
    gpus: i.devices.map((d) => d.name),
    commit,
    node: process.version,
    host: os.hostname(),
  };
  return envCache;
}

function resolved(b: string): 'cpu' | 'cuda' {
  return b === 'auto' ? info().autoBackend : (b as 'cpu' | 'cuda');
}

/** The prove() spec of a point (sizes as given; tlookups default to low = 0). */
export function proveSpecOf(p: ProvePoint): ProveSpec {
  const spec: ProveSpec = { op: p.op, num: p.num ?? 1, seed: p.seed, backend: p.backend as Backend };
  for (const k of ['dim', 'dim0', 'dim1', 'dim2', 'low', 'len', 'genDim'] as const) if (p[k] !== undefined) spec[k] = p[k];
  if (p.op.startsWith('tlookup') && spec.low === undefined) spec.low = 0;
  if (p.commit) spec.commit = true;
  return spec;
}

async function runProve(p: ProvePoint): Promise<ProveResult> {
  let proveMs = 0;
  const r = await proveAsync(proveSpecOf(p), { onProgress: (e) => (e.stage === 'done' ? (proveMs = e.ms) : undefined) });
  const t0 = performance.now();
  const check = await checkProofAsync(r.statement, r.proof);
  const verifyMs = performance.now() - t0;
  if (!check.valid) throw new Error(`the proof did not verify: ${check.reason}`);
  return { backend: resolved(p.backend), proveMs, phasesMs: r.prover.phasesMs, proofBytes: r.proof.length, verifyMs, valid: check.valid };
}

// The model and windows of the last accuracy point, so the configurations of one grid entry load
// the checkpoint and tokenize the data once.
let accCache: { key: string; model: import('../../acc/checkpoint').LlamaModel; loaded: Awaited<ReturnType<typeof import('../../acc/experiment').loadWindows>> } | undefined;

async function runAcc(p: AccPoint): Promise<AccResult> {
  // Loaded on use: prove-only sweeps never load the tokenizer and model code.
  const { loadWindows, runOnWindows, expandConfigs } = await import('../../acc/experiment');
  const { loadLlamaModel } = await import('../../acc/checkpoint');
  const key = JSON.stringify([p.model, p.data, p.seqLen, p.samples, p.windowing]);
  if (accCache?.key !== key) {
    accCache = undefined;
    const model = loadLlamaModel(p.model);
    const loaded = await loadWindows(p.model, { data: p.data, seqLen: p.seqLen, samples: p.samples, windowing: p.windowing as 'chunks' });
    accCache = { key, model, loaded };
  }
  const { model, loaded } = accCache;
  const r = await runOnWindows(model, loaded.windows, expandConfigs([p.config]), {
    backend: p.backend as Backend,
    modelDir: p.model,
    source: loaded.source,
    windowing: loaded.record,
  });
  return { model: r.model, data: r.data, backend: r.backend, device: r.device, float: r.float, outcome: r.configs[0] };
}

function runCalibrate(p: CalibratePoint): CalibrateResult {
  return { info: info(), calibration: calibrate(p.backend === 'auto' ? undefined : [p.backend as 'cpu' | 'cuda']) };
}

export async function runPoint(p: SweepPoint): Promise<unknown> {
  if (p.kind === 'prove') return runProve(p);
  if (p.kind === 'acc') return runAcc(p);
  return runCalibrate(p);
}
