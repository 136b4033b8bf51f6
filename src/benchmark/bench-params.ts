// The parameters of a benchmark, in the anchor's terms (its programs' arguments), checked before
// any work: every error names the option (the API field and the command-line flag) and says what
// was wrong, so a bad size costs nothing.
import { Backend, getDefaultBackend } from '../backend';
import type { ProveSpec } from '../proof';
import { MAX_GEN_DIM } from '../commit';
import { isBackendName } from '../environment';

/** The anchor's four benchmark programs: tlookup-bm, hadamard-bm, matmul-bm, com-bm. */
export type BenchOp = 'tlookup' | 'hadamard' | 'matmul' | 'com';
export const BENCH_OPS: readonly BenchOp[] = ['tlookup', 'hadamard', 'matmul', 'com'];

export interface BenchSpec {
  op: BenchOp;
  num: number;
  /** tlookup, hadamard, com: elements per instance. */
  dim?: number;
  /** tlookup: the range table [low, low + len). */
  low?: number;
  len?: number;
  /** matmul: instances of (dim0 × dim1)·(dim1 × dim2). */
  dim0?: number;
  dim1?: number;
  dim2?: number;
  /** com: row length of the commitments (the anchor's gen_dim); with commit: true, for every op. */
  genDim?: number;
  /** Seed of the random witness (default 0). */
  seed?: number;
  /** Default: the process default (setDefaultBackend, ZKLLM_BACKEND), as for prove(). */
  backend?: Backend;
  /** Proofs to run (default 1); with more than one the first is a warm-up, left out of the median. */
  repeat?: number;
  /** Commit to the witness and open every claim (always on for com). */
  commit?: boolean;
  /** CUDA: the most device memory the prover's tensors may take (bytes); see ProveSpec. */
  deviceBudget?: number;
  /** The most host memory (bytes) the benchmark may use; also ZKLLM_MEMORY_LIMIT. */
  memoryLimit?: number;
  /** The git commit to record when the code has no git checkout (a copy on a GPU machine). */
  gitCommit?: string;
}

/** A bad parameter: the command line exits with 2. */
export class BenchParamError extends Error {
  readonly exitCode = 2;
  constructor(message: string, readonly param: string) {
    super(message);
    this.name = 'BenchParamError';
  }
}

