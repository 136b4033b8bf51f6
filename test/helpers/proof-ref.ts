// Independent bigint reference for the sumcheck protocol statements (src/proof.ts), written from
// the documented conventions only (native/mle/mle.h, native/proto/*.h and the ops' header
// comments), never from the kit's own arithmetic:
//   - an MLE point is LSB-first: coordinate j belongs to bit j of the flat index; entries past the
//     end of a tensor count as zero;
//   - a stacked tensor of `num` instances is instance-major, and every axis (the instance axis
//     included) is padded on its own to a power of two, with zeros; a final evaluation claim is
//     the MLE of that zero-padded tensor (lookups too: their sumcheck runs over 'values' padded
//     with the table's first input (low) and 'outputs' padded with table[0], and the verifier adds
//     that padding back through the padding mask's MLE);
//   - lookup multiplicities count the padding entries on table row 0; the table is padded to a
//     power of two (those rows have multiplicity 0);
//   - a seeded witness is drawn by witness_int (native/proto/witness.h), re-implemented here; the
//     mapping table, unless given, is drawn from a seed of (low, len) alone (logup.cpp).
import assert from 'node:assert/strict';
import type { ProofOp, ProofSizes, Statement, WitnessTensors } from '../../src/proof';
import { P, frCase, mod } from './field';
import type { Rng } from './rng';

/** The five sumcheck protocol ops this suite covers (ProofOp also has commitment ops). */
export type SumcheckOp = 'inner-product' | 'matmul' | 'hadamard' | 'tlookup-range' | 'tlookup-map';
export const OPS: readonly SumcheckOp[] = ['inner-product', 'matmul', 'hadamard', 'tlookup-range', 'tlookup-map'];

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
export function log2(n: number): number {
  let k = 0;
  while (2 ** k < n) k++;
  return k;
}

// ---- field -----------------------------------------------------------------------------------

export function inv(a: bigint): bigint {
  // extended Euclid, independent of the kit
  let [r0, r1] = [mod(a), P];
  let [s0, s1] = [1n, 0n];
  if (r0 === 0n) throw new Error('inverse of zero');
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0);
}

// ---- multilinear extensions ------------------------------------------------------------------

/** t~(r) with t zero-padded; folds pairs (2i, 2i+1) with r_0 first. */
export function mleEval(t: readonly bigint[], point: readonly bigint[]): bigint {
  if (point.length < 64) assert.ok(2 ** point.length >= t.length, `mleEval: ${point.length} coordinates for ${t.length} entries`);
  let cur = t.map((x) => mod(x));
  for (const r of point) {
    if (cur.length % 2) cur.push(0n);
    const next: bigint[] = new Array(cur.length / 2);
    for (let i = 0; i < next.length; i++) next[i] = mod(cur[2 * i] + r * (cur[2 * i + 1] - cur[2 * i]));
    cur = next;
  }
  return cur.length ? cur[0] : 0n;
}

/** Direct definition, Σ_i t_i Π_j (bit_j(i) ? r_j : 1 − r_j): a second evaluator to cross-check mleEval. */
export function mleEvalDirect(t: readonly bigint[], point: readonly bigint[]): bigint {
  let acc = 0n;
  for (let i = 0; i < t.length; i++) {
    let w = 1n;
    for (let j = 0; j < point.length; j++) w = (w * (Math.floor(i / 2 ** j) % 2 ? point[j] : 1n - point[j])) % P;
    acc = mod(acc + t[i] * w);
  }
  return acc;
}

/** Logical row-major tensor of shape `dims` (outermost first) laid out with every axis padded. */
export function padAxes(flat: readonly bigint[], dims: readonly number[], pad = 0n): bigint[] {
  const padded = dims.map(nextPow2);
  const total = padded.reduce((a, b) => a * b, 1);
  const logical = dims.reduce((a, b) => a * b, 1);
  assert.equal(flat.length, logical, 'padAxes: element count');
  const out: bigint[] = new Array(total).fill(mod(pad));
  for (let li = 0; li < logical; li++) {
    let rest = li;
    let idx = 0;
    let stride = 1;
    for (let a = dims.length - 1; a >= 0; a--) {
      idx += (rest % dims[a]) * stride;
      rest = Math.floor(rest / dims[a]);
      stride *= padded[a];
    }
    out[idx] = mod(flat[li]);
  }
  return out;
}

