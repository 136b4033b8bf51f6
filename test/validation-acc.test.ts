// Issue 12 items 3, 4 and 9: the accuracy experiment checks its model, its configurations and its
// output path before any forward, and exits non-zero when a configuration failed.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LlamaCheckpoint, writeLlamaCheckpoint } from '../acc/checkpoint';
import { expandConfigs, runOnWindows, validateConfigs } from '../acc/experiment';
import type { LlamaConfig } from '../acc/llama-config';
import { QUANT_PRESETS, resolveQuantConfig, mergeConfig, type QuantConfig } from '../acc/quant-config';
import { checkQuantConfigForModel, toNativeQuantConfig } from '../acc/quant-config-check';
import { native } from '../src/bindings/native';
import '../src/bindings/native-quant';
import { randomLlamaModel } from './acc-random-model';
import { STANDIN_DIR, shown, zkllm } from './helpers/cli';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-validation-acc-'));
const STANDIN_ARGS = ['--model', STANDIN_DIR, '--seq-len', '8', '--samples', '1', '--backend', 'cpu'];

/** A copy of the stand-in folder (weights and tokenizer linked) with config.json edited. */
function standinWithConfig(name: string, edit: (c: Record<string, unknown>) => void): string {
  const dir = path.join(TMP, name);
  fs.mkdirSync(dir);
  for (const f of ['model.safetensors', 'tokenizer.json', 'tokenizer_config.json']) fs.symlinkSync(path.join(STANDIN_DIR, f), path.join(dir, f));
  const c = JSON.parse(fs.readFileSync(path.join(STANDIN_DIR, 'config.json'), 'utf8'));
  edit(c);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(c));
  return dir;
}

const TINY: LlamaConfig = {
  hiddenSize: 8,
  intermediateSize: 16,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  numKeyValueHeads: 2,
  headDim: 4,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  vocabSize: 32,
  tieWordEmbeddings: true,
  maxPositionEmbeddings: 64,
};

describe('issue 12 item 3: the model shape against its weights', () => {
  test('config.json with 3 layers over 6 layers of weights: a loud error naming the tensors left over', () => {
    const dir = standinWithConfig('three-layers', (c) => (c.num_hidden_layers = 3));
    assert.throws(
      () => LlamaCheckpoint.open(dir),
      /27 tensors are not used by the model config\.json describes: "model\.layers\.3\.input_layernorm\.weight", .* and 21 more; config\.json says num_hidden_layers = 3, the weights hold 6 layers/,
    );
    const r = zkllm(['acc', ...STANDIN_ARGS.slice(2), '--model', dir]);
    assert.equal(r.status, 1, shown(r));
    assert.match(r.stderr, /zkllm acc: checkpoint .*three-layers: 27 tensors are not used/, shown(r));
    assert.equal(r.stdout, '', 'no perplexity is printed');
    assert.doesNotMatch(r.stderr, /window/, 'no window ran');
  });

  test('config.json with more layers than the weights: every missing tensor is counted', () => {
    const dir = standinWithConfig('eight-layers', (c) => (c.num_hidden_layers = 8));
    assert.throws(() => LlamaCheckpoint.open(dir), /missing tensor "model\.layers\.6\.input_layernorm\.weight" \(expected shape \[192\]\) and 17 more: .*; config\.json says num_hidden_layers = 8, the weights hold 6 layers/);
  });

  test('an lm_head.weight beside tied embeddings is named; rotary inv_freq buffers are not weights', () => {
    const dir = path.join(TMP, 'tied');
    writeLlamaCheckpoint(dir, randomLlamaModel({ ...TINY, tieWordEmbeddings: false }, 5));
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    assert.doesNotThrow(() => LlamaCheckpoint.open(dir).close());
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...cfg, tie_word_embeddings: true }));
    assert.throws(() => LlamaCheckpoint.open(dir), /1 tensor is not used by the model config\.json describes: "lm_head\.weight" \(config\.json ties the embeddings/);
  });
});

