// The witness an op proves about, as prove() draws it: seeded (native witness_int streams) or
// given logical tensors, laid out with every axis padded to a power of two (stacked_tensor.h).
import { defaultMapTable, matmulRef, nextPow2, padAxes, witnessInt } from '../helpers/proof-ref';
import { mod } from './mle';
import type { AdvSpec } from './prover-run';

const VALUE_LO = -(2 ** 15);
const VALUE_SPAN = 2 ** 16;
const ID = { a: 1, b: 2, A: 11, B: 12, values: 21, x: 31 * 0x10000 } as const;

export interface OpWitness {
  /** Logical tensors, row-major, instance-major, reduced mod p. */
  logical: Record<string, bigint[]>;
  /** Logical shape of each tensor (outermost first). */
  dims: Record<string, number[]>;
  /** 'tlookup-map': the public output column (len entries). */
  table?: bigint[];
}

function drawn(spec: AdvSpec, name: string, n: number, make: () => bigint[]): bigint[] {
  if (!spec.tensors) return make().map((x) => mod(x));
  const t = spec.tensors[name];
  if (!t) throw new Error(`adversary: witness tensor '${name}' is missing`);
  if (t.length !== n) throw new Error(`adversary: witness tensor '${name}' has ${t.length} elements, expected ${n}`);
  return t.map((x) => mod(BigInt(x)));
}
const seeded = (spec: AdvSpec, id: number, n: number, lo = VALUE_LO, span = VALUE_SPAN) =>
  Array.from({ length: n }, (_, i) => witnessInt(spec.seed ?? 0, id, i, lo, span));

export function drawWitness(spec: AdvSpec): OpWitness {
  const num = spec.num;
  const { op } = spec;
  if (op === 'inner-product' || op === 'hadamard') {
    const n = num * spec.dim!;
    const a = drawn(spec, 'a', n, () => seeded(spec, ID.a, n));
    const b = drawn(spec, 'b', n, () => seeded(spec, ID.b, n));
    const dims = { a: [num, spec.dim!], b: [num, spec.dim!], c: [num, spec.dim!] };
    if (op === 'inner-product') return { logical: { a, b }, dims };
    return { logical: { a, b, c: drawn(spec, 'c', n, () => a.map((x, i) => x * b[i])) }, dims };
  }
  if (op === 'matmul') {
    const [d0, d1, d2] = [spec.dim0!, spec.dim1!, spec.dim2!];
    const A = drawn(spec, 'A', num * d0 * d1, () => seeded(spec, ID.A, num * d0 * d1));
    const B = drawn(spec, 'B', num * d1 * d2, () => seeded(spec, ID.B, num * d1 * d2));
    const C = drawn(spec, 'C', num * d0 * d2, () => matmulRef(A, B, num, d0, d1, d2));
    return { logical: { A, B, C }, dims: { A: [num, d0, d1], B: [num, d1, d2], C: [num, d0, d2] } };
  }
  if (op === 'tlookup-range' || op === 'tlookup-map') {
    const [low, len, n] = [spec.low ?? 0, spec.len!, num * spec.dim!];
    const values = drawn(spec, 'values', n, () => seeded(spec, ID.values, n, low, len));
    const logical: Record<string, bigint[]> = { values };
    const dims: Record<string, number[]> = { values: [num, spec.dim!], outputs: [num, spec.dim!], inverses: [num, spec.dim!], multiplicities: [len] };
    let table: bigint[] | undefined;
    if (op === 'tlookup-map') {
      table = spec.tensors?.table ? drawn(spec, 'table', len, () => []) : defaultMapTable(low, len);
      const t = table;
      logical.outputs = drawn(spec, 'outputs', n, () => values.map((v) => t[Number(mod(v - BigInt(low)))]));
    }
    const paddedTotal = nextPow2(num) * nextPow2(spec.dim!);
    logical.multiplicities = spec.tensors?.multiplicities
      ? drawn(spec, 'multiplicities', len, () => [])
      : counts(values, low, len, paddedTotal);
    return { logical, dims, table };
  }
  // 'commit' and 'opening': num tensors x0.. of dim entries
  const logical: Record<string, bigint[]> = {};
  const dims: Record<string, number[]> = {};
  for (let i = 0; i < num; i++) {
    logical[`x${i}`] = drawn(spec, `x${i}`, spec.dim!, () => seeded(spec, ID.x + i, spec.dim!));
    dims[`x${i}`] = [spec.dim!];
  }
  return { logical, dims };
}

/** Every logical tensor in the padded layout (each axis zero-padded, or with `pad`). */
export function padded(w: OpWitness, name: string, pad = 0n): bigint[] {
  return padAxes(w.logical[name], w.dims[name], pad);
}

/** Table-row counts of the values (padding entries on row 0); values outside the table are not
 *  counted (an adversary's witness may hold them; prove() would refuse). */
function counts(values: readonly bigint[], low: number, len: number, paddedTotal: number): bigint[] {
  const m: bigint[] = new Array(len).fill(0n);
  for (const v of values) {
    const j = mod(v - BigInt(low));
    if (j < BigInt(len)) m[Number(j)] += 1n;
  }
  m[0] += BigInt(paddedTotal - values.length);
  return m;
}