// ---- seeded witnesses (witness.h) ------------------------------------------------------------

const M64 = (1n << 64n) - 1n;
export function witnessMix(seed: bigint, tensor: bigint, index: bigint): bigint {
  let z = (seed * 0x9e3779b97f4a7c15n + tensor * 0xd1b54a32d192ed03n + index * 0x94d049bb133111ebn) & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}
/** Uniform integer in [lo, lo + span): lo + floor(mix·span / 2^64). */
export function witnessInt(seed: number | bigint, tensor: number, index: number, lo: number, span: number): bigint {
  return BigInt(lo) + ((witnessMix(BigInt(seed), BigInt(tensor), BigInt(index)) * BigInt(span)) >> 64n);
}
/** The public mapping table of 'tlookup-map' when none is given: drawn from a seed of its range alone,
 *  (low·0x9e3779b97f4a7c15 mod 2^64) xor len (logup.cpp). */
export function defaultMapTable(low: number, len: number): bigint[] {
  const tableSeed = BigInt.asUintN(64, BigInt.asUintN(64, BigInt(low)) * 0x9e3779b97f4a7c15n) ^ BigInt(len);
  return seededTensor(tableSeed, IDS.lookupF, len).map((x) => mod(x));
}
const VALUE_LO = -(2 ** 15);
const VALUE_SPAN = 2 ** 16;
/** Tensor ids of the seeded witnesses, per op. */
const IDS = { ipA: 1, ipB: 2, mmA: 11, mmB: 12, lookupS: 21, lookupF: 22 } as const;

function seededTensor(seed: number | bigint, id: number, n: number, lo = VALUE_LO, span = VALUE_SPAN): bigint[] {
  const out: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = witnessInt(seed, id, i, lo, span);
  return out;
}

// ---- the logical witness of a statement ------------------------------------------------------

export interface RefWitness {
  /** Logical tensors (row-major, instance-major), reduced mod p. */
  logical: Record<string, bigint[]>;
  /** Padded tensors whose MLEs the finalEvals claim (all but 'inverses'). */
  padded: Record<string, bigint[]>;
  /** Expected public claims. */
  claims: bigint[];
  /** The finalEvals tensor names the op must list. */
  names: string[];
}

const need = (s: ProofSizes, k: keyof ProofSizes): number => {
  const v = s[k];
  assert.ok(typeof v === 'number', `size ${k} missing`);
  return v;
};

export function matmulRef(A: readonly bigint[], B: readonly bigint[], num: number, d0: number, d1: number, d2: number): bigint[] {
  const C: bigint[] = new Array(num * d0 * d2);
  for (let n = 0; n < num; n++)
    for (let i = 0; i < d0; i++)
      for (let k = 0; k < d2; k++) {
        let s = 0n;
        for (let j = 0; j < d1; j++) s += A[(n * d0 + i) * d1 + j] * B[(n * d1 + j) * d2 + k];
        C[(n * d0 + i) * d2 + k] = mod(s);
      }
  return C;
}

/** Counts of each table row (by value − low), with the padding entries counted on row 0. */
export function lookupCounts(values: readonly bigint[], low: number, len: number, paddedTotal: number): bigint[] {
  const m: bigint[] = new Array(len).fill(0n);
  for (const v of values) {
    const j = Number(mod(v - BigInt(low)));
    assert.ok(j >= 0 && j < len, 'lookupCounts: value outside the table');
    m[j] += 1n;
  }
  m[0] += BigInt(paddedTotal - values.length);
  return m;
}

