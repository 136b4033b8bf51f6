// Issue 12 item 8: what a cached generator file is trusted for. A cache file with one point replaced
// and its checksum recomputed passes the prover's checks unless the spot re-derivation happens to
// look at that point. The README says: a prover uses the cache (so a proof made with such a file is
// wrong), and verify derives its own generators, so that proof fails verification on this machine
// too; a verifier never reads the file (an honest proof still verifies next to it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commitments, g1, prove } from '../src';
import { plantGenerator } from './adversary/generator-file';
import { hex } from './helpers/g1ref';
import { node, shown } from './helpers/cli';

const LABEL = 'issue12-item8-cache';
const W = 1024;
const J = 700;

test('a replaced generator in the cache file is used by the prover and caught by verify on the same machine', (t) => {
  const real = commitments.generators(LABEL, W, { disk: false });
  const planted = g1.mul(real.g[0], 5n);
  const x = Array.from({ length: W }, (_, i) => BigInt((i % 7) + 1));
  const spec = { op: 'opening' as const, num: 1, dim: W, genDim: W, genLabel: LABEL, tensors: { x0: x }, backend: 'cpu' as const };
  // made where no cache file was ever read: this process's generators are derived
  const honest = prove(spec);
  const snippet = `
    const hexOf = (b) => Buffer.from(b).toString('hex');
    const input = ${JSON.stringify({ spec: { ...spec, tensors: { x0: x.map(String) } }, honest: { statement: honest.statement, proof: hex(honest.proof) }, J, planted: hex(planted) })};
    input.spec.tensors.x0 = input.spec.tensors.x0.map(BigInt);
    const g = kit.commitments.generators(input.spec.genLabel, input.spec.genDim);
    const p = kit.prove(input.spec);
    const mine = kit.checkProof(p.statement, p.proof);
    const other = kit.checkProof(input.honest.statement, Uint8Array.from(Buffer.from(input.honest.proof, 'hex')));
    console.log(JSON.stringify({ origin: g.source.origin, note: g.source.cacheNote ?? '', usesPlanted: hexOf(g.g[input.J]) === input.planted,
      sameCommitment: JSON.stringify(p.statement.witness) === JSON.stringify(input.honest.statement.witness), mine, other }));`;
  let out: Record<string, unknown> | undefined;
  for (let attempt = 0; attempt < 6; attempt++) {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-item8-'));
    plantGenerator(cacheDir, LABEL, W, J, planted);
    const r = node(snippet, { ZKLLM_CACHE_DIR: cacheDir });
    assert.equal(r.status, 0, shown(r));
    out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    // the spot check re-derived index J this time (about 3 %): the file was regenerated; plant again
    if (!String(out!.note).includes(`generator ${J} differs`)) break;
  }
  t.diagnostic(JSON.stringify(out));
  // the prover trusted the file: README "only provers read the cache"
  assert.equal(out!.origin, 'disk');
  assert.equal(out!.usesPlanted, true);
  assert.equal(out!.sameCommitment, false, 'the planted point changes the commitment');
  // ... and the proof it made fails verification on this very machine
  assert.deepEqual(Object.keys(out!.mine as object).sort(), ['reason', 'valid']);
  assert.equal((out!.mine as { valid: boolean }).valid, false, JSON.stringify(out));
  // the verifier there derives its own generators: an honest proof verifies next to the planted file
  assert.equal((out!.other as { valid: boolean }).valid, true, JSON.stringify(out));
});

test("the README's wording matches: the cache is trusted by provers only, verify derives its generators", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  assert.doesNotMatch(readme, /never trusted/, 'a cache file is trusted, by provers');
  assert.match(readme, /Only provers read the cache/);
  assert.match(readme, /`verify` and `checkProof` never read the cache:\s+they derive the generators they use in their own\s+process/);
});
