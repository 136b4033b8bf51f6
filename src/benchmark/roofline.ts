// The roofline of a benchmark: the bytes that must move and the field products that must be done
// for the proof (its floor), against this machine's measured ceilings (calibrate(): Fr
// multiplications per second and copy bandwidth, bytes read plus written). floor = max(bytes /
// copy rate, products / Fr-mul rate); achieved = floor / measured, 1 being the machine's limit.
//
// The counting model (N: padded elements; 32 bytes per field element; a term is tagged with the
// kit phase that does that work, so each figure is compared with the terms of its own phases):
// - sumcheck over n elements with k tensors and degree d: every round reads the k tensors of the
//   current length, evaluates the round polynomial at d points (one more comes from the claim) with
//   (multiplicands − 1) products each per pair, folds the k tensors (one product per pair each)
//   and writes the halves; rounds halve the length, so the total is about twice the first round.
// - split-eq sumcheck (Hadamard's eq·a·b, the lookup's values sumcheck) over n elements with k
//   tensors beside eq: the eq table is never formed; a table E of n/2 entries (the point without its
//   first coordinate) is, and each round reads the k tensors and E, takes r products per pair for
//   its values (5: e·a at two points, then one product per point), folds the k tensors (one
//   product per pair each, fused into the next round's pass) and halves E by pair sums.
// - eq table of n entries: n products, n elements written.
// - batch inversion of n elements (Montgomery's trick): 3 products per element, and four passes
//   (read the input, write and read the prefix products, write the inverses).
// - MLE evaluation or a fold against an eq table: one product per element read.
// - the G1 work of commitments and openings (MSMs of the inner-product argument) has no ceiling in
//   calibrate(), so it is not counted: for com and in commit mode the floor is that of the field
//   and memory work only, a lower bound.
import { calibrate, info } from '../system';
import type { BenchOp } from './bench-params';
import { pow2 } from './bench-params';

const FR = 32;
const INT32 = 4;

export interface WorkTerm {
  /** The kit phase this work is done in. */
  phase: string;
  what: string;
  bytes: number;
  frMuls: number;
}

function sumcheck(phase: string, what: string, n: number, k: number, degree: number, multiplicands: number): WorkTerm {
  let bytes = 0;
  let frMuls = 0;
  for (let len = n; len > 1; len /= 2) {
    const pairs = len / 2;
    frMuls += pairs * degree * (multiplicands - 1) + k * pairs;
    bytes += FR * (k * len + k * pairs);
  }
  return { phase, what, bytes, frMuls };
}
function splitEqSumcheck(phase: string, what: string, n: number, k: number, roundMuls: number): WorkTerm {
  let bytes = 0;
  let frMuls = 0;
  for (let len = n; len > 1; len /= 2) {
    const pairs = len / 2;
    frMuls += pairs * roundMuls + k * pairs;
    bytes += FR * (k * len + k * pairs + pairs + pairs / 2);
  }
  return { phase, what, bytes, frMuls };
}
const eqTable = (phase: string, n: number): WorkTerm => ({ phase, what: `eq table of ${n}`, bytes: FR * n, frMuls: n });
const inversion = (phase: string, what: string, n: number): WorkTerm => ({ phase, what, bytes: 4 * FR * n, frMuls: 3 * n });
const fold = (phase: string, what: string, n: number, elementBytes = FR): WorkTerm => ({ phase, what, bytes: elementBytes * n, frMuls: n });

export interface WorkSizes {
  num: number;
  dim?: number;
  len?: number;
  dim0?: number;
  dim1?: number;
  dim2?: number;
  genDim?: number;
}

