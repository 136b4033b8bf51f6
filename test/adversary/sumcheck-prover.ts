// The sumcheck prover of native/proto/sumcheck.cpp over bigint tensors: round j sends g_j(0..d)
// (d = the largest number of factors of a term), each absorbed under "<label>/round/<j>", then
// draws "<label>/challenge/<j>" and folds every tensor at it (pairs (2i, 2i+1), LSB first).
import { mod } from './mle';
import type { AdvTranscript } from './transcript-log';

export interface Term {
  coeff: bigint;
  factors: number[];
}

export interface SumcheckRun {
  rounds: bigint[][];
  point: bigint[];
  /** Each tensor's value at the point (its MLE there). */
  finals: bigint[];
}

export function combine(terms: readonly Term[], values: readonly bigint[]): bigint {
  let acc = 0n;
  for (const t of terms) acc += t.factors.reduce((p, f) => mod(p * values[f]), t.coeff);
  return mod(acc);
}

export function proveSumcheck(
  tr: AdvTranscript,
  label: string,
  tensorsIn: readonly (readonly bigint[])[],
  terms: readonly Term[],
  /** Replaces a round message before it is absorbed (a cheating prover). */
  editRound?: (j: number, g: bigint[]) => bigint[] | void,
): SumcheckRun {
  const degree = Math.max(...terms.map((t) => t.factors.length));
  let ts = tensorsIn.map((t) => t.slice());
  const run: SumcheckRun = { rounds: [], point: [], finals: [] };
  for (let j = 0; ts[0].length > 1; j++) {
    let g: bigint[] = new Array(degree + 1).fill(0n);
    const pairs = ts[0].length / 2;
    const vals: bigint[] = new Array(ts.length);
    for (let i = 0; i < pairs; i++)
      for (let t = 0; t <= degree; t++) {
        for (let f = 0; f < ts.length; f++) vals[f] = ts[f][2 * i] + BigInt(t) * (ts[f][2 * i + 1] - ts[f][2 * i]);
        g[t] += combine(terms, vals);
      }
    g = g.map((x) => mod(x));
    g = editRound?.(j, g) ?? g;
    for (const x of g) tr.absorbScalar(`${label}/round/${j}`, x);
    run.rounds.push(g);
    const r = tr.challenge(`${label}/challenge/${j}`);
    run.point.push(r);
    ts = ts.map((t) => Array.from({ length: t.length / 2 }, (_, i) => mod(t[2 * i] + r * (t[2 * i + 1] - t[2 * i]))));
  }
  run.finals = ts.map((t) => t[0]);
  return run;
}
