// 'matmul' (native/proto/matmul.cpp): C~(u_k, u_i, u_n) reduced to one inner-product sumcheck over
// (j, n) of eq(u_n, n)·A'(n, j)·B'(n, j), A' folded over rows at u_i, B' over columns at u_k.
import { eqTable, mleEval, mod, nextPow2, vars } from './mle';
import { openFinalEvals } from './openings';
import type { AdvResult, AdvSpec, Hooks } from './prover-run';
import { ProverRun } from './prover-run';
import { proveSumcheck } from './sumcheck-prover';
import { drawWitness, padded } from './witness';

export function proveMatmul(spec: AdvSpec, hooks: Hooks = {}): AdvResult {
  const W = drawWitness(spec);
  const [nP, iP, jP, kP] = [spec.num, spec.dim0!, spec.dim1!, spec.dim2!].map(nextPow2);
  const run = new ProverRun(spec, hooks, { A: padded(W, 'A'), B: padded(W, 'B'), C: padded(W, 'C') });
  for (const name of ['A', 'B', 'C']) run.commit(name);
  run.step('committed');
  const uK = run.challenges('u_cols', vars(kP));
  const uI = run.challenges('u_rows', vars(iP));
  const uN = run.challenges('u_num', vars(nP));
  const [A, B] = [run.t('A'), run.t('B')];
  const [eI, eK, eN] = [eqTable(uI), eqTable(uK), eqTable(uN)];
  const Ar: bigint[] = [];
  const Br: bigint[] = [];
  for (let x = 0; x < nP * jP; x++) {
    const [n, j] = [Math.floor(x / jP), x % jP];
    let [sa, sb] = [0n, 0n];
    for (let i = 0; i < iP; i++) sa += eI[i] * A[(n * iP + i) * jP + j];
    for (let k = 0; k < kP; k++) sb += eK[k] * B[(n * jP + j) * kP + k];
    Ar.push(mod(sa));
    Br.push(mod(sb));
  }
  const E = Ar.map((_, x) => eN[Math.floor(x / jP)]);
  const cPoint = [...uK, ...uI, ...uN];
  const claim = run.seeded ? mod(Ar.reduce((s, a, x) => s + E[x] * a * Br[x], 0n)) : mleEval(run.t('C'), cPoint);
  const [c] = run.absorbClaims('claim', [claim]);
  const sc = proveSumcheck(run.tr, 'matmul', [E, Ar, Br], [{ coeff: 1n, factors: [0, 1, 2] }], (j, g) => hooks.round?.('matmul', j, g));
  run.step('sumcheck');
  run.proof.sumcheck(sc.rounds);
  const [rJ, rN] = [sc.point.slice(0, vars(jP)), sc.point.slice(vars(jP))];
  run.evals.push({ tensor: 'C', point: cPoint, value: c });
  run.evals.push({ tensor: 'A', point: [...rJ, ...uI, ...rN], value: sc.finals[1] });
  run.evals.push({ tensor: 'B', point: [...uK, ...rJ, ...rN], value: sc.finals[2] });
  openFinalEvals(run, W, (name) => run.t(name));
  return run.finish();
}