/** The work of each op's proof, by kit phase (the model above). */
export function workTerms(op: BenchOp, s: WorkSizes, commit: boolean): WorkTerm[] {
  const terms: WorkTerm[] = [];
  if (op === 'hadamard') {
    const n = pow2(s.num) * pow2(s.dim ?? 1);
    // c~(u): the seeded prover takes it from the sumcheck's total, so no pass over c is needed.
    terms.push(eqTable('sumcheck', n / 2));
    terms.push(splitEqSumcheck('sumcheck', 'split-eq sumcheck of eq·a·b (degree 3)', n, 2, 5));
  } else if (op === 'tlookup') {
    const n = pow2(s.num) * pow2(s.dim ?? 1);
    const t = pow2(s.len ?? 1);
    // Counted only once the prover reports multiplicities as their own phase (see phase-roles.ts).
    terms.push({ phase: 'multiplicities', what: `histogram of ${n} values into ${t} counters`, bytes: FR * (n + t), frMuls: 0 });
    // every value is a table row: its inverse is gathered from the table's (one element written)
    terms.push(inversion('inverses', `inverses 1/(t+β) of ${t} table rows`, t));
    terms.push({ phase: 'inverses', what: `inverses of ${n} values gathered from the table's`, bytes: FR * n, frMuls: 0 });
    terms.push(eqTable('values sumcheck', n / 2));
    terms.push(splitEqSumcheck('values sumcheck', 'split-eq values sumcheck of eq·A·(S+β) + A (degree 3)', n, 2, 5));
    terms.push(sumcheck('table sumcheck', 'table sumcheck of m·B (degree 2)', t, 2, 2, 2));
  } else if (op === 'matmul') {
    const [a, b, c, m] = [pow2(s.dim0 ?? 1), pow2(s.dim1 ?? 1), pow2(s.dim2 ?? 1), pow2(s.num)];
    terms.push(fold('fold operands', `A (${m}×${a}×${b}) folded over its rows`, m * a * b));
    terms.push(fold('fold operands', `B (${m}×${b}×${c}) folded over its columns`, m * b * c));
    terms.push(fold('fold operands', 'claim Σ eq·A′·B′', m * b));
    terms.push(sumcheck('sumcheck', 'stacked inner-product sumcheck of eq·A′·B′ (degree 3)', m * b, 3, 3, 3));
  } else {
    const d = pow2(s.dim ?? 1);
    const w = s.genDim ?? d;
    // int32 tensors (the anchor's inputs, the kit's int path): each read once, folded over its rows.
    terms.push(fold('evaluate and combine', `${s.num} int32 tensors of ${d} folded over their rows`, s.num * d, INT32));
    terms.push(fold('evaluate and combine', `row folds combined with ρ^i (${s.num}×${w})`, s.num * w));
    // Inner-product argument over w: per round the cross terms and the folds of both vectors.
    terms.push({ phase: 'opening', what: `inner-product argument over ${w} (field part; its G1 MSMs are not counted)`, bytes: 2 * 2 * FR * w, frMuls: 4 * w });
  }
  if (commit && op !== 'com') {
    // Openings of the final claims: each opened tensor folded over its rows once (G1 not counted).
    const opened = op === 'matmul' ? pow2(s.num) * (pow2(s.dim0 ?? 1) * pow2(s.dim1 ?? 1) + pow2(s.dim1 ?? 1) * pow2(s.dim2 ?? 1) + pow2(s.dim0 ?? 1) * pow2(s.dim2 ?? 1)) : 3 * pow2(s.num) * pow2(s.dim ?? 1);
    terms.push(fold('openings', 'opened tensors folded over their rows (field part; G1 not counted)', opened));
  }
  return terms;
}

export interface Ceilings {
  backend: 'cpu' | 'cuda';
  device: string;
  frMulPerSecond: number;
  copyBytesPerSecond: number;
  method: string;
}

const calibrations = new Map<string, Ceilings>();
/** This machine's ceilings for a backend, measured once per process (it takes a moment on the CPU). */
export function ceilings(backend: 'auto' | 'cpu' | 'cuda'): Ceilings {
  const b = backend === 'auto' ? info().autoBackend : backend;
  let c = calibrations.get(b);
  if (!c) {
    const r = calibrate([b])[0];
    c = { backend: b, device: r.device, frMulPerSecond: r.frMulGPerSecond * 1e9, copyBytesPerSecond: r.copyGBPerSecond * 1e9, method: r.method };
    calibrations.set(b, c);
  }
  return c;
}

export interface Floor {
  /** The kit phases this floor is for. */
  phases: string[];
  bytes: number;
  frMuls: number;
  memoryMs: number;
  computeMs: number;
  floorMs: number;
  boundBy: 'memory' | 'compute';
  /** The measured time of those phases (median), or null when unknown. */
  measuredMs: number | null;
  /** floor / measured: the fraction of the machine's limit reached (null without a measurement). */
  achieved: number | null;
}

export function floorOf(terms: WorkTerm[], phases: readonly string[], c: Ceilings, measuredMs: number | null): Floor {
  const mine = terms.filter((t) => phases.includes(t.phase));
  const bytes = mine.reduce((s, t) => s + t.bytes, 0);
  const frMuls = mine.reduce((s, t) => s + t.frMuls, 0);
  const memoryMs = (1e3 * bytes) / c.copyBytesPerSecond;
  const computeMs = (1e3 * frMuls) / c.frMulPerSecond;
  const floorMs = Math.max(memoryMs, computeMs);
  return {
    phases: [...phases],
    bytes,
    frMuls,
    memoryMs,
    computeMs,
    floorMs,
    boundBy: memoryMs >= computeMs ? 'memory' : 'compute',
    measuredMs,
    achieved: measuredMs && measuredMs > 0 ? floorMs / measuredMs : null,
  };
}
