// bench(): the anchor's benchmarks run as complete, verified kit proofs. Every parameter and the
// memory it needs are checked before any work; then `repeat` proofs are timed phase by phase, the
// last one is verified (outside every prover timer), and the figures are set beside the anchor's
// own (when the parameters are the anchor's) and beside this machine's roofline.
import { prove, checkProof, ProofResult } from '../proof';
import { info } from '../system';
import { BenchOp, BenchParamError, BenchSpec, KIT_OP, OP_SIZES, anchorArguments, checkBenchSpec, flagOf, proveSpecOf } from './bench-params';
import { ANCHOR_TIMER_PHASES, PhaseTime, commitNote, splitPhases } from './phase-roles';
import { AnchorFigure, anchorFigure } from './anchor-timers';
import { Ceilings, Floor, WorkTerm, ceilings, floorOf, workTerms } from './roofline';
import { checkBenchMemory, proofHostBytes } from './host-memory';
import { BenchDevice, benchDevice, gitCommit } from './provenance';

export interface BenchProgress {
  stage: 'calibrate' | 'prove' | 'verify';
  /** 1-based repeat number (for 'prove'), and how many were asked for. */
  repeat: number;
  of: number;
  /** The wall time of the previous repeat, when there was one. */
  lastMs?: number;
}

export interface BenchOptions {
  /** Called before each stage (the CLI shows it on a terminal). */
  onProgress?: (p: BenchProgress) => void;
  /** When aborted, the benchmark stops after the proof in progress (a native call is not
   *  interrupted), skips the verification and returns what was measured, `interrupted: true`. */
  signal?: AbortSignal;
}

export interface BenchRepeat {
  index: number;
  /** The whole prove() call, witness and commitments included. */
  wallMs: number;
  phases: PhaseTime[];
  witnessMs: number;
  commitMs: number;
  completeMs: number;
  anchorComparableMs: number | null;
}

export interface BenchFigure {
  /** Median over the measured repeats (null when none finished). */
  ms: number | null;
  /** The kit phases it sums. */
  phases: string[];
}

