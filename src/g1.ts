// BLS12-381 G1. Points are 96-byte uncompressed affine Uint8Arrays in the ZCash encoding
// (what @noble/curves reads and writes), the identity included.
import { native } from './bindings/native';
import { BackendOption, pickBackend } from './backend';
import { assertBigint, scalarsToBytes } from './scalar-bytes';

export const G1_POINT_BYTES = 96;
export type G1Point = Uint8Array;

function packPoints(points: readonly G1Point[], what: string): Uint8Array {
  if (!Array.isArray(points)) throw new TypeError(`${what} must be an array of 96-byte Uint8Arrays`);
  const out = new Uint8Array(G1_POINT_BYTES * points.length);
  points.forEach((p, i) => {
    if (!(p instanceof Uint8Array) || p.length !== G1_POINT_BYTES)
      throw new TypeError(`${what}[${i}] must be a 96-byte Uint8Array (uncompressed G1 point)`);
    out.set(p, i * G1_POINT_BYTES);
  });
  return out;
}

function unpackPoints(b: Uint8Array): G1Point[] {
  const out: G1Point[] = [];
  for (let i = 0; i < b.length; i += G1_POINT_BYTES) out.push(b.slice(i, i + G1_POINT_BYTES));
  return out;
}

export type G1ElementwiseOp = 'add' | 'double' | 'mul';

export const g1 = {
  generator: (): G1Point => native().g1Generator(),
  add: (p: G1Point, q: G1Point): G1Point => native().g1Add(p, q),
  double: (p: G1Point): G1Point => native().g1Double(p),
  /** [k]P for k in [0, p). */
  mul: (p: G1Point, k: bigint): G1Point => {
    assertBigint(k, 'k');
    return native().g1Mul(p, k);
  },
  /** Σ kᵢ·Pᵢ by the bucket method; every point is checked to be on the curve and in G1. */
  msm: (points: readonly G1Point[], scalars: readonly bigint[], opts?: BackendOption): G1Point => {
    if (Array.isArray(points) && Array.isArray(scalars) && points.length !== scalars.length)
      throw new Error(`g1.msm: ${points.length} points but ${scalars.length} scalars`);
    return native().g1Msm(packPoints(points, 'points'), scalarsToBytes(scalars, 'scalars'), pickBackend(opts));
  },
  /** Elementwise add (P+Q), double (2P) or mul ([k]P) on the chosen backend. */
  elementwise: (op: G1ElementwiseOp, ps: readonly G1Point[], second: readonly G1Point[] | readonly bigint[] | null, opts?: BackendOption): G1Point[] => {
    const other =
      op === 'add' ? packPoints(second as G1Point[], 'Q') : op === 'mul' ? scalarsToBytes(second as bigint[], 'k') : null;
    return unpackPoints(native().g1Elementwise(op, packPoints(ps, 'P'), other, pickBackend(opts)));
  },
};
