// A sweep file (sweep.json) and the points it expands to. Array-valued fields of a grid entry are
// crossed (a cartesian product, in the order the fields are listed below), so a sweep file stays
// short; the expansion is deterministic, which is what makes shards (shard.ts) agree across
// machines without talking to each other.
import type { ProofOp } from '../proof';
import type { QuantConfigInput } from '../../acc/quant-config';
import { isBackendName } from '../environment';

type OneOrMany<T> = T | T[];

/** Benchmarks through prove(): one point per combination of sizes and seeds. */
export interface ProveGrid {
  op: ProofOp;
  num: OneOrMany<number>;
  dim?: OneOrMany<number>;
  dim0?: OneOrMany<number>;
  dim1?: OneOrMany<number>;
  dim2?: OneOrMany<number>;
  low?: OneOrMany<number>;
  len?: OneOrMany<number>;
  genDim?: OneOrMany<number>;
  commit?: boolean;
  seed?: OneOrMany<number>;
  /** Size sets taken together (not crossed), e.g. square matmuls [{dim0: 64, dim1: 64, dim2: 64}, ...];
   *  each is crossed with the entry's other fields. */
  sizes?: Array<Partial<Record<'num' | 'dim' | 'dim0' | 'dim1' | 'dim2' | 'low' | 'len' | 'genDim', number>>>;
}

/** Accuracy runs (acc/experiment.ts): one point per configuration and data size. */
export interface AccGrid {
  model: string;
  data?: string;
  seqLen: OneOrMany<number>;
  samples: OneOrMany<number>;
  configs: Array<string | QuantConfigInput>;
  windowing?: 'chunks' | 'chunks-plus-one' | 'random';
}

export interface SweepSpec {
  name?: string;
  backend?: 'auto' | 'cpu' | 'cuda';
  /** Measure calibrate()'s ceilings as a point of its own (default true). */
  calibrate?: boolean;
  /** Each prove point this many times (default 1); the report shows the median. */
  repeats?: number;
  prove?: ProveGrid[];
  acc?: AccGrid[];
  /** The ΔPPL budget of the trade-off's highlighted configuration (default 0.1). */
  maxDppl?: number;
}

export type ProvePoint = { kind: 'prove'; backend: string; repeat: number; op: ProofOp; seed: number } & Partial<Record<'num' | 'dim' | 'dim0' | 'dim1' | 'dim2' | 'low' | 'len' | 'genDim', number>> & { commit?: boolean };
export interface AccPoint {
  kind: 'acc';
  backend: string;
  model: string;
  data: string;
  seqLen: number;
  samples: number;
  windowing: string;
  config: string | QuantConfigInput;
}
export interface CalibratePoint {
  kind: 'calibrate';
  backend: string;
}
export type SweepPoint = ProvePoint | AccPoint | CalibratePoint;

const PROVE_FIELDS = ['num', 'dim', 'dim0', 'dim1', 'dim2', 'low', 'len', 'genDim', 'seed'] as const;
const SPEC_FIELDS = ['name', 'backend', 'calibrate', 'repeats', 'prove', 'acc', 'maxDppl'];

const many = <T>(x: OneOrMany<T> | undefined): (T | undefined)[] => (x === undefined ? [undefined] : Array.isArray(x) ? x : [x]);

function cross<T extends Record<string, unknown>>(fields: readonly string[], grid: Record<string, unknown>, base: T): T[] {
  let out: T[] = [base];
  for (const f of fields) {
    const values = many(grid[f] as OneOrMany<unknown>);
    out = out.flatMap((p) => values.map((v) => (v === undefined ? p : { ...p, [f]: v })));
  }
  return out;
}

function checkInts(where: string, grid: Record<string, unknown>, fields: readonly string[]): void {
  for (const f of fields)
    for (const v of many(grid[f] as OneOrMany<unknown>))
      if (v !== undefined && !Number.isSafeInteger(v)) throw new Error(`${where}.${f}: expected integers, got ${JSON.stringify(v)}`);
}

