// Commit-mode openings of the final evaluations, in statement order:
//   v1: one Hyrax opening per claim on the padded tensor as committed (padding included);
//   v2: one masked opening per claim of the zero-padded logical tensor (masked-opening.ts);
//   v3: every claim's masked opening in one argument (claims-opening.ts).
import { openClaims } from './claims-opening';
import { hyraxProve } from './hyrax-prover';
import { maskedOpen } from './masked-opening';
import { protocol } from './protocol-version';
import type { Eval, ProverRun } from './prover-run';
import type { OpWitness } from './witness';

export function openOne(run: ProverRun, e: Eval, t: bigint[], dims: readonly number[] | undefined): void {
  if (protocol.maskedOpenings && dims) maskedOpen(run, `open/${e.tensor}`, e.value, [{ t, dims, coeff: 1n }], e.point);
  else run.proof.opening(hyraxProve(run.tr, `open/${e.tensor}`, t, e.point, run.gens!).proof);
}

/** Opens every final evaluation of the run on tensorOf(name), in order (commit mode only). */
export function openFinalEvals(run: ProverRun, W: OpWitness, tensorOf: (name: string) => bigint[]): void {
  if (protocol.claimsInOneOpening) {
    run.openEvalsTogether(tensorOf, (r, opened) => openClaims(r, opened.map(({ e, t }) => ({ e, t, dims: W.dims[e.tensor] }))));
    return;
  }
  run.openEvals(tensorOf, (r, e, t) => openOne(r, e, t, W.dims[e.tensor]));
}