export interface BenchResult {
  kind: 'zkllm-bench';
  version: 1;
  op: BenchOp;
  kitOp: (typeof KIT_OP)[BenchOp];
  /** The spec's sizes as given, and its settings as resolved. */
  params: Pick<BenchSpec, 'num' | 'dim' | 'low' | 'len' | 'dim0' | 'dim1' | 'dim2' | 'genDim' | 'deviceBudget'> & {
    seed: number;
    backend: 'auto' | 'cpu' | 'cuda';
    repeat: number;
    commit: boolean;
  };
  /** The sizes in the anchor program's argument order. */
  anchorArguments: string;
  /** The command line that runs this benchmark again. */
  command: string;
  date: string;
  /** git sha of the code ('-dirty' when tracked files were changed), or 'unknown'. */
  gitCommit: string;
  device: BenchDevice;
  interrupted: boolean;
  repeats: BenchRepeat[];
  /** Which repeats the medians are taken over. */
  medianOver: string;
  /** Per-phase medians (ms), in the prover's order. */
  phasesMs: Record<string, number>;
  witness: BenchFigure;
  /** What the anchor's timer holds, as kit phases, with the anchor's own figure when it exists. */
  anchorComparable: BenchFigure & {
    note: string;
    anchor: AnchorFigure | null;
    /** The anchor's figure was measured on this kind of device. */
    sameDevice: boolean;
    /** kit / anchor (mean of its runs), on the same kind of device only. */
    ratio: number | null;
  };
  /** Everything after the inputs are resident up to a finished proof, commitments left out. */
  complete: BenchFigure;
  commitments: BenchFigure;
  /** The verification of the last proof (null when interrupted before it). */
  verify: { ms: number; valid: boolean; reason: string } | null;
  proofBytes: number | null;
  roofline: { ceilings: Ceilings; complete: Floor; anchorComparable: Floor; terms: WorkTerm[] };
  memory: { estimatedBytes: number; availableBytes: number; source: string };
  notes: string[];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The command line of a checked spec. */
function commandOf(s: ReturnType<typeof checkBenchSpec>): string {
  const parts = ['zkllm bench', s.op];
  for (const k of OP_SIZES[s.op]) parts.push(flagOf(k), String(s[k]));
  if (s.commit && s.op !== 'com') parts.push('--commit', '--gen-dim', String(s.genDim));
  parts.push('--seed', String(s.seed), '--backend', s.backend, '--repeat', String(s.repeat));
  if (s.deviceBudget !== undefined) parts.push('--device-budget', String(s.deviceBudget));
  return parts.join(' ');
}

/** Runs a benchmark; throws BenchParamError or HostMemoryError (exit code 2) before any work. */
export async function bench(spec: BenchSpec, opts: BenchOptions = {}): Promise<BenchResult> {
  const s = checkBenchSpec(spec);
  const kitSpec = proveSpecOf(s);
  const what = `bench ${s.op} ${anchorArguments(s)}`;
  const estimated = proofHostBytes(KIT_OP[s.op], s, s.commit);
  const mem = checkBenchMemory(what, estimated, s.memoryLimit);
  if (s.backend === 'cuda' && info().devices.length === 0)
    throw new BenchParamError(`bench: backend (--backend) is cuda, but there is no usable GPU (${info().gpuStatus.replace(/^no usable GPU: /, '')})`, 'backend');

  const report = (p: BenchProgress) => opts.onProgress?.(p);
  report({ stage: 'calibrate', repeat: 0, of: s.repeat });
  const ceil = ceilings(s.backend);
  const device = benchDevice(s.backend);

  const repeats: BenchRepeat[] = [];
  let last: ProofResult | undefined;
  let lastMs: number | undefined;
  for (let i = 1; i <= s.repeat && !opts.signal?.aborted; i++) {
    report({ stage: 'prove', repeat: i, of: s.repeat, lastMs });
    const t0 = performance.now();
    last = prove(kitSpec);
    lastMs = performance.now() - t0;
    const split = splitPhases(s.op, last.prover.phasesMs);
    repeats.push({ index: i, wallMs: lastMs, phases: split.phases, witnessMs: split.witnessMs, commitMs: split.commitMs, completeMs: split.completeMs, anchorComparableMs: split.anchorComparableMs });
    await tick(); // lets a signal handler (Ctrl-C) run between repeats
  }
  const interrupted = repeats.length < s.repeat;

  let verify: BenchResult['verify'] = null;
  if (last && !interrupted) {
    report({ stage: 'verify', repeat: s.repeat, of: s.repeat, lastMs });
    const t0 = performance.now();
    const c = checkProof(last.statement, last.proof);
    verify = { ms: performance.now() - t0, valid: c.valid, reason: c.reason };
  }

  // The first of several repeats is a warm-up (generators, allocations): left out of the medians.
  const measured = repeats.length > 1 ? repeats.slice(1) : repeats;
  const medianOver = repeats.length === 0 ? 'no repeat finished' : repeats.length > 1 ? `repeats 2..${repeats.length} (the first is a warm-up)` : 'the only repeat';
  const med = (f: (r: BenchRepeat) => number | null): number | null => {
    const xs = measured.map(f).filter((x): x is number => x !== null);
    return xs.length && xs.length === measured.length ? median(xs) : null;
  };
  const phasesMs: Record<string, number> = {};
  for (const p of measured[0]?.phases ?? []) phasesMs[p.name] = median(measured.map((r) => r.phases.find((q) => q.name === p.name)?.ms ?? 0));
  const names = (role: PhaseTime['role']) => (measured[0]?.phases ?? []).filter((p) => p.role === role).map((p) => p.name);

  const anchorPhases = [...ANCHOR_TIMER_PHASES[s.op].phases];
  const anchorMs = med((r) => r.anchorComparableMs);
  const completeMs = med((r) => r.completeMs);
  const anchor = anchorFigure(s);
  const sameDevice = anchor !== null && device.backend === 'cuda' && device.name.includes(anchor.device.replace(/^NVIDIA /, ''));
  const terms = workTerms(s.op, s, s.commit);

  const notes: string[] = [];
  const split = last ? splitPhases(s.op, last.prover.phasesMs) : undefined;
  if (split?.missingAnchorPhases.length)
    notes.push(`the prover reported no phase named ${split.missingAnchorPhases.map((p) => `'${p}'`).join(', ')}: the anchor-comparable figure is unknown (phase names changed? see src/benchmark/phase-roles.ts)`);
  const cn = split && commitNote(s.commit, split);
  if (cn) notes.push(cn);
  if (anchor && !sameDevice) notes.push(`the anchor's figure was measured on an ${anchor.device}; this run is on ${device.name}, so no ratio is given`);
  if (s.op === 'com' || s.commit) notes.push('the roofline counts the field and memory work only: calibrate() has no G1 ceiling, so the MSMs of commitments and openings are left out of the floor');
  if (interrupted) notes.push(`interrupted after ${repeats.length} of ${s.repeat} repeats: the proof was not verified`);

  return {
    kind: 'zkllm-bench',
    version: 1,
    op: s.op,
    kitOp: KIT_OP[s.op],
    params: {
      ...Object.fromEntries(OP_SIZES[s.op].map((k) => [k, s[k]])),
      ...(s.commit ? { genDim: s.genDim } : {}),
      num: s.num,
      seed: s.seed,
      backend: s.backend,
      repeat: s.repeat,
      commit: s.commit,
      ...(s.deviceBudget !== undefined ? { deviceBudget: s.deviceBudget } : {}),
    },
    anchorArguments: anchorArguments(s),
    command: commandOf(s),
    date: new Date().toISOString(),
    gitCommit: s.gitCommit ?? gitCommit(),
    device,
    interrupted,
    repeats,
    medianOver,
    phasesMs,
    witness: { ms: med((r) => r.witnessMs), phases: names('witness') },
    anchorComparable: {
      ms: anchorMs,
      phases: anchorPhases,
      note: ANCHOR_TIMER_PHASES[s.op].note,
      anchor,
      sameDevice,
      ratio: anchor && sameDevice && anchorMs !== null ? anchorMs / (1e3 * anchor.meanS) : null,
    },
    complete: { ms: completeMs, phases: names('proof') },
    commitments: { ms: names('commit').length ? med((r) => r.commitMs) : null, phases: names('commit') },
    verify,
    proofBytes: last ? last.proof.length : null,
    roofline: {
      ceilings: ceil,
      complete: floorOf(terms, names('proof'), ceil, completeMs),
      anchorComparable: floorOf(terms, anchorPhases, ceil, anchorMs),
      terms,
    },
    memory: { estimatedBytes: estimated, availableBytes: mem.availableBytes, source: mem.source },
    notes,
  };
}
