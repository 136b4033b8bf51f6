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
  // Bad input refused alike: a shifted logit beyond readme-2's digit budget (the device witness
  // raises it inside its kernel) and Q beyond int32.
  const errors: unknown[] = [];
  record.errors = errors;
  const d = 4, big = 2 ** 11;
  const bad: [string, Record<string, (number | bigint)[]>][] = [
    ['logit beyond the digit budget', { Q: Array.from({ length: 3 * d }, () => big), K: Array.from({ length: 4 * d }, (_, i) => ((i / d) | 0) % 2 ? big : -big), V: Array.from({ length: 4 * d }, () => 1) }],
    ['Q beyond int32', { Q: Array.from({ length: 3 * d }, (_, i) => (i ? 1 : 2n ** 40n)), K: Array.from({ length: 4 * d }, () => 1), V: Array.from({ length: 4 * d }, () => 1) }],
  ];
  for (const [what, tensors] of bad) {
    const spec: ProveSpec = { op: 'zkattn', num: 1, dim0: 3, dim1: 4, dim2: d, attention: zkattnParams('readme-2', d, 4), tensors };
    const message = (backend: 'cpu' | 'cuda') => { try { prove({ ...spec, backend }); return 'no error'; } catch (e) { return (e as Error).message; } };
    // the same error; which offending entry it names may differ (the device reports the first one raised)
    const kind = (m: string) => m.replace(/-?\d+/g, 'N');
    const row = { case: what, cpu: message('cpu'), cuda: message('cuda') };
    const same = kind(row.cpu) === kind(row.cuda) && row.cpu !== 'no error';
    console.log(`${same ? 'EQUAL   ' : 'MISMATCH'} error: ${what}: cpu "${row.cpu}" cuda "${row.cuda}"`);
    errors.push(row);
  }
  record.errorsEqual = errors.every((r) => { const { cpu, cuda } = r as { cpu: string; cuda: string }; return cpu !== 'no error' && cpu.replace(/-?\d+/g, 'N') === cuda.replace(/-?\d+/g, 'N'); });
  write();
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
        const row = { config: name, heads: H, seq: 2048, headDim: 128, committed: commit, proveMs, callMs: r.prover.callMs, phasesSumMs: Object.values(r.prover.phasesMs).reduce((a, b) => a + b, 0), verifyMs, verified: check.valid, reason: check.reason, proofBytes: r.proof.length, lookups: r.prover.lookups.length, phasesMs: r.prover.phasesMs };
        console.log(`${name} H=${H}${commit ? ' committed' : ''}: prove ${(proveMs / 1000).toFixed(3)} s (native call ${(row.callMs / 1000).toFixed(3)} s, phases ${(row.phasesSumMs / 1000).toFixed(3)} s), verify ${(verifyMs / 1000).toFixed(2)} s, ${check.valid ? 'verified' : 'REJECTED ' + check.reason}`);
        console.log('  phases', JSON.stringify(r.prover.phasesMs));
        timings.push(row);
        write();
      }
    }
  }
}

main();
