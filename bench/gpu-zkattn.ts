// zkattn on the GPU: CPU and CUDA proofs byte-identical (plain and committed, also with a small
// device budget that streams the sumchecks through the GPU in chunks), then the whole prove and
// verify of LLaMa-2-shaped heads (head_dim 128, seq 2048) under the configurations asked for.
//   node dist/bench/gpu-zkattn.js --out <file> [--commit <sha>] [--configs readme-2,zk-12-clamp] [--heads 1,4] [--commit-heads 0]
import { prove, checkProof, type ProveSpec } from '../src/proof';
import { zkattnParams } from '../acc/zkattn-params';
import { flag, gpuRecord, sameProof as same } from './gpu-record';

function main(): void {
  const seed = Number(flag('seed') ?? Date.now() % 2 ** 31);
  const { record, write } = gpuRecord('zkattn-gpu-check', seed);
  const equality: unknown[] = [];
  record.equality = equality;
  const cases: [string, number, number, number, number, boolean][] = [
    ['readme-2-clamp', 2, 5, 7, 6, true],
    ['readme-2', 3, 33, 40, 128, true],
    ['anchor-attn', 2, 6, 9, 10, true],
    ['zk-12', 2, 17, 17, 12, false],
  ];
  for (const [name, H, m, n, d, commit] of cases) {
    const spec: ProveSpec = { op: 'zkattn', num: H, dim0: m, dim1: n, dim2: d, attention: zkattnParams(name, d, n), seed: seed + equality.length };
    for (const mode of commit ? [false, true] : [false]) {
      const s = mode ? { ...spec, commit: true, genDim: 16 } : spec;
      const cpu = prove({ ...s, backend: 'cpu' });
      const gpu = prove({ ...s, backend: 'cuda' });
      const streamed = prove({ ...s, backend: 'cuda', deviceBudget: 1 << 16 });
      const row = { config: name, H, m, n, d, committed: mode, cudaEqualsCpu: same(cpu, gpu), streamedEqualsCpu: same(cpu, streamed), verifies: checkProof(gpu.statement, gpu.proof).valid };
      console.log(`${row.cudaEqualsCpu && row.streamedEqualsCpu && row.verifies ? 'EQUAL   ' : 'MISMATCH'} zkattn ${name} ${H}x${m}x${n}x${d}${mode ? ' committed' : ''}`);
      equality.push(row);
      write();
    }
  }
  record.allEqual = equality.every((r) => (r as { cudaEqualsCpu: boolean }).cudaEqualsCpu && (r as { streamedEqualsCpu: boolean }).streamedEqualsCpu && (r as { verifies: boolean }).verifies);
  write();

  const timings: unknown[] = [];
  record.timings = timings;
  const heads = (flag('heads') ?? '1').split(',').map(Number);
  const commitHeads = Number(flag('commit-heads') ?? 0);
  for (const name of (flag('configs') ?? 'readme-2').split(',')) {
    for (const H of heads) {
      for (const commit of commitHeads > 0 && H <= commitHeads ? [false, true] : [false]) {
        const spec: ProveSpec = { op: 'zkattn', num: H, dim0: 2048, dim1: 2048, dim2: 128, attention: zkattnParams(name, 128, 2048), seed, backend: 'cuda', ...(commit ? { commit: true, genDim: 4096 } : {}) };
        const t0 = performance.now();
        const r = prove(spec);
        const proveMs = performance.now() - t0;
        const t1 = performance.now();
        const check = checkProof(r.statement, r.proof);
        const verifyMs = performance.now() - t1;
        const row = { config: name, heads: H, seq: 2048, headDim: 128, committed: commit, proveMs, verifyMs, verified: check.valid, reason: check.reason, proofBytes: r.proof.length, lookups: r.prover.lookups.length, phasesMs: r.prover.phasesMs };
        console.log(`${name} H=${H}${commit ? ' committed' : ''}: prove ${(proveMs / 1000).toFixed(2)} s, verify ${(verifyMs / 1000).toFixed(2)} s, ${check.valid ? 'verified' : 'REJECTED ' + check.reason}`);
        console.log('  phases', JSON.stringify(r.prover.phasesMs));
        timings.push(row);
        write();
      }
    }
  }
}

main();
