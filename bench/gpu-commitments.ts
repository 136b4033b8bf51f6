// Commitments on the GPU: CPU and CUDA give identical commitments and commit-mode proofs, then the
// issue's timings: commit of 2^22 int32 values and of 2^22 field elements with rows of 2^16, and
// a batched opening of 64 tensors of 2^22 (phases recorded).
//   node dist/bench/gpu-commitments.js --out <file> [--commit <sha>] [--skip-big]
import { commitments } from '../src/commit';
import { prove, verify, ProveSpec, ProofResult } from '../src/proof';
import { FR_MODULUS } from '../src/fr';
import { SeededRandom } from './seeded-random';
import { flag, gpuRecord, sameProof as same } from './gpu-record';
const hexRows = (rows: Uint8Array[]) => rows.map((r) => Buffer.from(r).toString('hex')).join('');

function main(): void {
  const seed = Number(flag('seed') ?? Date.now() % 2 ** 31);
  const rng = new SeededRandom(seed);
  const { record, write } = gpuRecord('commitments-gpu-check', seed);
  const checks: { name: string; equal: boolean }[] = [];
  const check = (name: string, equal: boolean) => {
    checks.push({ name, equal });
    console.log(`${equal ? 'EQUAL   ' : 'MISMATCH'} ${name}`);
  };
  const n = 100_003;
  const ints = Int32Array.from({ length: n }, () => (rng.nextU32() | 0) >> (rng.nextU32() % 24));
  const fields = rng.scalars(5000).map((x, i) => (i === 0 ? FR_MODULUS - 1n : x));
  for (const w of [1 << 10, 1 << 16]) {
    check(`commit int32 n=${n} w=${w}`, hexRows(commitments.commit(ints, { genDim: w, backend: 'cpu' }).rows) === hexRows(commitments.commit(ints, { genDim: w, backend: 'cuda' }).rows));
    check(`commit field n=5000 w=${w}`, hexRows(commitments.commit(fields, { genDim: w, backend: 'cpu' }).rows) === hexRows(commitments.commit(fields, { genDim: w, backend: 'cuda' }).rows));
  }
  const specs: ProveSpec[] = [
    { op: 'hadamard', num: 4, dim: 3000 },
    { op: 'tlookup-range', num: 4, dim: 2000, low: -100, len: 1000 },
    { op: 'matmul', num: 2, dim0: 16, dim1: 64, dim2: 24 },
    { op: 'inner-product', num: 3, dim: 1000 },
    { op: 'tlookup-map', num: 3, dim: 1000, low: 0, len: 512 },
    { op: 'opening', num: 8, dim: 5000 },
    { op: 'opening', num: 3, dim: 100 },
  ];
  for (const spec of specs) {
    const s = { ...spec, seed, commit: true, genDim: 256 };
    const a = prove({ ...s, backend: 'cpu' }), b = prove({ ...s, backend: 'cuda' });
    check(`${spec.op} commit mode, CPU == CUDA, verifies`, same(a, b) && verify(b.statement, b.proof));
  }
  // The batched opening with the production row length and rows of 2^10 (device-resident int path).
  for (const [num, dim, genDim] of [[4, 1 << 14, 1 << 10], [3, 70_000, 1 << 16], [2, 1 << 18, 1 << 16]]) {
    const s = { op: 'opening' as const, num, dim, genDim, seed, commit: true };
    const a = prove({ ...s, backend: 'cpu' }), b = prove({ ...s, backend: 'cuda' });
    check(`opening ${num}x${dim} genDim ${genDim}, CPU == CUDA, verifies`, same(a, b) && verify(b.statement, b.proof));
  }
  const given = { x0: Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? -(2 ** 31) : i * 1234567) | 0).map((v) => (v < 0 ? FR_MODULUS + BigInt(v) : BigInt(v))), x1: Array.from({ length: 3000 }, (_, i) => BigInt(i % 5 === 0 ? 2 ** 31 - 1 : i)) };
  {
    const s = { op: 'opening' as const, num: 2, dim: 3000, genDim: 1 << 10, tensors: given, commit: true };
    const a = prove({ ...s, backend: 'cpu' }), b = prove({ ...s, backend: 'cuda' });
    check('opening of given int32 tensors (edges), CPU == CUDA, verifies', same(a, b) && verify(b.statement, b.proof));
  }
  {
    // wide scalars on the GPU use the window table in passes of 128 rows of 2^16: 129 rows and a
    // short one take two passes
    const nBig = 129 * (1 << 16) + 7;
    const wide40 = Array.from({ length: nBig }, () => (BigInt(rng.nextU32()) << 8n) ^ BigInt(rng.nextU32() & 0xff) ^ (1n << 39n));
    check(`commit 40-bit field elements n=${nBig} w=65536 (two table passes)`, hexRows(commitments.commit(wide40, { genDim: 1 << 16, backend: 'cpu' }).rows) === hexRows(commitments.commit(wide40, { genDim: 1 << 16, backend: 'cuda' }).rows));
  }
  {
    // skewed digits: every element in the same bucket of each window (chunked bucket sums over
    // several levels), and structured ~150-bit values
    const n18 = 1 << 18;
    const constant = new Int32Array(n18).fill(-12345);
    check(`commit constant int32 n=${n18} w=65536 (one bucket per window)`, hexRows(commitments.commit(constant, { genDim: 1 << 16, backend: 'cpu' }).rows) === hexRows(commitments.commit(constant, { genDim: 1 << 16, backend: 'cuda' }).rows));
    const structured = Array.from({ length: n18 }, (_, i) => (BigInt(i) * 0x9e3779b97f4a7c15n * 0xd1b54a32d192ed03n) % FR_MODULUS);
    check(`commit structured ~150-bit field elements n=${n18} w=65536`, hexRows(commitments.commit(structured, { genDim: 1 << 16, backend: 'cpu' }).rows) === hexRows(commitments.commit(structured, { genDim: 1 << 16, backend: 'cuda' }).rows));
  }
  record.checks = checks;
  record.allEqual = checks.every((c) => c.equal);
  write();

  if (!process.argv.includes('--skip-big')) {
    const t0 = performance.now();
    const gens = commitments.generators('zkllm-kit-pedersen-v1', 1 << 16, { backend: 'cuda' });
    record.generators2pow16 = { ms: performance.now() - t0, source: gens.source };
    const big = 1 << 22;
    const bigInts = Int32Array.from({ length: big }, (_, i) => ((i * 2654435761) | 0) >> 12);
    const bigFields = Array.from({ length: big }, (_, i) => (BigInt(i) * 0x9e3779b97f4a7c15n * 0xd1b54a32d192ed03n) % FR_MODULUS);
    const timings: Record<string, unknown> = {};
    const bigUniform = rng.scalars(big);
    for (const [name, values] of [['int32 2^22', bigInts], ['field 2^22', bigFields], ['uniform field 2^22', bigUniform]] as const) {
      commitments.commit(values, { genDim: 1 << 16, backend: 'cuda' }); // warm-up
      const runs = [0, 1, 2].map(() => commitments.commit(values, { genDim: 1 << 16, backend: 'cuda' }));
      timings[`commit ${name} w=2^16`] = runs.map((r) => ({ msmMs: r.msmMs, totalMs: r.totalMs }));
      console.log(`commit ${name}: ${runs.map((r) => r.totalMs.toFixed(1)).join(', ')} ms`);
    }
    record.timings = timings;
    write();
    // Three proofs (the first also warms up); the target is on the opening phases, with the
    // tensors already on the device as in the anchor's timer: evaluation + combination + IPA.
    const runs: { proveMs: number; phasesMs: Record<string, number> }[] = [];
    let last: ProofResult | undefined;
    for (let k = 0; k < 3; k++) {
      const t1 = performance.now();
      last = prove({ op: 'opening', num: 64, dim: big, genDim: 1 << 16, seed: seed + k, backend: 'cuda' });
      runs.push({ proveMs: performance.now() - t1, phasesMs: last.prover.phasesMs });
      console.log(JSON.stringify(runs[k]));
    }
    const t2 = performance.now();
    const ok = verify(last!.statement, last!.proof);
    const openMs = runs.map((r) => (r.phasesMs['evaluate and combine'] ?? 0) + (r.phasesMs['opening'] ?? 0)).sort((a, b) => a - b);
    record.batchedOpening64x2pow22 = { runs, medianEvaluateCombineOpenMs: openMs[1], verifies: ok, verifyMs: performance.now() - t2, proofBytes: last!.proof.length };
    console.log(JSON.stringify(record.batchedOpening64x2pow22));
    write();
  }
  console.log(record.allEqual ? 'ALL CUDA == CPU' : 'SOME CUDA != CPU');
  if (!record.allEqual) process.exitCode = 1;
}

main();