/** The command-line flag of an API field (genDim → --gen-dim). */
export function flagOf(param: string): string {
  return `--${param.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
const named = (param: string) => `${param} (${flagOf(param)})`;
function fail(param: string, what: string): never {
  throw new BenchParamError(`bench: ${named(param)} ${what}`, param);
}

/** The sizes each op takes, in the anchor's argument order. */
export const OP_SIZES: Readonly<Record<BenchOp, readonly (keyof BenchSpec)[]>> = {
  tlookup: ['num', 'dim', 'low', 'len'],
  hadamard: ['num', 'dim'],
  matmul: ['num', 'dim0', 'dim1', 'dim2'],
  com: ['num', 'dim', 'genDim'],
};
const ALL_SIZES: readonly (keyof BenchSpec)[] = ['num', 'dim', 'low', 'len', 'dim0', 'dim1', 'dim2', 'genDim'];

// The prover's own limits (native/proto/ops.cpp, padding_mask.h), checked here so that they are
// usage errors found before any work.
const MAX_AXIS = 2 ** 40;
const MAX_PADDED = 2 ** 36;
const MAX_TABLE = 2 ** 28;
const MAX_LOW = 2 ** 52; // the prover takes ±2^62; a JS number is exact to 2^53

export const pow2 = (n: number) => (n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n)));
const isPow2 = (n: number) => Number.isSafeInteger(n) && n >= 1 && 2 ** Math.round(Math.log2(n)) === n;

function positive(spec: BenchSpec, k: keyof BenchSpec, max = MAX_AXIS): number {
  const v = spec[k];
  if (v === undefined) fail(k, `is required for ${spec.op} (it takes ${OP_SIZES[spec.op].map(flagOf).join(' ')})`);
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(k, `must be an integer, got ${String(v)}`);
  if (v < 1) fail(k, `must be at least 1, got ${v}`);
  if (v > max) fail(k, `must be at most ${max} (2^${Math.log2(max)}), got ${v}`);
  return v;
}

/** A checked copy of the spec with its defaults filled in; throws BenchParamError. */
export function checkBenchSpec(spec: BenchSpec): Required<Pick<BenchSpec, 'op' | 'num' | 'seed' | 'repeat' | 'commit' | 'backend'>> & BenchSpec {
  if (!spec || typeof spec !== 'object') throw new BenchParamError('bench: the spec must be an object', 'op');
  if (!BENCH_OPS.includes(spec.op)) throw new BenchParamError(`bench: unknown op '${String(spec.op)}' (expected ${BENCH_OPS.join(', ')})`, 'op');
  const op = spec.op;
  for (const k of ALL_SIZES)
    if (spec[k] !== undefined && !OP_SIZES[op].includes(k) && !(k === 'genDim' && spec.commit))
      fail(k, `does not apply to ${op} (it takes ${OP_SIZES[op].map(flagOf).join(' ')}${op === 'com' ? '' : ', and --gen-dim with --commit'})`);
  positive(spec, 'num');
  let padded: number;
  if (op === 'matmul') {
    const [a, b, c] = (['dim0', 'dim1', 'dim2'] as const).map((k) => pow2(positive(spec, k)));
    padded = Math.max(a * b, b * c, a * c) * pow2(spec.num);
  } else padded = pow2(spec.num) * pow2(positive(spec, 'dim'));
  if (padded > MAX_PADDED) fail(op === 'matmul' ? 'dim1' : 'dim', `makes a tensor of ${padded} padded elements, more than the prover's 2^36`);
  if (op === 'tlookup') {
    if (spec.low === undefined) fail('low', 'is required for tlookup (the table is [low, low + len))');
    if (!Number.isSafeInteger(spec.low) || Math.abs(spec.low) > MAX_LOW) fail('low', `must be an integer within ±2^52, got ${String(spec.low)}`);
    const len = positive(spec, 'len', MAX_TABLE);
    // The anchor's range table has 2^⌈log len⌉ rows padded with its last value (reference §4.1),
    // the kit's is padded with its first: only a power of two measures the same table in both.
    if (!isPow2(len)) fail('len', `must be a power of two (the anchor's range table), got ${len}`);
  }
  const commit = op === 'com' || spec.commit === true;
  if (spec.commit !== undefined && typeof spec.commit !== 'boolean') fail('commit', 'must be true or false');
  if (commit) {
    if (spec.genDim === undefined) fail('genDim', op === 'com' ? 'is required for com (the row length of the commitments)' : 'is required with --commit (the row length of the commitments)');
    const w = positive(spec, 'genDim', MAX_GEN_DIM);
    if (!isPow2(w)) fail('genDim', `must be a power of two, got ${w}`);
    // com-bm commits dim/gen_dim whole rows per tensor (reference §5.4); a remainder would
    // measure another layout.
    if (op === 'com' && (spec.dim as number) % w !== 0) fail('genDim', `must divide --dim (${spec.dim} is not a multiple of ${w})`);
  }
  const seed = spec.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) fail('seed', `must be a non-negative integer, got ${String(spec.seed)}`);
  const repeat = spec.repeat ?? 1;
  if (!Number.isSafeInteger(repeat) || repeat < 1 || repeat > 10_000) fail('repeat', `must be an integer from 1 to 10000, got ${String(spec.repeat)}`);
  const backend = spec.backend ?? getDefaultBackend(); // setDefaultBackend / ZKLLM_BACKEND, as prove()
  if (!isBackendName(backend)) fail('backend', `must be auto, cpu or cuda, got '${String(backend)}'`);
  for (const k of ['deviceBudget', 'memoryLimit'] as const) {
    const v = spec[k];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) fail(k, `must be a positive integer number of bytes, got ${String(v)}`);
  }
  if (spec.gitCommit !== undefined && (typeof spec.gitCommit !== 'string' || !/^[0-9a-zA-Z._-]{1,64}$/.test(spec.gitCommit)))
    fail('gitCommit', `must be a commit id (letters, digits, . _ -), got '${String(spec.gitCommit)}'`);
  return { ...spec, op, seed, repeat, commit, backend };
}

/** The kit op each anchor program is measured with. */
export const KIT_OP = { tlookup: 'tlookup-range', hadamard: 'hadamard', matmul: 'matmul', com: 'opening' } as const;

/** The prove() spec of a checked benchmark spec. */
export function proveSpecOf(s: ReturnType<typeof checkBenchSpec>): ProveSpec {
  const out: ProveSpec = { op: KIT_OP[s.op], num: s.num, seed: s.seed, backend: s.backend };
  for (const k of OP_SIZES[s.op]) if (k !== 'genDim') (out as unknown as Record<string, unknown>)[k] = s[k];
  if (s.commit) Object.assign(out, { commit: true, genDim: s.genDim });
  if (s.deviceBudget !== undefined) out.deviceBudget = s.deviceBudget;
  return out;
}

/** The sizes of a benchmark in the anchor's argument order, e.g. "64 4194304 0 65536". */
export function anchorArguments(s: BenchSpec): string {
  return OP_SIZES[s.op].map((k) => String(s[k])).join(' ');
}
