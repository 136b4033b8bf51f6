// zkllm zkattn and zkattn() at tiny sizes with the zkattn proof op: a shape file (Q, K, V drawn from
// the seed), --full (several proofs of several heads, every head once), a model folder (Q, K, V
// captured from the fixed-point forward, the proven output checked against the forward's), --out and
// --markdown. Every proof must verify and the prover's lookups must number what the configuration's
// accounting says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zkllm, shown, STANDIN_DIR } from './helpers/cli';
import { zkattn } from '../src';
import type { ZkattnResult } from '../src/zkattn';
import { tlookupAccounting } from '../acc/tlookup-accounting';
import { QUANT_PRESETS } from '../acc/quant-config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkattn-cli-'));
const SHAPE = path.join(dir, 'tiny.json');
fs.writeFileSync(SHAPE, JSON.stringify({ name: 'tiny', layers: 2, heads: 4, headDim: 8 }));

function run(args: string[]): ZkattnResult {
  const r = zkllm(['zkattn', ...args, '--json', '--quiet'], {}, 300_000);
  assert.equal(r.status, 0, shown(r));
  return JSON.parse(r.stdout) as ZkattnResult;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** What every result must hold, whatever the model. */
function checkResult(r: ZkattnResult, o: { config: string; layers: number; heads: number; headDim: number; seqLen: number }) {
  assert.equal(r.kind, 'zkllm-zkattn');
  assert.equal(r.version, 1);
  assert.deepEqual([r.model.layers, r.model.heads, r.model.headDim, r.params.seqLen], [o.layers, o.heads, o.headDim, o.seqLen]);
  // The configuration's name and tlookups, as the accounting gives them (the join key of the trade-off table).
  const c = QUANT_PRESETS[o.config];
  const t = tlookupAccounting(c, { hiddenSize: 1, intermediateSize: 1, numHiddenLayers: 1, numAttentionHeads: 1, numKeyValueHeads: 1, headDim: o.headDim }, o.seqLen);
  assert.equal(r.config.name, o.config);
  assert.equal(r.config.tlookupsPerZkAttn, t.totals.perZkAttn);
  assert.equal(r.config.rowShiftBoundPerZkAttn, t.totals.rowShiftBoundPerZkAttn);
  assert.equal(r.lookupCheck.expected, t.totals.perZkAttn + t.totals.rowShiftBoundPerZkAttn);
  assert.equal(r.lookupCheck.equal, true);
  for (const p of r.proofs) assert.equal(p.lookups.length, r.lookupCheck.expected, `proof ${p.index}`);
  // Every proof verified, each with its time and size.
  assert.ok(r.proofs.length > 0);
  assert.equal(r.verify.allValid, true);
  for (const p of r.proofs) {
    assert.equal(p.verify.valid, true, p.verify.reason);
    assert.ok(p.proofBytes > 0 && p.wallMs > 0 && p.verify.ms > 0);
    // The groups hold every phase once: nothing lost, nothing counted twice.
    const sum = Object.values(p.phasesMs).reduce((a, b) => a + b, 0);
    assert.ok(near(p.groups.witness + p.groups.commitments + p.groups.proofMs, sum), `proof ${p.index}: groups ${JSON.stringify(p.groups)} vs phases ${JSON.stringify(p.phasesMs)}`);
    assert.ok(p.groups.matmuls > 0 && p.groups.tlookupsTotal > 0, `proof ${p.index}: matmuls and tlookups are timed: ${JSON.stringify(p.phasesMs)}`);
  }
  // Per head = measured / heads; per layer and model = per head × heads (× layers) when extrapolated.
  const heads = r.proofs.reduce((a, p) => a + p.heads.length, 0);
  assert.equal(r.measured.heads, heads);
  assert.ok(near(r.perHead.proofMs * heads, r.measured.proofMs));
  assert.ok(near(r.perHead.proofBytes * heads, r.measured.proofBytes));
  assert.ok(near(r.perLayer.wholeLayer.proofMs, r.perHead.proofMs * o.heads));
  assert.equal(r.wholeModel.zkAttns, o.layers * o.heads);
  assert.equal(r.wholeModel.sample.heads, heads);
  if (r.wholeModel.extrapolated) assert.ok(near(r.wholeModel.proofMs, r.perHead.proofMs * o.layers * o.heads));
  else assert.ok(near(r.wholeModel.proofMs, r.measured.proofMs));
  // Provenance, and the anchor's formula for the same model beside it.
  assert.match(r.gitCommit, /^([0-9a-f]{40}(-dirty)?|unknown)$/);
  assert.ok(r.device.name.length > 0);
  assert.match(r.command, /^zkllm zkattn --model /);
  assert.equal(r.anchorFormula.instances, o.layers * o.heads);
  assert.equal(r.anchorFormula.tlookups, r.config.tlookupsPerZkAttn);
  assert.ok(r.anchorFormula.mean.totalS > 0);
}

test('zkattn on a tiny shape: a sample of heads in one layer, verified, extrapolated and saying so', () => {
  const r = run(['--model', SHAPE, '--config', 'zk-12-clamp', '--seq-len', '8', '--layers', '1', '--heads', '0,2', '--seed', '5', '--backend', 'cpu']);
  checkResult(r, { config: 'zk-12-clamp', layers: 2, heads: 4, headDim: 8, seqLen: 8 });
  assert.equal(r.wholeModel.extrapolated, true);
  assert.deepEqual(r.wholeModel.sample, { heads: 2, of: 8, layers: [1], headsPerLayer: [2] });
  assert.ok(r.notes.some((n) => n.startsWith('extrapolated: 2 of 8 heads')));
  assert.deepEqual(r.proofs.map((p) => [p.layer, p.heads, p.seed]), [[1, [0, 2], 5]]);
  assert.equal(r.params.witness, "drawn from the seed at the configuration's scales");
});

test('zkattn --full on a tiny shape: every head of every layer exactly once, several heads per proof, nothing extrapolated', () => {
  const out = path.join(dir, 'full.json');
  const r = run(['--model', SHAPE, '--config', 'anchor-attn', '--seq-len', '12', '--full', '--heads-per-proof', '2', '--backend', 'cpu', '--out', out]);
  checkResult(r, { config: 'anchor-attn', layers: 2, heads: 4, headDim: 8, seqLen: 12 });
  assert.equal(r.wholeModel.extrapolated, false);
  assert.equal(r.proofs.length, 4);
  assert.ok(r.proofs.every((p) => p.heads.length === 2));
  const seen = r.proofs.flatMap((p) => p.heads.map((h) => `${p.layer}/${h}`)).sort();
  assert.deepEqual(seen, ['0/0', '0/1', '0/2', '0/3', '1/0', '1/1', '1/2', '1/3']);
  // Distinct witnesses: proof i draws from seed + i.
  assert.deepEqual(r.proofs.map((p) => p.seed), [0, 1, 2, 3]);
  assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')).proofs.length, 4);
  const md = zkllm(['zkattn', '--markdown', out]);
  assert.equal(md.status, 0, shown(md));
  assert.match(md.stdout, /\| tiny \(2 × 4\) \| anchor-attn \| 5 \(\+2\) \| 12 \| 8 of 8 \|/);
});

test('zkattn on a model folder: real Q, K, V from the forward; the proven output is the forward\'s; the API gives the same result object', async () => {
  const args = ['--model', STANDIN_DIR, '--config', 'zk-12-clamp', '--seq-len', '10', '--layers', '0,5', '--heads', '1-2', '--backend', 'cpu'];
  const r = run(args);
  checkResult(r, { config: 'zk-12-clamp', layers: 6, heads: 6, headDim: 32, seqLen: 10 });
  assert.equal(r.params.witness, 'captured from the fixed-point forward');
  assert.ok(r.window && r.window.tokens === 10 && r.window.index === 0 && r.window.source.length > 0);
  assert.deepEqual(r.proofs.map((p) => [p.layer, p.heads, p.outputMatchesForward]), [[0, [1, 2], true], [5, [1, 2], true]]);
  assert.deepEqual(r.wholeModel.sample.layers, [0, 5]);
  const api = await zkattn({ model: STANDIN_DIR, config: 'zk-12-clamp', seqLen: 10, layers: [0, 5], heads: '1-2', backend: 'cpu' });
  assert.deepEqual(Object.keys(api).sort(), Object.keys(r).sort());
  // Same statements, so the same proofs' sizes; timings differ.
  assert.deepEqual(api.proofs.map((p) => p.proofBytes), r.proofs.map((p) => p.proofBytes));
  assert.equal(api.command, r.command);
});
