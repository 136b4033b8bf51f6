// 'tlookup-range' and 'tlookup-map' (native/proto/logup.cpp), the logUp argument
//   Σ_i 1/(β + S_i) = Σ_j m_j/(β + T_j),  S = in + r·out,  T_j = (low + j) + r·f_j,
// run over values padded with `low` (outputs with f_0), the table padded by repeating its last row.
// After r, β (hook step 'tlookup/beta') the prover may still change the table it uses and shows.
import { eqTable, inv, mleEval, mod, nextPow2, sum, vars } from './mle';
import { openFinalEvals } from './openings';
import { protocol } from './protocol-version';
import type { AdvResult, AdvSpec, Hooks } from './prover-run';
import { ProverRun } from './prover-run';
import { proveSumcheck, Term } from './sumcheck-prover';
import { drawWitness, padded } from './witness';

export function proveLookup(spec: AdvSpec, hooks: Hooks = {}): AdvResult {
  const W = drawWitness(spec);
  const mapping = spec.op === 'tlookup-map';
  const [low, len] = [spec.low ?? 0, spec.len!];
  const tableSize = nextPow2(len);
  const tableIn = Array.from({ length: tableSize }, (_, j) => mod(BigInt(low + Math.min(j, len - 1))));
  const f0 = W.table?.[0] ?? 0n;
  const m = [...W.logical.multiplicities, ...new Array(tableSize - len).fill(0n)];
  const tensors: Record<string, bigint[]> = { values: padded(W, 'values', BigInt(low)), multiplicities: m };
  if (mapping) tensors.outputs = padded(W, 'outputs', f0);
  const run = new ProverRun(spec, hooks, tensors, W.table?.slice());
  if (spec.tensors?.table) run.statementTable = W.table;
  // v2 commits (and claims) the zero-padded logical columns; the sumcheck runs on the padded ones
  const zp = (name: string, t: bigint[]) => (protocol.zeroPaddedEvals ? zeroPad(t, spec) : t);
  run.commit('values', zp('values', run.t('values')));
  if (mapping) run.commit('outputs', zp('outputs', run.t('outputs')));
  run.commit('multiplicities');
  run.step('committed');
  const r = mapping ? run.challenge('tlookup/r') : 0n;
  const beta = run.challenge('tlookup/beta');
  const tbl = run.ctx.table;
  if (mapping && tbl && W.table && tbl.some((x, j) => x !== W.table![j])) run.statementTable = tbl;
  const S = run.t('values').map((x, i) => mod(x + (mapping ? r * run.t('outputs')[i] : 0n)));
  run.ctx.tensors.inverses = S.map((x) => inv(x + beta));
  run.commit('inverses', zp('inverses', run.t('inverses')));
  const sigma = sum(run.t('inverses'));
  run.tr.absorbScalar('tlookup/sigma', sigma);
  const u = run.challenges('tlookup/u', vars(S.length));
  const alpha = run.challenge('tlookup/alpha');
  run.proof.fr(sigma);
  const sc1Terms: Term[] = [
    { coeff: alpha, factors: [0, 1, 2] },
    { coeff: mod(alpha * beta), factors: [0, 1] },
    { coeff: 1n, factors: [1] },
  ];
  const s1 = proveSumcheck(run.tr, 'tlookup/values', [eqTable(u), run.t('inverses'), S], sc1Terms, (j, g) => hooks.round?.('tlookup/values', j, g));
  run.proof.sumcheck(s1.rounds);
  const table = run.ctx.table ?? [];
  const B = tableIn.map((t, j) => inv(t + (mapping ? r * table[Math.min(j, len - 1)] : 0n) + beta));
  const s2 = proveSumcheck(run.tr, 'tlookup/table', [run.t('multiplicities'), B], [{ coeff: 1n, factors: [0, 1] }], (j, g) => hooks.round?.('tlookup/table', j, g));
  run.proof.sumcheck(s2.rounds);
  run.step('sumcheck');
  const at = (name: string, fallback: bigint) => (protocol.zeroPaddedEvals ? mleEval(zeroPad(run.t(name), spec), s1.point) : fallback);
  if (mapping) {
    run.evals.push({ tensor: 'values', point: s1.point, value: at('values', mleEval(run.t('values'), s1.point)) });
    run.evals.push({ tensor: 'outputs', point: s1.point, value: at('outputs', mleEval(run.t('outputs'), s1.point)) });
  } else {
    run.evals.push({ tensor: 'values', point: s1.point, value: at('values', s1.finals[2]) });
  }
  run.evals.push({ tensor: 'inverses', point: s1.point, value: at('inverses', s1.finals[1]) });
  run.evals.push({ tensor: 'multiplicities', point: s2.point, value: s2.finals[0] });
  openFinalEvals(run, W, (name) => (name === 'multiplicities' ? run.t(name) : zp(name, run.t(name))));
  return run.finish();
}

/** The logical [num, dim] entries of a padded tensor, padding zeroed. */
function zeroPad(t: readonly bigint[], spec: AdvSpec): bigint[] {
  const [nP, dP] = [nextPow2(spec.num), nextPow2(spec.dim!)];
  return t.map((x, i) => (Math.floor(i / dP) < spec.num && i % dP < spec.dim! ? x : 0n)).slice(0, nP * dP);
}
