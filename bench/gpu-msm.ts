// The bucket MSM on the GPU: CUDA == CPU (same point bytes) for g1.msm of many sizes, with full-width and with small
// scalars, and for row commitments (int32 tensors, 32-bit and full-width field tensors; the last go through the
// window table) of several row counts and row lengths, small window sizes and thousands of rows included; then the
// compute time of the CUDA MSM at 2^16 and 2^20 points (median after a warm-up).
//   node dist/bench/gpu-msm.js --out <file> [--seed N] [--commit <sha>] [--reps N] [--skip-timing]
import { g1, G1Point } from '../src/g1';
import { commitments } from '../src/commit';
import { FR_MODULUS } from '../src/fr';
import { native } from '../src/bindings/native';
import { flag, gpuRecord, msmTimings } from './gpu-record';
import { SeededRandom } from './seeded-random';

/** Exits with a clear message (status 2) when there is no addon, no CUDA build or no usable GPU. */
function requireGpu(): void {
  let i;
  try {
    i = native().info();
  } catch (e) {
    console.error(`gpu-msm: cannot load the native addon: ${(e as Error).message}`);
    process.exit(2);
  }
  if (!i.cudaCompiled) {
    console.error('gpu-msm: the native addon was built without CUDA; build it on a machine with nvcc (ZKLLM_CUDA=1)');
    process.exit(2);
  }
  if (i.devices.length === 0) {
    console.error(`gpu-msm: no usable GPU (${i.gpuStatus || 'none found'}); this check needs one`);
    process.exit(2);
  }
}

const hex = (ps: readonly G1Point[]) => ps.map((p) => Buffer.from(p).toString('hex')).join('');

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

interface Check {
  name: string;
  equal: boolean;
  ms: { cpu: number; cuda: number };
  error?: string;
}