/** A statement's witness when it is a seed or explicit tensors (not commitments). */
export type PlainWitness = { seed: number } | { tensors: Record<string, string[]> };
export function plainWitness(w: Statement['witness']): PlainWitness {
  if ('commitments' in w) throw new Error('this reference handles seeded and explicit witnesses, not commitments');
  return w;
}

/** Re-derives the witness of a statement (seeded or explicit) and what its statement must claim. */
export function refWitness(op: ProofOp, sizes: ProofSizes, w: Statement['witness'] | { tensors: WitnessTensors }): RefWitness {
  const witness: { seed: number } | { tensors: WitnessTensors | Record<string, string[]> } = 'commitments' in w ? plainWitness(w) : w;
  const seeded = 'seed' in witness;
  const seed = seeded ? witness.seed : 0;
  const tensor = (name: string, n: number, make: () => bigint[]): bigint[] => {
    if (seeded) return make();
    const t = (witness as { tensors: Record<string, readonly (bigint | number | string)[]> }).tensors[name];
    assert.ok(t, `refWitness: tensor ${name} missing`);
    assert.equal(t.length, n, `refWitness: tensor ${name} length`);
    return t.map((x) => mod(BigInt(x)));
  };
  const num = sizes.num;
  if (op === 'inner-product' || op === 'hadamard') {
    const dim = need(sizes, 'dim');
    const a = tensor('a', num * dim, () => seededTensor(seed, IDS.ipA, num * dim).map((x) => mod(x)));
    const b = tensor('b', num * dim, () => seededTensor(seed, IDS.ipB, num * dim).map((x) => mod(x)));
    const dims = [num, dim];
    const padded: Record<string, bigint[]> = { a: padAxes(a, dims), b: padAxes(b, dims) };
    const logical: Record<string, bigint[]> = { a, b };
    if (op === 'inner-product') {
      const claims: bigint[] = [];
      for (let n = 0; n < num; n++) {
        let s = 0n;
        for (let d = 0; d < dim; d++) s += a[n * dim + d] * b[n * dim + d];
        claims.push(mod(s));
      }
      return { logical, padded, claims, names: ['a', 'b'] };
    }
    const c = tensor('c', num * dim, () => a.map((x, i) => mod(x * b[i])));
    logical.c = c;
    padded.c = padAxes(c, dims);
    return { logical, padded, claims: [], names: ['c', 'a', 'b'] };
  }
  if (op === 'matmul') {
    const [d0, d1, d2] = [need(sizes, 'dim0'), need(sizes, 'dim1'), need(sizes, 'dim2')];
    const A = tensor('A', num * d0 * d1, () => seededTensor(seed, IDS.mmA, num * d0 * d1).map((x) => mod(x)));
    const B = tensor('B', num * d1 * d2, () => seededTensor(seed, IDS.mmB, num * d1 * d2).map((x) => mod(x)));
    const C = tensor('C', num * d0 * d2, () => matmulRef(A, B, num, d0, d1, d2));
    return {
      logical: { A, B, C },
      padded: { A: padAxes(A, [num, d0, d1]), B: padAxes(B, [num, d1, d2]), C: padAxes(C, [num, d0, d2]) },
      claims: [],
      names: ['C', 'A', 'B'],
    };
  }
  // lookups
  const dim = need(sizes, 'dim');
  const low = need(sizes, 'low');
  const len = need(sizes, 'len');
  const n = num * dim;
  const paddedTotal = nextPow2(num) * nextPow2(dim);
  const values = tensor('values', n, () => seededTensor(seed, IDS.lookupS, n, low, len).map((x) => mod(x)));
  const logical: Record<string, bigint[]> = { values };
  const padded: Record<string, bigint[]> = { values: padAxes(values, [num, dim]) };
  const names = ['values'];
  if (op === 'tlookup-map') {
    const given = !seeded && (witness as { tensors: Record<string, unknown> }).tensors.table !== undefined;
    const table = given ? tensor('table', len, () => []) : defaultMapTable(low, len);
    const outputs = tensor('outputs', n, () => values.map((v) => table[Number(mod(v - BigInt(low)))]));
    logical.table = table;
    logical.outputs = outputs;
    padded.outputs = padAxes(outputs, [num, dim]);
    names.push('outputs');
  }
  const explicitM = !seeded && (witness as { tensors: Record<string, unknown> }).tensors.multiplicities !== undefined;
  const m = explicitM ? tensor('multiplicities', len, () => []) : lookupCounts(values, low, len, paddedTotal);
  logical.multiplicities = m;
  padded.multiplicities = [...m, ...new Array(nextPow2(len) - len).fill(0n)];
  names.push('inverses', 'multiplicities');
  return { logical, padded, claims: [], names };
}

