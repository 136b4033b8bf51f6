// 'commit' and 'opening' (native/proto/opening_ops.cpp): num tensors x0.. of dim entries, row
// committed; 'opening' evaluates them all at one point z, absorbs the values, draws ρ and opens
// Σ ρ^i x_i against Σ ρ^i C_i under "open/combined".
import { hyraxProve } from './hyrax-prover';
import { maskedOpen } from './masked-opening';
import { mleEval, mod, nextPow2, vars } from './mle';
import { protocol } from './protocol-version';
import type { AdvResult, AdvSpec, Hooks } from './prover-run';
import { ProverRun } from './prover-run';
import { drawWitness, padded } from './witness';

function start(spec: AdvSpec, hooks: Hooks): { run: ProverRun; names: string[]; dims: number[] } {
  const W = drawWitness(spec);
  const names = Array.from({ length: spec.num }, (_, i) => `x${i}`);
  const run = new ProverRun(spec, hooks, Object.fromEntries(names.map((n) => [n, padded(W, n)])));
  for (const n of names) run.commit(n);
  run.step('committed');
  return { run, names, dims: [spec.dim!] };
}

export function proveCommit(spec: AdvSpec, hooks: Hooks = {}): AdvResult {
  return start(spec, hooks).run.finish();
}

export function proveOpening(spec: AdvSpec, hooks: Hooks = {}): AdvResult {
  const { run, names, dims } = start(spec, hooks);
  const z = run.challenges('opening/point', vars(nextPow2(spec.dim!)));
  const values = run.absorbClaims('opening/value', names.map((n) => mleEval(run.t(n), z)));
  names.forEach((n, i) => run.evals.push({ tensor: n, point: z, value: values[i] }));
  const rho = run.challenge('opening/rho');
  const powers = names.map((_, i) => mod(rho ** BigInt(i)));
  const opened = names.map((n) => run.hooks.opened?.(n, run.t(n).slice()) ?? run.t(n));
  if (protocol.maskedOpenings) {
    const v = mod(values.reduce((s, x, i) => s + powers[i] * x, 0n));
    maskedOpen(run, 'open/combined', v, opened.map((t, i) => ({ t, dims, coeff: powers[i] })), z);
  } else {
    const combined = opened[0].map((_, k) => mod(opened.reduce((s, t, i) => s + powers[i] * t[k], 0n)));
    run.proof.opening(hyraxProve(run.tr, 'open/combined', combined, z, run.gens!).proof);
  }
  return run.finish();
}