function main(): void {
  requireGpu();
  const seed = Number(flag('seed') ?? Date.now() % 2 ** 31);
  const reps = Math.max(2, Number(flag('reps') ?? 7));
  const rng = new SeededRandom(seed);
  const { record, write } = gpuRecord('msm-gpu-check', seed);
  const checks: Check[] = [];
  record.checks = checks;

  // CPU and CUDA results of one computation, compared as bytes; an exception on either side is a mismatch.
  const compare = (name: string, run: (b: 'cpu' | 'cuda') => string) => {
    let c: Check;
    try {
      const [a, tc] = timed(() => run('cpu'));
      const [b, tg] = timed(() => run('cuda'));
      c = { name, equal: a === b, ms: { cpu: tc, cuda: tg } };
    } catch (e) {
      c = { name, equal: false, ms: { cpu: NaN, cuda: NaN }, error: (e as Error).message };
    }
    checks.push(c);
    console.log(`${c.equal ? 'ok' : 'MISMATCH'} ${name}${c.error ? `: ${c.error}` : ''} (cpu ${c.ms.cpu.toFixed(1)} ms, cuda ${c.ms.cuda.toFixed(1)} ms)`);
    write();
  };

  // g1.msm: distinct random points, then the sizes from one point up to 2^17 with full-width scalars (edges
  // included) and with scalars below 2^5; and one point repeated, which makes equal bucket sums (doublings, P − P).
  const gen = g1.generator();
  const poolSize = 1 << 17;
  const pool = g1.elementwise('mul', new Array(poolSize).fill(gen), rng.scalars(poolSize), { backend: 'cuda' });
  const sizes = [1, 2, 3, 17, 1000, 1 << 12, (1 << 16) + 3, 1 << 17];
  for (const n of sizes) {
    const pts = pool.slice(0, n);
    const wide = [FR_MODULUS - 1n, 0n, 1n, ...rng.scalars(n)].slice(0, n);
    const small = Array.from({ length: n }, () => BigInt(rng.nextU32() % 32));
    compare(`g1.msm n=${n} full-width scalars`, (b) => hex([g1.msm(pts, wide, { backend: b })]));
    compare(`g1.msm n=${n} scalars < 2^5`, (b) => hex([g1.msm(pts, small, { backend: b })]));
  }
  {
    const n = 4096;
    const same = new Array(n).fill(pool[0]);
    // the scalars drawn once, outside the closure that each backend runs
    const small = Array.from({ length: n }, () => BigInt(rng.nextU32() % 16)), wide = rng.scalars(n);
    compare(`g1.msm n=${n} one point repeated, scalars < 2^4`, (b) => hex([g1.msm(same, small, { backend: b })]));
    compare(`g1.msm n=${n} one point repeated, full-width scalars`, (b) => hex([g1.msm(same, wide, { backend: b })]));
  }
  for (const logN of [16, 20]) {
    const s = rng.nextU32();
    compare(`g1.msm n=2^${logN} (native random inputs)`, (b) => hex([native().benchMsm(logN, s, b, 1).point]));
  }

  // Row commitments. Int32 tensors: rows of 64 (1501 rows, full int32 range), of 16 (5000 rows of −1/0/1: one-bit
  // windows), of 4 (3000 rows below 2^3), of 1024 (300 rows of int8) and of 2^16 (3 rows of int16, the last short).
  const ints = (n: number, bits: number) =>
    Int32Array.from({ length: n }, () => {
      const r = rng.nextU32();
      return bits >= 32 ? r | 0 : (rng.nextU32() & 1 ? -1 : 1) * (r % 2 ** bits);
    });
  const intCases: [number, number, number][] = [
    [64, 1500 * 64 + 17, 32],
    [16, 5000 * 16, 1],
    [4, 3000 * 4, 3],
    [1024, 300 * 1024, 8],
    [1 << 16, 3 * (1 << 16) - 5, 16],
  ];
  for (const [genDim, n, bits] of intCases) {
    const v = ints(n, bits);
    compare(`commit int32 (|v| < 2^${bits}) rows=${Math.ceil(n / genDim)} genDim=${genDim}`, (b) =>
      hex(commitments.commit(v, { genDim, backend: b, disk: false }).rows));
  }
  // Field tensors: full-width elements (the window table on the GPU) in rows of 256 (1200 rows), 4096 (40 rows) and
  // 2^16 (3 rows, the last short), 40-bit elements (rows of 1024), and elements in [2^31, 2^32) (too wide for int32,
  // so the 32-bit field path).
  const fieldCases: [string, number, number, () => bigint][] = [
    ['full-width', 256, 1200 * 256, () => rng.scalar()],
    ['full-width', 4096, 40 * 4096, () => rng.scalar()],
    ['full-width', 1 << 16, 3 * (1 << 16) - 7, () => rng.scalar()],
    ['40-bit', 1024, 100 * 1024, () => rng.bits(40)],
    ['32-bit', 512, 1100 * 512, () => (1n << 31n) + rng.bits(31)],
  ];
  for (const [what, genDim, n, make] of fieldCases) {
    const v = Array.from({ length: n }, make);
    if (what === 'full-width') v[0] = FR_MODULUS - 1n;
    compare(`commit field ${what} rows=${Math.ceil(n / genDim)} genDim=${genDim}`, (b) =>
      hex(commitments.commit(v, { genDim, backend: b, disk: false }).rows));
  }

  const allEqual = checks.every((c) => c.equal);
  record.allEqual = allEqual;
  write();

  if (!process.argv.includes('--skip-timing')) {
    // benchMsm makes its inputs natively and times each MSM with CUDA events (computeMs: the bucket method on
    // device-resident inputs; totalMs adds the copies); the first run is a warm-up.
    const timings: Record<string, unknown>[] = [];
    record.timings = timings;
    for (const logN of [16, 20]) {
      const r = native().benchMsm(logN, seed + logN, 'cuda', reps + 1);
      const row = msmTimings(r);
      timings.push(row);
      console.log(`time g1.msm n=2^${logN} cuda: compute ${row.computeMsMedian.toFixed(3)} ms, total ${row.totalMsMedian.toFixed(3)} ms (median of ${reps})`);
      write();
    }
  }

  console.log(allEqual ? 'ok' : `MISMATCH: ${checks.filter((c) => !c.equal).length} of ${checks.length} checks differ`);
  if (!allEqual) process.exitCode = 1;
}

main();
