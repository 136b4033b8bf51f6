// v2 commit-mode openings: the MLE of the ZERO-PADDED logical tensor, whatever the committed
// padding holds. For logical dims D (outermost first, axis a padded to P_a = 2^p_a, bits
// [s_a, s_a + p_a), innermost at 0) and rows of w = 2^m:
//   column weights b(c) = eq(z_col, c)·Π_{axes inside the column bits} [coord_a(c) < D_a]
//   row weights    e(r) = eq(z_row, r)·Π_{axes inside the row bits}    [coord_a(r) < D_a]
// An axis straddling bit m with D_a not a multiple of 2^k (k = m − s_a) splits the opening in two
// terms: rows with hi(r) < q = D_a >> k against b, and rows with hi(r) = q against
// b ⊙ [lo(c) < D_a mod 2^k]. Two-term proof: scalar v0, IPA "<label>/0" (v0), IPA "<label>/1" (v − v0).
import { foldRows, ipaProve, splitPoint } from './hyrax-prover';
import { eqTable, inner, log2, mod, nextPow2 } from './mle';
import type { ProverRun } from './prover-run';

export interface MaskedPart {
  t: readonly bigint[];
  dims: readonly number[];
  coeff: bigint;
}

interface Term {
  rowW: bigint[];
  colW: bigint[];
}

export function maskedTerms(dims: readonly number[], w: number, z: readonly bigint[]): Term[] {
  const m = log2(w);
  const p = dims.map((d) => log2(nextPow2(d)));
  const s = p.map((_, a) => p.slice(a + 1).reduce((x, y) => x + y, 0));
  const { zCol, zRow } = splitPoint(w, z);
  const b = eqTable(zCol);
  const e = eqTable(zRow);
  const coord = (idx: number, a: number) => Math.floor(idx / 2 ** s[a]) % 2 ** p[a];
  let colW = b.map((x, c) => (dims.every((D, a) => s[a] + p[a] > m || coord(c, a) < D) ? x : 0n));
  let rowW = e.map((x, r) => (dims.every((D, a) => s[a] < m || coord(r * w, a) < D) ? x : 0n));
  const st = dims.findIndex((_, a) => s[a] < m && m < s[a] + p[a]);
  if (st < 0) return [{ rowW, colW }];
  const k = m - s[st];
  const hi = (r: number) => r % 2 ** (p[st] - k);
  const lo = (c: number) => Math.floor(c / 2 ** s[st]) % 2 ** k;
  const [q, rem] = [Math.floor(dims[st] / 2 ** k), dims[st] % 2 ** k];
  if (rem === 0) return [{ rowW: rowW.map((x, r) => (hi(r) < q ? x : 0n)), colW }];
  return [
    { rowW: rowW.map((x, r) => (hi(r) < q ? x : 0n)), colW },
    { rowW: (rowW = rowW.map((x, r) => (hi(r) === q ? x : 0n))), colW: (colW = colW.map((x, c) => (lo(c) < rem ? x : 0n))) },
  ];
}

/** Proves Σ coeff_i·(zero-padded t_i)~(z) = value on the committed rows. */
export function maskedOpen(run: ProverRun, label: string, value: bigint, parts: readonly MaskedPart[], z: readonly bigint[]): void {
  const gens = run.gens!;
  const terms = maskedTerms(parts[0].dims, gens.w, z);
  const folds = terms.map((T) => {
    const a: bigint[] = new Array(gens.w).fill(0n);
    for (const part of parts) foldRows(part.t, gens.w, T.rowW).forEach((x, c) => (a[c] = mod(a[c] + part.coeff * x)));
    return a;
  });
  if (terms.length === 1) {
    run.proof.opening(ipaProve(run.tr, label, value, folds[0], terms[0].colW, gens));
    return;
  }
  const v0 = inner(folds[0], terms[0].colW);
  run.proof.fr(v0);
  run.proof.opening(ipaProve(run.tr, `${label}/0`, v0, folds[0], terms[0].colW, gens));
  run.proof.opening(ipaProve(run.tr, `${label}/1`, mod(value - v0), folds[1], terms[1].colW, gens));
}