/**
 * Checks a statement against the re-derived witness: claims, the set of finalEvals names, every
 * point's length, the points' shared coordinates, and every value but 'inverses'.
 */
export function checkStatementAgainstWitness(st: Statement, ref: RefWitness, tag: string): void {
  assert.deepEqual(st.claims, ref.claims.map(String), `claims ${tag}`);
  assert.deepEqual(st.finalEvals.map((e) => e.tensor).sort(), [...ref.names].sort(), `finalEvals names ${tag}`);
  const pt = (name: string) => st.finalEvals.find((e) => e.tensor === name)!.point.map(BigInt);
  for (const e of st.finalEvals) {
    for (const x of [...e.point, e.value]) assert.ok(BigInt(x) < P, `finalEvals ${e.tensor}: element ≥ p ${tag}`);
    if (e.tensor === 'inverses') continue;
    const t = ref.padded[e.tensor];
    assert.equal(2 ** e.point.length, t.length, `finalEvals ${e.tensor}: point length ${e.point.length} for ${t.length} padded entries ${tag}`);
    assert.equal(e.value, mleEval(t, e.point.map(BigInt)).toString(), `finalEvals ${e.tensor}: value ${tag}`);
  }
  // shared coordinates, from the protocols' descriptions
  const op = st.op;
  if (op === 'inner-product' || op === 'hadamard') assert.deepEqual(pt('a'), pt('b'), `a and b at one point ${tag}`);
  if (op === 'hadamard') assert.equal(pt('c').length, pt('a').length, tag);
  if (op === 'matmul') {
    const s = st.sizes;
    const [vn, vi, vj, vk] = [log2(s.num), log2(s.dim0!), log2(s.dim1!), log2(s.dim2!)];
    const [A, B, C] = [pt('A'), pt('B'), pt('C')];
    assert.deepEqual(C.slice(0, vk), B.slice(0, vk), `u_k shared by C and B ${tag}`);
    assert.deepEqual(C.slice(vk, vk + vi), A.slice(vj, vj + vi), `u_i shared by C and A ${tag}`);
    assert.deepEqual(A.slice(0, vj), B.slice(vk, vk + vj), `r_j shared by A and B ${tag}`);
    assert.deepEqual(A.slice(vj + vi), B.slice(vk + vj), `r_n shared by A and B ${tag}`);
    assert.equal(A.slice(vj + vi).length, vn, tag);
  }
  if (op === 'tlookup-range' || op === 'tlookup-map') {
    const v = pt('values');
    assert.deepEqual(pt('inverses'), v, `inverses at the values' point ${tag}`);
    if (op === 'tlookup-map') assert.deepEqual(pt('outputs'), v, `outputs at the values' point ${tag}`);
  }
}

// ---- random explicit witnesses ---------------------------------------------------------------

/** A field element: small signed integers (as numbers or bigints) or edge-heavy full-range values. */
export function randomElement(rng: Rng): bigint | number {
  switch (rng.int(4)) {
    case 0:
      return rng.int(2 ** 16) - 2 ** 15;
    case 1:
      return BigInt(rng.int(2 ** 20)) - (1n << 19n);
    default:
      return frCase(rng);
  }
}

