// The foundation's GPU check: CUDA == CPU on fresh random inputs for every operation, then the
// calibration and a 2^20-point MSM timing. Writes one JSON record (card, commit, command, numbers).
//   node dist/bench/gpu-foundation.js --out <file> [--seed N] [--commit <sha>]
import * as fs from 'node:fs';
import { fr, FR_MODULUS } from '../src/fr';
import { g1, G1Point } from '../src/g1';
import { native } from '../src/bindings/native';
import { calibrate, info } from '../src/system';
import { flag, msmTimings } from './gpu-record';
import { SeededRandom } from './seeded-random';

interface Check {
  name: string;
  size: number;
  equal: boolean;
  ms: { cpu: number; cuda: number };
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

function sameBigints(a: bigint[], b: bigint[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
function samePoints(a: G1Point[], b: G1Point[]): boolean {
  return a.length === b.length && a.every((x, i) => Buffer.from(x).equals(Buffer.from(b[i])));
}

function main(): void {
  const seed = Number(flag('seed') ?? Date.now() % 2 ** 31);
  const out = flag('out');
  const rng = new SeededRandom(seed);
  const checks: Check[] = [];
  const compare = <T>(name: string, size: number, run: (b: 'cpu' | 'cuda') => T, eq: (a: T, b: T) => boolean) => {
    const [a, tc] = timed(() => run('cpu'));
    const [b, tg] = timed(() => run('cuda'));
    const c = { name, size, equal: eq(a, b), ms: { cpu: tc, cuda: tg } };
    checks.push(c);
    console.log(`${c.equal ? 'EQUAL   ' : 'MISMATCH'} ${name} n=${size} (cpu ${tc.toFixed(1)} ms, cuda ${tg.toFixed(1)} ms)`);
  };

  const edge = [0n, 1n, 2n, FR_MODULUS - 1n, FR_MODULUS - 2n];
  const n = 1 << 16;
  const xs = [...edge, ...rng.scalars(n - edge.length)];
  const ys = [...edge.reverse(), ...rng.scalars(n - edge.length)];
  for (const op of ['add', 'sub', 'mul', 'inv'] as const)
    compare(`fr.${op}`, n, (b) => fr.elementwise(op, xs, op === 'inv' ? null : ys, { backend: b }), sameBigints);
  for (const size of [1, 8191, 8193, 150_000, 1 << 20]) {
    const v = rng.scalars(size).map((x) => (x === 0n ? 1n : x));
    compare('fr.batchInverse', size, (b) => fr.batchInverse(v, { backend: b }), sameBigints);
  }

  const gen = g1.generator();
  const m = 512;
  const ks = rng.scalars(m);
  const ps = g1.elementwise('mul', Array(m).fill(gen), ks, { backend: 'cpu' });
  const identity = new Uint8Array(96);
  identity[0] = 0x40;
  const qs = g1.elementwise('mul', Array(m).fill(gen), rng.scalars(m), { backend: 'cpu' });
  qs[0] = identity; // P + O
  ps[1] = identity; // O + Q
  qs[2] = ps[2]; // P + P
  qs[3] = g1.mul(ps[3], FR_MODULUS - 1n); // P + (−P)
  compare('g1.add', m, (b) => g1.elementwise('add', ps, qs, { backend: b }), samePoints);
  compare('g1.double', m, (b) => g1.elementwise('double', ps, null, { backend: b }), samePoints);
  const ks2 = [0n, 1n, FR_MODULUS - 1n, ...rng.scalars(m - 3)];
  compare('g1.mul', m, (b) => g1.elementwise('mul', ps, ks2, { backend: b }), samePoints);
  for (const size of [1, 2, 3, 100, 1000, 1 << 14]) {
    const pts = size <= m ? ps.slice(0, size) : g1.elementwise('mul', Array(size).fill(gen), rng.scalars(size), { backend: 'cpu' });
    const sc = [FR_MODULUS - 1n, 0n, ...rng.scalars(size)].slice(0, size);
    compare('g1.msm', size, (b) => [g1.msm(pts, sc, { backend: b })], samePoints);
  }
  const msmSeed = rng.nextU32();
  compare('g1.msm (native random inputs)', 1 << 20, (b) => [native().benchMsm(20, msmSeed, b, 1).point], samePoints);

  const cal = calibrate();
  for (const c of cal) console.log(`calibrate ${c.backend}: Fr mul ${c.frMulGPerSecond.toFixed(2)} G/s, copy ${c.copyGBPerSecond.toFixed(0)} GB/s`);
  const bench = native().benchMsm(20, msmSeed + 1, 'cuda', 7);
  const msm = {
    ...msmTimings(bench),
    note: 'first run is warm-up and excluded from the medians; computeMs = bucket method on device-resident inputs (CUDA events), totalMs adds the host-to-device copies of points and scalars',
  };
  console.log(`msm 2^20 cuda: compute ${msm.computeMsMedian.toFixed(1)} ms, total ${msm.totalMsMedian.toFixed(1)} ms`);

  const record = {
    kind: 'foundation-gpu-check',
    date: new Date().toISOString(),
    commit: flag('commit') ?? 'unknown',
    command: process.argv.slice(1).join(' '),
    seed,
    info: info(),
    allEqual: checks.every((c) => c.equal),
    checks,
    calibration: cal,
    msm2pow20: msm,
  };
  if (out) fs.writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
  console.log(record.allEqual ? 'ALL CUDA == CPU' : 'SOME CUDA != CPU');
  if (!record.allEqual) process.exitCode = 1;
}

main();
