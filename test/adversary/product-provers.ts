// 'inner-product' and 'hadamard' (native/proto/product_sumchecks.cpp), step by step.
import { eqTable, mleEval, mod, nextPow2, vars } from './mle';
import type { AdvResult, AdvSpec, Hooks } from './prover-run';
import { ProverRun } from './prover-run';
import { proveSumcheck, Term } from './sumcheck-prover';
import { drawWitness, padded } from './witness';
import { openFinalEvals } from './openings';

const TRIPLE: Term[] = [{ coeff: 1n, factors: [0, 1, 2] }];

export function proveInnerProduct(spec: AdvSpec, hooks: Hooks = {}): AdvResult {
  const W = drawWitness(spec);
  const run = new ProverRun(spec, hooks, { a: padded(W, 'a'), b: padded(W, 'b') });
  const [numP, dimP] = [nextPow2(spec.num), nextPow2(spec.dim!)];
  run.commit('a');
  run.commit('b');
  run.step('committed');
  const [a, b] = [run.t('a'), run.t('b')];
  const claims = Array.from({ length: spec.num }, (_, n) => {
    let s = 0n;
    for (let d = 0; d < dimP; d++) s += a[n * dimP + d] * b[n * dimP + d];
    return mod(s);
  });
  run.claims = run.absorbClaims('claim', claims);
  const uN = run.challenges('u_num', vars(numP));
  const e = eqTable(uN);
  const E = Array.from({ length: numP * dimP }, (_, i) => e[Math.floor(i / dimP)]);
  const sc = proveSumcheck(run.tr, 'ip', [E, run.t('a'), run.t('b')], TRIPLE, (j, g) => hooks.round?.('ip', j, g));
  run.step('sumcheck');
  run.proof.sumcheck(sc.rounds);
  run.evals.push({ tensor: 'a', point: sc.point, value: sc.finals[1] });
  run.evals.push({ tensor: 'b', point: sc.point, value: sc.finals[2] });
  openFinalEvals(run, W, (name) => run.t(name));
  return run.finish();
}

export function proveHadamard(spec: AdvSpec, hooks: Hooks = {}): AdvResult {
  const W = drawWitness(spec);
  const run = new ProverRun(spec, hooks, { a: padded(W, 'a'), b: padded(W, 'b'), c: padded(W, 'c') });
  run.commit('a');
  run.commit('b');
  run.commit('c');
  run.step('committed');
  const size = nextPow2(spec.num) * nextPow2(spec.dim!);
  const u = run.challenges('u', vars(size));
  // seeded: c = a∘b by definition, the claim is the sumcheck's own total; explicit: c~(u)
  const eq = eqTable(u);
  const [a, b] = [run.t('a'), run.t('b')];
  const claim = run.seeded ? mod(eq.reduce((s, x, i) => s + x * a[i] * b[i], 0n)) : mleEval(run.t('c'), u);
  const [c] = run.absorbClaims('claim', [claim]);
  const sc = proveSumcheck(run.tr, 'hadamard', [eq, a, b], TRIPLE, (j, g) => hooks.round?.('hadamard', j, g));
  run.step('sumcheck');
  run.proof.sumcheck(sc.rounds);
  run.evals.push({ tensor: 'c', point: u, value: c });
  run.evals.push({ tensor: 'a', point: sc.point, value: sc.finals[1] });
  run.evals.push({ tensor: 'b', point: sc.point, value: sc.finals[2] });
  openFinalEvals(run, W, (name) => run.t(name));
  return run.finish();
}