/** Validates a parsed sweep file; says which field is wrong. */
export function checkSweepSpec(x: unknown): SweepSpec {
  if (!x || typeof x !== 'object' || Array.isArray(x)) throw new Error('sweep: expected a JSON object');
  const s = x as Record<string, unknown>;
  for (const k of Object.keys(s))
    if (!SPEC_FIELDS.includes(k))
      throw new Error(k === 'bench' || k === 'zkattn' ? `sweep: '${k}' points are not part of sweeps (run zkllm ${k} with --json; its results carry the configuration's name to join by)` : `sweep: unknown field '${k}'`);
  if (s.backend !== undefined && !isBackendName(s.backend)) throw new Error(`sweep.backend must be auto, cpu or cuda`);
  if (s.repeats !== undefined && !(Number.isSafeInteger(s.repeats) && (s.repeats as number) >= 1)) throw new Error('sweep.repeats must be a positive integer');
  if (s.prove !== undefined && !Array.isArray(s.prove)) throw new Error('sweep.prove must be an array');
  if (s.acc !== undefined && !Array.isArray(s.acc)) throw new Error('sweep.acc must be an array');
  ((s.prove as unknown[]) ?? []).forEach((g, i) => {
    const r = g as Record<string, unknown>;
    if (!r || typeof r.op !== 'string') throw new Error(`sweep.prove[${i}].op is missing`);
    checkInts(`sweep.prove[${i}]`, r, PROVE_FIELDS);
    if (r.sizes !== undefined && !Array.isArray(r.sizes)) throw new Error(`sweep.prove[${i}].sizes must be an array of size objects`);
    ((r.sizes as Record<string, unknown>[]) ?? []).forEach((z, j) => checkInts(`sweep.prove[${i}].sizes[${j}]`, z, PROVE_FIELDS));
  });
  ((s.acc as unknown[]) ?? []).forEach((g, i) => {
    const r = g as Record<string, unknown>;
    if (!r || typeof r.model !== 'string') throw new Error(`sweep.acc[${i}].model is missing`);
    if (!Array.isArray(r.configs) || r.configs.length === 0) throw new Error(`sweep.acc[${i}].configs must be a non-empty array`);
    checkInts(`sweep.acc[${i}]`, r, ['seqLen', 'samples']);
  });
  return s as SweepSpec;
}

/** Every point of the sweep, in a fixed order: calibrate, prove grids, accuracy grids. */
export function expandSweep(spec: SweepSpec): SweepPoint[] {
  const backend = spec.backend ?? 'auto';
  const points: SweepPoint[] = [];
  if (spec.calibrate !== false) points.push({ kind: 'calibrate', backend: backend === 'auto' ? 'auto' : backend });
  for (const g of spec.prove ?? []) {
    const base = { kind: 'prove' as const, backend, op: g.op, ...(g.commit ? { commit: true } : {}) };
    const sets = g.sizes ?? [{}];
    for (const set of sets)
    for (const p of cross(PROVE_FIELDS, { ...g, ...set } as unknown as Record<string, unknown>, base as Record<string, unknown>))
      for (let repeat = 0; repeat < (spec.repeats ?? 1); repeat++) points.push({ seed: 1, ...p, repeat } as ProvePoint);
  }
  for (const g of spec.acc ?? []) {
    const base = { kind: 'acc' as const, backend, model: g.model, data: g.data ?? 'heldout', windowing: g.windowing ?? 'chunks' };
    for (const p of cross(['seqLen', 'samples'], g as unknown as Record<string, unknown>, base as Record<string, unknown>))
      for (const config of g.configs) points.push({ ...p, config } as AccPoint);
  }
  return points;
}

/** A short human name for progress lines and tables. */
export function describePoint(p: SweepPoint): string {
  if (p.kind === 'calibrate') return `calibrate (${p.backend})`;
  if (p.kind === 'acc') return `acc ${typeof p.config === 'string' ? p.config : (p.config.name ?? JSON.stringify(p.config))} T=${p.seqLen} x${p.samples}`;
  const sizes = (['num', 'dim', 'dim0', 'dim1', 'dim2', 'len', 'genDim'] as const).filter((k) => p[k] !== undefined).map((k) => `${k}=${p[k]}`);
  return `${p.op}${p.commit ? ' (commit)' : ''} ${sizes.join(' ')}${p.repeat ? ` #${p.repeat + 1}` : ''}`;
}
