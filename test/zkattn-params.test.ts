// zkllm zkattn's checks before any work (usage errors, exit code 2, one message naming the flag),
// the anchor's README formula against the figures for LLaMa-2-13B, the phase groups and the
// batching plan. None of these runs a proof.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zkllm, shown, noStack, STANDIN_DIR } from './helpers/cli';
import { anchorFormula, OPENING_SPLIT } from '../src/zkattn/anchor-formula';
import { groupOf, groupPhases } from '../src/zkattn/phase-groups';
import { planProofs, planHeadsPerProof, bytesPerHead } from '../src/zkattn/batching';
import { checkZkattnSpec, parseIndexList } from '../src/zkattn/zkattn-spec';
import { ZkattnParamError } from '../src/zkattn/zkattn-error';
import { tlookupAccounting } from '../acc/tlookup-accounting';
import { QUANT_PRESETS } from '../acc/quant-config';
import timers from '../data/anchor/h200-anchor-timers.json';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkattn-params-'));
const SHAPE = path.join(dir, 'tiny.json');
fs.writeFileSync(SHAPE, JSON.stringify({ name: 'tiny', layers: 2, heads: 4, headDim: 8 }));

/** Each bad command line: exit code 2, one line on stderr naming the flag, nothing on stdout, no --out file. */
const BAD: [string[], RegExp][] = [
  [['--model', 'llama2-13b', '--config', 'nope'], /--config: unknown quantization preset "nope"/],
  [['--model', 'llama2-13b', '--config', 'anchor-acc'], /'anchor-acc' computes the softmax with float exp .* not provable/],
  [['--model', 'llama2-13b', '--config', '{"preset": "zk-12", "softmax": {"kind": "float-exp"}}'], /float exp .* not provable/],
  [['--model', 'llama2-13b', '--config', '{"preset": "zk-12", "norm": {"kind": "float"}}'], /computes RMSNorm in float: it is not provable/],
  [['--model', 'llama2-13b', '--heads', '40'], /heads \(--heads\) names head 40, but the model has 40 \(heads 0-39\)/],
  [['--model', 'llama2-7b', '--layers', '32'], /layers \(--layers\) names layer 32, but the model has 32/],
  [['--model', SHAPE, '--layers', '0,5'], /names layer 5, but the model has 2/],
  [['--model', SHAPE, '--heads', '1,1'], /names a head twice/],
  [['--model', SHAPE, '--heads', '2-1'], /descending range '2-1'/],
  [['--model', SHAPE, '--heads', 'x'], /must be a list like 0,2-3/],
  [['--model', SHAPE, '--seq-len', '0'], /--seq-len must be a positive integer, got '0'/],
  [['--model', SHAPE, '--seq-len', '-3'], /--seq-len must be a positive integer, got '-3'/],
  [['--model', STANDIN_DIR, '--seq-len', '1'], /seqLen \(--seq-len\) must be at least 2/],
  [['--model', STANDIN_DIR, '--seq-len', '4096'], /more than the model's max_position_embeddings 2048/],
  [['--model', SHAPE, '--full', '--heads', '0'], /heads \(--heads\) does not apply with --full/],
  [['--model', SHAPE, '--commit'], /genDim \(--gen-dim\) is required with --commit/],
  [['--model', SHAPE, '--gen-dim', '64'], /genDim \(--gen-dim\) applies only with --commit/],
  [['--model', SHAPE, '--commit', '--gen-dim', '48'], /must be a power of two, got 48/],
  [['--model', SHAPE, '--data', 'heldout'], /data \(--data\) applies to a model folder only/],
  [['--model', STANDIN_DIR, '--seed', '1'], /seed \(--seed\) applies to shapes only/],
  [['--model', STANDIN_DIR, '--windowing', 'sliding'], /stride \(--stride\) is required with --windowing sliding/],
  [['--model', STANDIN_DIR, '--data', path.join(dir, 'missing.txt')], /missing\.txt: no such file/],
  [['--model', path.join(dir, 'nothing')], /--model .*nothing: no such file or folder/],
  [['--model', 'llama2-13b', '--backend', 'tpu'], /--backend must be one of auto, cpu, cuda, got 'tpu'/],
  [['--model', 'llama2-13b', '--heads-per-proof', '0'], /--heads-per-proof must be a positive integer/],
  [['--model', 'llama2-13b', '--device-budget', 'lots'], /--device-budget must be a size in bytes/],
  [['--model', 'llama2-13b', '--hedas', '0'], /unknown option --hedas \(did you mean --heads\?\)/],
  [['--config', 'zk-12'], /--model <.*> is required/],
  [['--model', SHAPE, 'extra.json'], /unexpected argument 'extra.json'/],
];

for (const [args, message] of BAD) {
  test(`zkattn ${args.join(' ')}: exit 2 before any work, one message`, () => {
    const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}.json`);
    const r = zkllm(['zkattn', ...args, '--out', out, '--quiet']);
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stderr, message, shown(r));
    assert.equal(r.stderr.trim().split('\n').length, 1, shown(r));
    assert.equal(r.stdout, '');
    assert.ok(noStack(r), shown(r));
    assert.equal(fs.existsSync(out), false, 'no --out file after a usage error');
  });
}

test('zkattn --json: a usage error is one JSON object on stdout, nothing on stderr', () => {
  const r = zkllm(['zkattn', '--model', 'llama2-13b', '--config', 'anchor-acc', '--json']);
  assert.equal(r.status, 2, shown(r));
  assert.equal(r.stderr, '');
  const j = JSON.parse(r.stdout) as { error: string; exitCode: number };
  assert.equal(j.exitCode, 2);
  assert.match(j.error, /^zkllm zkattn: --config: 'anchor-acc' .* not provable/);
});

test('zkattn is listed in zkllm --help and has its own --help', () => {
  const list = zkllm(['--help']);
  assert.match(list.stdout, /^\s+zkattn\s+prove a model's attention/m);
  const help = zkllm(['zkattn', '--help']);
  assert.equal(help.status, 0, shown(help));
  const viaHelp = zkllm(['help', 'zkattn']);
  assert.equal(viaHelp.status, 0, shown(viaHelp));
  assert.equal(viaHelp.stdout, help.stdout);
  for (const flag of ['--model', '--config', '--layers', '--heads', '--seq-len', '--full', '--commit', '--gen-dim', '--backend', '--device-budget', '--seed', '--data', '--window', '--json', '--out', '--markdown'])
    assert.ok(help.stdout.includes(flag), `help mentions ${flag}`);
});

test('zkattn --markdown: a file that is not a zkattn result is a usage error naming it', () => {
  const f = path.join(dir, 'bench.json');
  fs.writeFileSync(f, JSON.stringify({ kind: 'zkllm-bench', version: 1 }));
  const r = zkllm(['zkattn', '--markdown', f]);
  assert.equal(r.status, 2, shown(r));
  assert.match(r.stderr, /bench\.json: not a zkllm zkattn --json result/);
});

test("the anchor's formula: LLaMa-2-13B's zkAttn is ≈ 71 s with 2 tlookups and ≈ 110 s with 5 (the issue's figures)", () => {
  const f2 = anchorFormula({ tlookups: 2, layers: 40, heads: 40, seqLen: 2048 });
  const f5 = anchorFormula({ tlookups: 5, layers: 40, heads: 40, seqLen: 2048 });
  assert.ok(Math.abs(f2.mean.totalS - 71) < 1, `T = 2: ${f2.mean.totalS}`);
  assert.ok(Math.abs(f5.mean.totalS - 110) < 1, `T = 5: ${f5.mean.totalS}`);
  // Its terms from the timer file: 1600/64 = 25 batches of the anchor's 64-instance runs.
  const mean = (op: string) => {
    const runs = timers.figures.find((x) => x.op === op && x.params.num === 64)!.runsS;
    return runs.reduce((a, b) => a + b, 0) / runs.length;
  };
  assert.ok(Math.abs(f2.mean.tlookupsS - 2 * 25 * mean('tlookup')) < 1e-9);
  assert.ok(Math.abs(f2.mean.hadamardS - 25 * mean('hadamard')) < 1e-9);
  // 3200 batched openings: the fixed opening plus 3200 per-tensor parts, scaled to the H200's 64-tensor run.
  const c = (OPENING_SPLIT.fixedS + OPENING_SPLIT.perTensorS * 3200) / (OPENING_SPLIT.fixedS + OPENING_SPLIT.perTensorS * 64);
  assert.ok(Math.abs(f2.mean.openingsS - c * mean('com')) < 1e-9);
  assert.ok(f2.mean.openingsS > 2.5 && f2.mean.openingsS < 3.5, `~3 s of openings: ${f2.mean.openingsS}`);
  // Three more tlookups cost three more tlookup terms; the rest does not depend on T.
  assert.ok(Math.abs(f5.mean.totalS - f2.mean.totalS - 1.5 * f2.mean.tlookupsS) < 1e-9);
  assert.ok(f2.low.totalS < f2.mean.totalS && f2.mean.totalS < f2.high.totalS);
  // 7B: 1024 instances; a quarter of the entries (seq 1024) is a quarter of the time.
  const f7 = anchorFormula({ tlookups: 5, layers: 32, heads: 32, seqLen: 2048 });
  assert.ok(f7.mean.tlookupsS < f5.mean.tlookupsS && Math.abs(f7.mean.tlookupsS / f5.mean.tlookupsS - 1024 / 1600) < 1e-12);
  const q = anchorFormula({ tlookups: 5, layers: 40, heads: 40, seqLen: 1024 });
  assert.ok(Math.abs(q.mean.totalS - f5.mean.totalS / 4) < 1e-9);
  assert.equal(q.scale, 0.25);
  assert.ok(q.notes.some((n) => n.includes('linearly')));
});

test('phase groups: every phase lands in one group and no time is lost', () => {
  assert.equal(groupOf('logit matmul'), 'matmuls');
  assert.equal(groupOf('output matmul'), 'matmuls');
  assert.equal(groupOf('lookup: softmax segment 0'), 'tlookups');
  assert.equal(groupOf('products'), 'products');
  assert.equal(groupOf('row sums'), 'products');
  // The op's own names (native/proto/zkattn.cpp).
  assert.equal(groupOf('lookups'), 'tlookups');
  assert.equal(groupOf('multiplicities'), 'tlookups');
  assert.equal(groupOf('score sumcheck'), 'products');
  assert.equal(groupOf('product sumcheck'), 'products');
  assert.equal(groupOf('openings'), 'openings');
  assert.equal(groupOf('commit'), 'commitments');
  assert.equal(groupOf('witness'), 'witness');
  const phases = { witness: 1, commit: 2, 'logit matmul': 3, 'lookup: softmax segment 0': 5, 'lookup: softmax.V rescale 1': 7, products: 11, 'row sums': 13, 'output matmul': 17, openings: 19, 'something new': 23 };
  const g = groupPhases(phases);
  assert.deepEqual(g.tlookups, { 'softmax segment 0': 5, 'softmax.V rescale 1': 7 });
  assert.equal(g.matmuls, 20);
  assert.equal(g.products, 24);
  assert.deepEqual(g.other, { 'something new': 23 });
  const total = Object.values(phases).reduce((a, b) => a + b, 0);
  assert.equal(g.witness + g.commitments + g.proofMs, total);
  assert.equal(g.proofMs, g.matmuls + g.tlookupsTotal + g.products + g.openings + 23);
});

test('batching: each layer\'s heads cut into proofs of at most N heads; a memory limit lowers N to a power of two', () => {
  const plans = planProofs([0, 3], [0, 1, 2, 3, 4], 2);
  assert.deepEqual(plans.map((p) => [p.layer, p.heads]), [[0, [0, 1]], [0, [2, 3]], [0, [4]], [3, [0, 1]], [3, [2, 3]], [3, [4]]]);
  const perHead = bytesPerHead({ m: 2048, n: 2048, d: 128, segments: 3, scoreLookups: 5, givenTensors: false });
  // 2^22 scores × (4 + 6 + 35) field elements dominate: about 6 GiB a head.
  assert.ok(perHead > 2 ** 22 * 45 * 32 && perHead < 2 ** 22 * 46 * 32, String(perHead));
  const roomy = planHeadsPerProof({ perHeadBytes: 2 ** 20, headsPerLayer: 40, backend: 'cpu', what: 'x', memoryLimit: 2 ** 40 });
  assert.equal(roomy.headsPerProof, 40);
  assert.equal(roomy.limitedBy, 'heads');
  const rss = process.memoryUsage().rss;
  const tight = planHeadsPerProof({ perHeadBytes: 2 ** 26, headsPerLayer: 40, backend: 'cpu', what: 'x', memoryLimit: rss + 2 ** 30 });
  assert.equal(tight.limitedBy, 'host memory');
  assert.ok([8, 16].includes(tight.headsPerProof), String(tight.headsPerProof));
  assert.throws(() => planHeadsPerProof({ perHeadBytes: 2 ** 34, headsPerLayer: 4, backend: 'cpu', what: 'one big head', memoryLimit: rss + 2 ** 30 }), (e: unknown) => e instanceof ZkattnParamError && /one big head needs about .* for one head/.test((e as Error).message));
  assert.throws(() => planHeadsPerProof({ perHeadBytes: 2 ** 26, headsPerLayer: 40, asked: 32, backend: 'cpu', what: 'x', memoryLimit: rss + 2 ** 30 }), /at most \d+ fit/);
});

test('the spec: defaults, lists, LLaMa-2 shapes, and the tlookup count the result joins on', () => {
  const s = checkZkattnSpec({ model: 'llama2-13b', config: 'readme-2-clamp' });
  assert.deepEqual([s.layers, s.heads, s.seqLen, s.full, s.seed], [[0], [0], 2048, false, 0]);
  assert.deepEqual([s.source.shape.layers, s.source.shape.heads, s.source.shape.headDim], [40, 40, 128]);
  const full = checkZkattnSpec({ model: 'llama2-7b', full: true });
  assert.equal(full.layers.length, 32);
  assert.equal(full.heads.length, 32);
  assert.deepEqual(parseIndexList('heads', '0,2-4,7', 8, 'head'), [0, 2, 3, 4, 7]);
  assert.deepEqual(parseIndexList('heads', 'all', 3, 'head'), [0, 1, 2]);
  const t = tlookupAccounting(QUANT_PRESETS['readme-2-clamp'], { hiddenSize: 5120, intermediateSize: 13824, numHiddenLayers: 40, numAttentionHeads: 40, numKeyValueHeads: 40, headDim: 128 }, 2048);
  assert.equal(t.totals.perZkAttn, 3);
  assert.equal(t.totals.rowShiftBoundPerZkAttn, 1);
  const hf = path.join(dir, 'config.json');
  fs.writeFileSync(hf, JSON.stringify({ model_type: 'llama', hidden_size: 64, intermediate_size: 128, num_hidden_layers: 3, num_attention_heads: 8, num_key_value_heads: 2, vocab_size: 10 }));
  const gqa = checkZkattnSpec({ model: hf, seqLen: 8 });
  assert.deepEqual([gqa.source.kind, gqa.source.shape.heads, gqa.source.shape.kvHeads, gqa.source.shape.headDim], ['shape-file', 8, 2, 8]);
  assert.throws(() => checkZkattnSpec({ model: SHAPE, seqLen: 8, bogus: 1 } as never), /unknown field 'bogus'/);
});
