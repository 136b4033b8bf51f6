// The BLS12-381 scalar field Fr, computed by the native code. Values are bigints in [0, p).
import { native } from './bindings/native';
import { BackendOption, pickBackend } from './backend';
import { assertBigint, bytesToScalars, scalarsToBytes } from './scalar-bytes';

/** p, the order of G1 and the modulus of Fr. */
export const FR_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

function binary(name: 'frAdd' | 'frSub' | 'frMul', a: bigint, b: bigint): bigint {
  assertBigint(a, 'a');
  assertBigint(b, 'b');
  return native()[name](a, b);
}

export type FrElementwiseOp = 'add' | 'sub' | 'mul' | 'inv';

export const fr = {
  modulus: FR_MODULUS,
  add: (a: bigint, b: bigint): bigint => binary('frAdd', a, b),
  sub: (a: bigint, b: bigint): bigint => binary('frSub', a, b),
  mul: (a: bigint, b: bigint): bigint => binary('frMul', a, b),
  /** Throws for zero. */
  inv: (a: bigint): bigint => {
    assertBigint(a, 'a');
    return native().frInv(a);
  },
  /** Inverts every element with one field inversion per thread (Montgomery's trick); throws on a zero. */
  batchInverse: (xs: readonly bigint[], opts?: BackendOption): bigint[] =>
    bytesToScalars(native().frBatchInverse(scalarsToBytes(xs, 'xs'), pickBackend(opts))),
  /** Elementwise op over equal-length arrays on the chosen backend ('inv' maps 0 to 0). */
  elementwise: (op: FrElementwiseOp, xs: readonly bigint[], ys: readonly bigint[] | null, opts?: BackendOption): bigint[] =>
    bytesToScalars(
      native().frElementwise(op, scalarsToBytes(xs, 'xs'), op === 'inv' ? null : scalarsToBytes(ys ?? [], 'ys'), pickBackend(opts)),
    ),
};
