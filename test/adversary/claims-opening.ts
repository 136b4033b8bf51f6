// v3 commit-mode openings (native/proto/claims_opening.h): every final evaluation of a proof in one
// inner-product argument. Values absorbed ("open/claims/value"), ρ; each claim j's masked terms give
// row folds f_p with cols_p; a degree-2 sumcheck "open/claims/reduce" of Σ_g <a_g, c_g> (a_g the
// ρ^j-weighted folds of the pairs whose column weights are c_g, groups in order of first use) down
// to s; every f_p(s) sent and absorbed ("open/claims/at"), σ; one argument "open/claims" for
// <Σ σ^p f_p, eq(s)> = Σ σ^p f_p(s).
import { foldRows, ipaProve } from './hyrax-prover';
import { maskedTerms } from './masked-opening';
import { eqTable, inner, mod } from './mle';
import type { Eval, ProverRun } from './prover-run';
import { proveSumcheck } from './sumcheck-prover';

export interface OpenedClaim {
  e: Eval;
  t: readonly bigint[];
  dims: readonly number[];
}

const LABEL = 'open/claims';

export function openClaims(run: ProverRun, claims: readonly OpenedClaim[]): void {
  if (claims.length === 0) return;
  const gens = run.gens!;
  for (const c of claims) run.tr.absorbScalar(`${LABEL}/value`, c.e.value);
  const rho = run.tr.challenge(`${LABEL}/rho`);
  const pairs: { fold: bigint[]; cols: bigint[]; coeff: bigint }[] = [];
  let pw = 1n;
  for (const c of claims) {
    for (const T of maskedTerms(c.dims, gens.w, c.e.point)) pairs.push({ fold: foldRows(c.t, gens.w, T.rowW), cols: T.colW, coeff: pw });
    pw = mod(pw * rho);
  }
  const ga: bigint[][] = [];
  const gc: bigint[][] = [];
  for (const p of pairs) {
    let g = gc.findIndex((c) => c.every((x, i) => x === p.cols[i]));
    if (g < 0) {
      g = gc.length;
      gc.push(p.cols);
      ga.push(new Array(gens.w).fill(0n));
    }
    ga[g] = ga[g].map((x, i) => mod(x + p.coeff * p.fold[i]));
  }
  const reduction = proveSumcheck(
    run.tr,
    `${LABEL}/reduce`,
    ga.flatMap((a, g) => [a, gc[g]]),
    ga.map((_, g) => ({ coeff: 1n, factors: [2 * g, 2 * g + 1] })),
  );
  run.proof.sumcheck(reduction.rounds);
  const eqS = eqTable(reduction.point);
  const honest = pairs.map((p) => inner(p.fold, eqS));
  const at = run.hooks.claimsAt?.(honest.slice(), pairs.map((p) => mod(p.coeff * inner(p.cols, eqS)))) ?? honest;
  for (const x of at) {
    run.proof.fr(x);
    run.tr.absorbScalar(`${LABEL}/at`, x);
  }
  const sigma = run.tr.challenge(`${LABEL}/sigma`);
  const a: bigint[] = new Array(gens.w).fill(0n);
  let value = 0n;
  let sp = 1n;
  pairs.forEach((p, i) => {
    p.fold.forEach((x, k) => (a[k] = mod(a[k] + sp * x)));
    value = mod(value + sp * at[i]);
    sp = mod(sp * sigma);
  });
  run.proof.opening(ipaProve(run.tr, LABEL, value, a, eqS, gens));
}