export function randomTensor(rng: Rng, n: number): (bigint | number)[] {
  return Array.from({ length: n }, () => randomElement(rng));
}

const big = (x: bigint | number): bigint => mod(BigInt(x));

/** Explicit witness tensors (including outputs) for an op at these sizes. */
export function randomWitness(rng: Rng, op: ProofOp, s: ProofSizes): WitnessTensors {
  const num = s.num;
  if (op === 'inner-product') return { a: randomTensor(rng, num * s.dim!), b: randomTensor(rng, num * s.dim!) };
  if (op === 'hadamard') {
    const a = randomTensor(rng, num * s.dim!);
    const b = randomTensor(rng, num * s.dim!);
    return { a, b, c: a.map((x, i) => mod(big(x) * big(b[i]))) };
  }
  if (op === 'matmul') {
    const A = randomTensor(rng, num * s.dim0! * s.dim1!);
    const B = randomTensor(rng, num * s.dim1! * s.dim2!);
    return { A, B, C: matmulRef(A.map(big), B.map(big), num, s.dim0!, s.dim1!, s.dim2!) };
  }
  const low = s.low!;
  const len = s.len!;
  const n = num * s.dim!;
  // sometimes concentrate on a few rows, so that some multiplicities are large and many zero
  const few = rng.chance(0.3) ? Array.from({ length: 1 + rng.int(3) }, () => rng.int(len)) : null;
  const idx = Array.from({ length: n }, () => (few ? rng.pick(few) : rng.int(len)));
  if (n > 2) {
    idx[0] = 0;
    idx[n - 1] = len - 1; // both ends of the table
  }
  const values = idx.map((j) => (rng.chance(0.5) ? low + j : BigInt(low) + BigInt(j)));
  if (op === 'tlookup-range') return { values };
  if (rng.chance(0.25)) {
    // no 'table': the prover uses the public default table of (low, len)
    const table = defaultMapTable(low, len);
    return { values, outputs: idx.map((j) => table[j]) };
  }
  const table = Array.from({ length: len }, () => randomElement(rng));
  return { values, table, outputs: idx.map((j) => table[j]) };
}

// ---- statement shape -------------------------------------------------------------------------

/** Fails unless `x` is plain JSON data: no bigint, typed array, undefined, function or class instance. */
export function assertPlainJson(x: unknown, path = 'statement'): void {
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return;
  if (typeof x === 'number') return assert.ok(Number.isFinite(x), `${path} is a non-finite number`);
  assert.ok(typeof x === 'object', `${path} has type ${typeof x}`);
  if (Array.isArray(x)) {
    x.forEach((v, i) => assertPlainJson(v, `${path}[${i}]`));
    return;
  }
  assert.ok(!ArrayBuffer.isView(x), `${path} is a typed array`);
  assert.equal(Object.getPrototypeOf(x), Object.prototype, `${path} is not a plain object`);
  for (const [k, v] of Object.entries(x as object)) assertPlainJson(v, `${path}.${k}`);
}

const CANONICAL = /^(0|[1-9][0-9]*)$/;
/** Every field element of the statement is a canonical decimal string below p. */
export function assertCanonicalScalars(st: Statement): void {
  const check = (s: unknown, where: string) => {
    assert.ok(typeof s === 'string' && CANONICAL.test(s), `${where} is not a canonical decimal string: ${String(s)}`);
    assert.ok(BigInt(s as string) < P, `${where} is not below p`);
  };
  st.claims.forEach((c, i) => check(c, `claims[${i}]`));
  st.finalEvals.forEach((e, i) => {
    e.point.forEach((c, j) => check(c, `finalEvals[${i}].point[${j}]`));
    check(e.value, `finalEvals[${i}].value`);
  });
  if ('tensors' in st.witness)
    for (const [k, v] of Object.entries(st.witness.tensors)) v.forEach((c, j) => check(c, `witness.tensors.${k}[${j}]`));
}

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
