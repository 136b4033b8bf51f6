// Attack (f): generators read from disk. A cache file with one planted point whose discrete log
// is known (g_j = k·g_0) and a recomputed checksum passes v1's checks unless the random spot check
// happens to re-derive index j (30 random indices of 256; the test retries with a fresh file then). Binding is then broken: the prover opens one
// commitment to a value it was not made for. A fresh process (its own ZKLLM_CACHE_DIR, empty
// generator memo) must reject the forged opening.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkProof, g1 } from '../src';
import { hex } from './helpers/g1ref';
import { runInChild } from './adversary/child-check';
import { plantGenerator, plantedGens } from './adversary/generator-file';
import { kitGens } from './adversary/hyrax-prover';
import { mleEval, mod } from './adversary/mle';
import { advProve } from './adversary/prover';

const LABEL = 'adv-planted-generators';
const W = 256;
const J = 100;
const K = 7n;

const SNIPPET = `const g = kit.commitments.generators(input.label, input.w);
const check = (s) => kit.checkProof(s.statement, Uint8Array.from(Buffer.from(s.proof, 'hex')));
const honest = check(input.honest), forged = check(input.forged);
console.log(JSON.stringify({ source: g.source.origin, note: g.source.cacheNote, honest, forged }));`;

test('a planted generator with a known discrete log in the disk cache does not let a forged opening verify', (t) => {
  const real = kitGens(LABEL, W);
  const planted = g1.mul(real.g[0], K); // g_J = K·g_0
  const gens = plantedGens(LABEL, W, J, planted);
  const x = [3n, 5n];
  const spec = { op: 'opening' as const, num: 1, dim: 2, genDim: W, genLabel: LABEL, tensors: { x0: x } };
  const honest = advProve(spec, { gens });
  const z = honest.statement.finalEvals[0].point.map(BigInt);
  // x' = x + δ·(K·e_0 − e_J) has the same commitment under the planted set; open it instead
  const forged = advProve(spec, {
    gens,
    opened: (_name, t) => {
      const xs = [...t, ...new Array(W - t.length).fill(0n)];
      xs[0] = mod(xs[0] + K);
      xs[J] = mod(xs[J] - 1n);
      return xs;
    },
    claims: () => [mleEval([mod(x[0] + K), x[1]], z)],
  });
  assert.deepEqual(forged.statement.witness, honest.statement.witness, 'one commitment');
  assert.notEqual(forged.statement.finalEvals[0].value, honest.statement.finalEvals[0].value, 'two values at one point');
  assert.equal(honest.statement.finalEvals[0].value, String(mleEval(x, z)), 'the honest one is the committed tensor');

  // with the real (derived) generators this process holds, the forged opening fails: it needs the planted point
  assert.equal(checkProof(forged.statement, forged.proof).valid, false, 'forgery relies on the planted generator');

  let last: Record<string, unknown> | undefined;
  for (let attempt = 0; attempt < 6; attempt++) {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'zkllm-adv-gens-'));
    plantGenerator(cacheDir, LABEL, W, J, planted);
    const input = { label: LABEL, w: W, honest: { statement: honest.statement, proof: hex(honest.proof) }, forged: { statement: forged.statement, proof: hex(forged.proof) } };
    const r = runInChild(SNIPPET, input, { ZKLLM_CACHE_DIR: cacheDir });
    assert.equal(r.status, 0, `child: ${r.stderr.slice(-500)}`);
    last = r.result;
    // the random spot check re-derived index J this time (probability about 11%): try a fresh file
    if (!String(last?.note ?? '').includes(`generator ${J} differs`)) break;
  }
  t.diagnostic(`child process: ${JSON.stringify(last)}`);
  const forgedVerdict = last?.forged as { valid: boolean; reason: string };
  assert.equal(forgedVerdict.valid, false, `forged opening accepted with the planted generators: ${JSON.stringify(last)}`);
});
