// Multilinear helpers in the kit's LSB-first order (native/mle/mle.h), bigint arithmetic.
import { P, mod } from '../helpers/field';
import { inv, log2, mleEval, nextPow2 } from '../helpers/proof-ref';

export { inv, log2, mleEval, mod, nextPow2, P };

/** eq(r, x) for every x in {0,1}^k, in index order (bit j of x goes with r_j). */
export function eqTable(r: readonly bigint[]): bigint[] {
  let t = [1n];
  for (const rj of r) {
    const next: bigint[] = new Array(t.length * 2);
    for (let x = 0; x < t.length; x++) {
      next[x] = mod(t[x] * (1n - rj));
      next[x + t.length] = mod(t[x] * rj);
    }
    t = next;
  }
  return t;
}

export function eqEval(a: readonly bigint[], b: readonly bigint[]): bigint {
  let acc = 1n;
  for (let j = 0; j < a.length; j++) acc = mod(acc * (a[j] * b[j] + (1n - a[j]) * (1n - b[j])));
  return acc;
}

export function inner(a: readonly bigint[], b: readonly bigint[]): bigint {
  let s = 0n;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return mod(s);
}

/** Number of MLE variables of a tensor of n entries. */
export const vars = (n: number): number => log2(n);

export const sum = (xs: readonly bigint[]): bigint => mod(xs.reduce((a, b) => a + b, 0n));