describe('issue 12 item 4: configurations are checked before the float pass', () => {
  const cases: [string, RegExp][] = [
    ['{"preset":"zk-12","valueBits":999}', /valueBits = 999 is outside \[2, 24\]/],
    ['{"preset":"zk-12","valueBits":-3}', /valueBits = -3 is outside \[2, 24\]/],
    ['{"preset":"zk-12","softmax":{"segmentBits":[40]}}', /segment 0 has 40 bits; each segment needs 1\.\.26/],
  ];
  for (const [config, re] of cases) {
    test(`--config '${config}': exit code 2, no window run, no accounting printed`, () => {
      const r = zkllm(['acc', ...STANDIN_ARGS, '--config', config]);
      assert.equal(r.status, 2, shown(r));
      assert.match(r.stderr, /^zkllm acc: --config: zk-12\+custom: (quantization config|zkAttn tables): /, shown(r));
      assert.match(r.stderr, re, shown(r));
      assert.equal(r.stdout, '', 'no table, no tlookup count');
      assert.doesNotMatch(r.stderr, /window/, 'the float pass did not run');
    });
  }

  test('runOnWindows refuses bad configurations before any progress, naming every bad one', async () => {
    const model = randomLlamaModel(TINY, 3, 0.1);
    const ok = structuredClone(QUANT_PRESETS['zk-8']);
    const bad1 = { ...structuredClone(QUANT_PRESETS['zk-8']), name: 'bad-a', valueBits: 999 };
    const bad2 = mergeConfig(QUANT_PRESETS['zk-8'], { name: 'bad-b', norm: { outBits: 1 } });
    const progress: string[] = [];
    await assert.rejects(
      runOnWindows(model, [Uint32Array.of(1, 2, 3, 4)], [ok, bad1, bad2], { backend: 'cpu', onProgress: (p) => progress.push(p.stage) }),
      /^Error: 2 of 3 configurations are invalid: bad-a: quantization config: valueBits = 999 is outside \[2, 24\]; bad-b: quantization config: norm\.outBits = 1 is outside \[2, 30\]$/,
    );
    assert.deepEqual(progress, [], 'no forward ran');
    const good = await runOnWindows(model, [Uint32Array.of(1, 2, 3, 4)], [ok], { backend: 'cpu' });
    assert.equal(good.configs[0].error, undefined);
  });

  test('the TypeScript checks refuse exactly what the addon refuses, with the same message', () => {
    const base = QUANT_PRESETS['zk-8'];
    const headDim = 16;
    const sm = (patch: object) => ({ ...base, softmax: { ...base.softmax, ...patch } }) as unknown as QuantConfig;
    const variants: QuantConfig[] = [
      base,
      QUANT_PRESETS['anchor-acc'],
      { ...base, valueBits: 1 },
      { ...base, weightBits: 25 },
      { ...base, qkBits: 30 },
      { ...base, qkBits: 8, logitBits: 17 },
      { ...base, norm: { ...base.norm, tableBits: 3 } },
      { ...base, norm: { ...base.norm, outBits: 31 } },
      { ...base, valueBits: 16, weightBits: 2, norm: { ...base.norm, outBits: 8 } },
      { ...base, silu: { ...base.silu, inBits: 40 } },
      { ...base, silu: { ...base.silu, tableBits: 27 } },
      sm({ segmentBits: [] }),
      sm({ segmentBits: [4, 30, 10] }),
      sm({ segmentBits: [20, 20, 20, 20] }),
      sm({ rangeOnly: 3 }),
      sm({ thetaBits: [8] }),
      sm({ thetaBits: [54, 8] }),
      sm({ productRescaleBits: [] }),
      sm({ thetaBits: [40, 30], productRescaleBits: [0] }),
      sm({ outputRescaleBits: [8, 7] }),
      sm({ outputRescaleBits: [16, 0] }),
      { ...QUANT_PRESETS['anchor-acc'], softmax: { kind: 'float-exp', probBits: 53, outputRescaleBits: [53] } },
      resolveQuantConfig({ preset: 'zk-12-clamp', valueBits: 10 }),
    ];
    let refused = 0;
    for (const c of variants) {
      let ts: string | undefined;
      let nat: string | undefined;
      try {
        // native softmax_rows checks with the default eps 1e-6
        checkQuantConfigForModel(c, { headDim, rmsNormEps: 1e-6 });
      } catch (e) {
        ts = (e as Error).message;
      }
      try {
        native().quantSoftmax(new BigInt64Array(2), 1, 2, false, toNativeQuantConfig(c), headDim, 'cpu');
      } catch (e) {
        nat = (e as Error).message.replace(/^quantSoftmax: /, '');
      }
      assert.equal(ts, nat, `${JSON.stringify(c)}`);
      if (ts) refused++;
    }
    assert.ok(refused >= variants.length - 3, `${refused} refused`);
  });

  test('a configuration that fails while running: its row says why, the others are reported, exit code 1', () => {
    const config = '{"preset":"readme-2","name":"too-narrow","logitBits":12,"qkBits":6}';
    const r = zkllm(['acc', '--model', STANDIN_DIR, '--seq-len', '16', '--samples', '1', '--backend', 'cpu', '--quiet', '--config', config]);
    assert.equal(r.status, 1, shown(r));
    assert.match(r.stdout, /too-narrow\s+\S+\s+\S+\s+\S+\s+error\s+window 0: layer 0 \(attention\): zkAttn: shifted logit/, shown(r));
    assert.doesNotMatch(r.stdout, /forward(Async)?:/, 'no internal names');
    assert.match(r.stderr, /^zkllm acc: 1 of 1 configuration failed: too-narrow \(window 0: layer 0/m, shown(r));
  });

  test('expandConfigs still resolves good configurations', () => {
    assert.deepEqual(expandConfigs(['zk-8,readme-2']).map((c) => c.name), ['zk-8', 'readme-2']);
    assert.doesNotThrow(() => validateConfigs(expandConfigs(['sweep']), { headDim: 32, rmsNormEps: 1e-5 }));
  });
});

describe('issue 12 item 9: --out is checked before the experiment', () => {
  for (const [why, out, re] of [
    ['a folder that does not exist', '/nonexistent/x.json', /--out \/nonexistent\/x\.json: the folder \/nonexistent does not exist/],
    ['a folder', os.tmpdir(), /--out .* is a folder; give a file name/],
    ['an empty name', '', /--out needs a file name, got an empty string/],
  ] as const) {
    test(`--out: ${why}: exit code 2 before any window`, () => {
      const t0 = Date.now();
      const r = zkllm(['acc', ...STANDIN_ARGS, '--out', out]);
      assert.equal(r.status, 2, shown(r));
      assert.match(r.stderr, re, shown(r));
      assert.doesNotMatch(r.stderr, /window/, 'no window ran');
      assert.ok(Date.now() - t0 < 10_000);
    });
  }

  test('--out with no value is a usage error, at the end of the line or before another flag', () => {
    for (const tail of [['--out'], ['--out', '--json']]) {
      const r = zkllm(['acc', ...STANDIN_ARGS, ...tail]);
      assert.equal(r.status, 2, shown(r));
      assert.match(r.stdout + r.stderr, /--out needs a value/, shown(r));
    }
  });

  test('a good --out gets the JSON result, written whole, with no probe or temporary file left', () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'out-'));
    const file = path.join(dir, 'result.json');
    const r = zkllm(['acc', ...STANDIN_ARGS, '--quiet', '--json', '--out', file]);
    assert.equal(r.status, 0, shown(r));
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), JSON.parse(r.stdout));
    assert.deepEqual(fs.readdirSync(dir), ['result.json']);
  });
});
