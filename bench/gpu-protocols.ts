// The sumcheck protocols on the GPU: CPU and CUDA proofs byte-identical for every op, plain and
// committed (also when a small device budget forces the tensors through the GPU in many chunks), then a first timing of
// each op at 64 × 2^22 and the 8 GB-budget run that must give the same proof as an unlimited one.
//   node dist/bench/gpu-protocols.js --out <file> [--commit <sha>] [--skip-big]
import * as fs from 'node:fs';
import { prove, verify, ProveSpec, ProofResult } from '../src/proof';
import { info } from '../src/system';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function same(a: ProofResult, b: ProofResult): boolean {
  return Buffer.from(a.proof).equals(Buffer.from(b.proof)) && JSON.stringify(a.statement) === JSON.stringify(b.statement);
}

function timedProve(spec: ProveSpec): { r: ProofResult; ms: number } {
  const t0 = performance.now();
  const r = prove(spec);
  return { r, ms: performance.now() - t0 };
}

const FR_BYTES = 32;

function main(): void {
  const seed = Number(flag('seed') ?? Date.now() % 2 ** 31);
  const record: Record<string, unknown> = {
    kind: 'protocols-gpu-check',
    date: new Date().toISOString(),
    commit: flag('commit') ?? 'unknown',
    command: process.argv.slice(1).join(' '),
    seed,
    device: info().devices[0] ?? null,
  };
  const small: (ProveSpec & { tensors3: number })[] = [
    { op: 'inner-product', num: 8, dim: 1 << 14, seed, tensors3: 8 << 14 },
    { op: 'hadamard', num: 8, dim: (1 << 14) - 3, seed: seed + 1, tensors3: 8 << 14 },
    { op: 'matmul', num: 8, dim0: 64, dim1: 256, dim2: 48, seed: seed + 2, tensors3: 8 * 256 },
    { op: 'tlookup-range', num: 8, dim: 1 << 14, low: -1000, len: 5000, seed: seed + 3, tensors3: 8 << 14 },
    { op: 'tlookup-map', num: 7, dim: 1 << 14, low: 3, len: 4096, seed: seed + 4, tensors3: 8 << 14 },
  ];
  // each op plain and committed (rows of 256); the committed Hadamard of whole rows and the committed range lookup
  // whose values fill their layout run on batch-opening engines, so each also has a case with padding, as has the
  // committed matmul of whole rows (C = A·B made in the store); rows wider than 2^10 end their arguments early
  const committed: (ProveSpec & { tensors3: number })[] = [
    ...small,
    { op: 'hadamard' as const, num: 8, dim: 1 << 14, seed: seed + 5, tensors3: 8 << 14 },
    { op: 'tlookup-range' as const, num: 5, dim: 3000, low: -7, len: 900, seed: seed + 6, tensors3: 8 << 12 },
    { op: 'matmul' as const, num: 3, dim0: 64, dim1: 128, dim2: 32, seed: seed + 7, tensors3: 4 * 128 },
  ].map((s) => ({
    ...s,
    commit: true,
    genDim: 256,
  }));
  committed.push(
    { op: 'opening', num: 4, dim: 1 << 16, seed: seed + 8, tensors3: 4 << 16, commit: true, genDim: 4096 },
    { op: 'tlookup-range', num: 4, dim: 1 << 14, low: 0, len: 4096, seed: seed + 9, tensors3: 4 << 14, commit: true, genDim: 2048 },
  );
  const equality = [...small, ...committed].map(({ tensors3, ...spec }) => {
    const budget = Math.max(4096, Math.floor((3 * tensors3 * FR_BYTES) / 16)); // ~16 chunks in the first rounds
    const cpu = prove({ ...spec, backend: 'cpu' });
    const gpu = prove({ ...spec, backend: 'cuda' });
    const streamed = prove({ ...spec, backend: 'cuda', deviceBudget: budget });
    const row = {
      op: spec.op,
      spec,
      deviceBudget: budget,
      cudaEqualsCpu: same(cpu, gpu),
      streamedEqualsCpu: same(cpu, streamed),
      verifies: verify(gpu.statement, gpu.proof),
    };
    console.log(`${row.cudaEqualsCpu && row.streamedEqualsCpu && row.verifies ? 'EQUAL   ' : 'MISMATCH'} ${spec.op}${spec.commit ? ' committed' : ''} (budget ${budget} B)`);
    return row;
  });
  record.equality = equality;
  record.allEqual = equality.every((r) => r.cudaEqualsCpu && r.streamedEqualsCpu && r.verifies);
  const write = () => {
    const out = flag('out');
    if (out) fs.writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
  };
  write();

  if (!process.argv.includes('--skip-big')) {
    const big: ProveSpec[] = [
      { op: 'hadamard', num: 64, dim: 1 << 22, seed },
      { op: 'tlookup-range', num: 64, dim: 1 << 22, low: 0, len: 1 << 16, seed },
      { op: 'inner-product', num: 64, dim: 1 << 22, seed },
      { op: 'tlookup-map', num: 64, dim: 1 << 22, low: 0, len: 1 << 16, seed },
      { op: 'matmul', num: 64, dim0: 2048, dim1: 2048, dim2: 2048, seed },
      { op: 'matmul', num: 40, dim0: 2048, dim1: 128, dim2: 2048, seed },
    ];
    const timings: unknown[] = [];
    record.timings = timings;
    for (const spec of big) {
      const { r, ms } = timedProve({ ...spec, backend: 'cuda' });
      const t0 = performance.now();
      const ok = verify(r.statement, r.proof);
      const verifyMs = performance.now() - t0;
      const row: Record<string, unknown> = { spec, proveMs: ms, phasesMs: r.prover.phasesMs, proofBytes: r.proof.length, verifies: ok, verifyMs };
      if (spec.op === 'hadamard' || spec.op === 'tlookup-range') {
        const b = timedProve({ ...spec, backend: 'cuda', deviceBudget: 8 * 2 ** 30 });
        row.budget8GB = { proveMs: b.ms, phasesMs: b.r.prover.phasesMs, sameProofAsUnlimited: same(r, b.r) };
      }
      timings.push(row);
      console.log(JSON.stringify(row));
      write();
    }
  }
  console.log(record.allEqual ? 'ALL CUDA == CPU' : 'SOME CUDA != CPU');
  if (!record.allEqual) process.exitCode = 1;
}

main();
