// The native forwards on the stand-in model and the accuracy experiment around them: the float32
// forward against the TypeScript float64 reference and the recipe's losses, the fixed-point
// forward's perplexity at high precision, the per-layer report, the tlookup accounting, the CLI,
// and clear errors for bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { loadLlamaModel } from "../acc/checkpoint";
import { shippedCorpusTokens, tokenWindows } from "../acc/corpus";
import { expandConfigs, runAccuracyExperiment, runOnWindows } from "../acc/experiment";
import type { LlamaConfig } from "../acc/llama-config";
import { LlamaRunner } from "../acc/llama-runner";
import { meanOf } from "../acc/metrics";
import { QUANT_PRESETS, SWEEP_PRESETS, resolveQuantConfig } from "../acc/quant-config";
import { referenceForward } from "../acc/reference-forward";
import { tlookupAccounting } from "../acc/tlookup-accounting";
import { CheckpointTokenizer } from "../acc/tokenizer";
import { native } from "../src/bindings/native";
import { randomLlamaModel } from "./acc-random-model";
import { Rng } from "./helpers/rng";

const ROOT = path.resolve(__dirname, "..", "..");
const STANDIN_DIR = path.join(ROOT, "data", "models", "standin");
const standin = loadLlamaModel(STANDIN_DIR);
let heldOut: Uint32Array | undefined;
function heldOutTokens(): Uint32Array {
  heldOut ??= shippedCorpusTokens(CheckpointTokenizer.fromDirectory(STANDIN_DIR), "heldOut");
  return heldOut;
}

test("float forward: native float32 logits match the TypeScript float64 reference (stand-in, and a GQA model)", () => {
  const runner = new LlamaRunner(standin);
  const w = tokenWindows(heldOutTokens(), 40, 1)[0];
  const got = runner.forward(w, { backend: "cpu", logits: true });
  const ref = referenceForward(standin, w);
  let maxDiff = 0, maxAbs = 0;
  for (let i = 0; i < ref.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(ref[i] - got.logits![i]));
    maxAbs = Math.max(maxAbs, Math.abs(ref[i]));
  }
  assert.ok(maxDiff < 1e-4 * maxAbs, `max logit difference ${maxDiff} (max |logit| ${maxAbs})`);

  const gqa: LlamaConfig = { ...standin.config, hiddenSize: 32, intermediateSize: 48, numHiddenLayers: 2, numAttentionHeads: 8, numKeyValueHeads: 2, headDim: 6, vocabSize: 40, tieWordEmbeddings: false };
  const rng = new Rng("forward/gqa");
  const model = randomLlamaModel(gqa, rng.u32(), 0.4);
  const tokens = Uint32Array.from({ length: 29 }, () => rng.int(gqa.vocabSize));
  const a = new LlamaRunner(model).forward(tokens, { backend: "cpu", logits: true }).logits!;
  const b = referenceForward(model, tokens);
  const worst = b.reduce((m, v, i) => Math.max(m, Math.abs(v - a[i]) / (1 + Math.abs(v))), 0);
  assert.ok(worst < 1e-4, `GQA model: ${worst} ${rng.tag}`);
});

test("float forward: native losses reproduce the training recipe's held-out window losses", () => {
  const recipe = JSON.parse(fs.readFileSync(path.join(STANDIN_DIR, "reference_losses.json"), "utf8")) as { windows: number[][]; losses: number[] };
  const runner = new LlamaRunner(standin);
  recipe.windows.forEach((w, i) => {
    const loss = meanOf(runner.forward(Uint32Array.from(w), { backend: "cpu" }).losses);
    assert.ok(Math.abs(loss - recipe.losses[i]) / recipe.losses[i] < 1e-4, `window ${i}: ${loss} vs ${recipe.losses[i]}`);
  });
});

test("experiment: at the anchor's precision the quantized perplexity is within 1% of float, with small per-layer errors", async () => {
  const windows = tokenWindows(heldOutTokens(), 64, 4);
  const progress: string[] = [];
  const r = await runOnWindows(standin, windows, expandConfigs(["anchor-attn"]), { backend: "cpu", onProgress: (p) => progress.push(`${p.window}:${p.stage}`) });
  assert.equal(r.data.windows, 4);
  assert.deepEqual(progress.slice(0, 3), ["0:float", "0:anchor-attn", "1:float"]);
  const c = r.configs[0];
  assert.equal(c.error, undefined);
  for (const key of ["perplexityOfMeanLoss", "meanWindowPerplexity"] as const) {
    const ch = c.change![key];
    assert.ok(Math.abs(ch.relative) < 0.01, `${key}: float ${ch.float}, quantized ${ch.quantized}`);
    assert.ok(ch.float > 1 && ch.float < 1000);
  }
  assert.equal(c.layers!.length, standin.config.numHiddenLayers);
  for (const L of c.layers!) {
    assert.ok(L.stateRelRmsErr > 0 && L.stateRelRmsErr < 1e-2, `layer ${L.layer}: ${L.stateRelRmsErr}`);
    assert.ok(L.attnMaxAbsErr > 0 && L.attnMaxAbsErr < 1e-4);
    assert.ok(L.normShift[0] >= 0 && L.normShift[1] >= 0);
  }
  const bound = c.attention!.rowSumBound;
  assert.ok(1 - c.attention!.rowSumMaxDev >= bound.lower && 1 + c.attention!.rowSumMaxDev <= bound.upper);
  assert.equal(c.tlookups.totals.perZkAttn, 5);
});

test("experiment: a coarse configuration loses more than the anchor's, and a failing one reports its error", async () => {
  const windows = tokenWindows(heldOutTokens(), 48, 2);
  const tooNarrow = resolveQuantConfig({ preset: "readme-2", name: "too-narrow", logitBits: 12, qkBits: 6 });
  const r = await runOnWindows(standin, windows, expandConfigs(["anchor-attn,zk-8"]).concat([tooNarrow]), { backend: "cpu" });
  const [fine, coarse, failed] = r.configs;
  assert.ok(coarse.layers![5].stateRelRmsErr > 10 * fine.layers![5].stateRelRmsErr);
  assert.ok(coarse.attention!.maxAbsErr > 10 * fine.attention!.maxAbsErr);
  assert.match(failed.error ?? "", /window 0: (forward: )?layer \d \(attention\): zkAttn: shifted logit z = \d+ .* beyond the digit budget 2\^16/);
  assert.equal(failed.perplexity, undefined);
});

test("tlookup accounting: the anchor's 5 (attn mode) and 6 (head mode), the README's 5 and 2 of range 2^16", () => {
  const shape = { hiddenSize: 4096, intermediateSize: 11008, numHiddenLayers: 32, numAttentionHeads: 32, numKeyValueHeads: 32, headDim: 128 };
  const T = 2048;
  const acct = (name: string) => tlookupAccounting(QUANT_PRESETS[name], shape, T);
  const attn = acct("anchor-attn");
  assert.equal(attn.totals.perZkAttn, 5);
  assert.deepEqual(attn.perZkAttn.map((x) => [x.kind, x.tableBits, x.entries]), [
    ["range", 8, T * T],
    ["mapping", 20, T * T],
    ["mapping", 20, T * T],
    ["range", 20, T * 128],
    ["range", 20, T * 128],
  ]);
  assert.equal(acct("anchor-head").totals.perZkAttn, 6);
  assert.equal(acct("anchor-16x3").totals.perZkAttn, 4);
  const r5 = acct("readme-5");
  assert.equal(r5.totals.perZkAttn, 5);
  assert.ok(r5.perZkAttn.every((x) => x.tableBits === 16));
  const r2 = acct("readme-2");
  assert.equal(r2.totals.perZkAttn, 2);
  assert.ok(r2.perZkAttn.every((x) => x.tableBits === 16));
  assert.deepEqual(acct("readme-2-clamp").perZkAttn.map((x) => [x.kind, x.tableBits]), [["mapping", 16], ["indicator", 8], ["range", 16]]);
  // Per layer: every head's zkAttn plus the layer's own rescales and tables, consistently summed.
  for (const a of [attn, r5, r2]) {
    const own = a.perLayerOutsideAttention.reduce((s, x) => s + x.count, 0);
    const bound = a.rowShiftBound.reduce((s, x) => s + x.count, 0);
    assert.ok(bound >= 1, "the row-sum bound check is counted");
    assert.equal(a.totals.perLayer, (a.totals.perZkAttn + bound) * 32 + own);
    assert.equal(a.totals.perModel, a.totals.perLayer * 32);
    assert.ok(a.provable);
  }
  // Rescales wider than the largest table are split into digits.
  const wide = tlookupAccounting(resolveQuantConfig({ preset: "anchor-attn", maxTableBits: 16 }), shape, T);
  assert.deepEqual(wide.perZkAttn.filter((x) => x.stage.startsWith("softmax.V")).map((x) => x.tableBits), [10, 10, 10, 10]);
  const floaty = acct("anchor-acc");
  assert.equal(floaty.provable, false);
  assert.ok(floaty.notes.some((n) => /exp computed in float/.test(n)));
  assert.ok(SWEEP_PRESETS.length >= 6);
});

test("runner: bad input is a clear Error", () => {
  const rng = new Rng("runner/errors");
  const config: LlamaConfig = { ...standin.config, hiddenSize: 8, intermediateSize: 12, numHiddenLayers: 1, numAttentionHeads: 2, numKeyValueHeads: 1, headDim: 4, vocabSize: 10, tieWordEmbeddings: false };
  const model = randomLlamaModel(config, rng.u32(), 0.3);
  const runner = new LlamaRunner(model);
  const ok = Uint32Array.of(1, 2, 3);
  assert.throws(() => runner.forward(Uint32Array.of(1, 10), { backend: "cpu" }), /token 10 at position 1 is outside the vocabulary \[0, 10\)/);
  assert.throws(() => runner.forward(Uint32Array.of(1), { backend: "cpu" }), /at least 2 tokens/);
  assert.throws(() => runner.forward(ok, { backend: "cpu", quant: resolveQuantConfig("anchor-attn"), compareStates: true }), /no float run of this window was kept/);
  assert.throws(() => native().LlamaRunner && runner.forward(ok, { backend: "gpu" as never }), /unknown backend 'gpu'/);
  if (native().info().devices.length === 0) assert.throws(() => runner.forward(ok, { backend: "cuda" }), /backend 'cuda' requested but no GPU is usable/);
  // Wrong shapes, a NaN weight, a missing tensor.
  const Runner = native().LlamaRunner;
  const shape = { ...config };
  const layer0 = model.weights.layers[0];
  assert.throws(() => new Runner(shape, { ...model.weights, layers: [{ ...layer0, qProj: new Float32Array(5) }] }), /weights\.layers\[0\]\.qProj has 5 elements, expected 64/);
  const nan = Float32Array.from(layer0.downProj);
  nan[3] = NaN;
  assert.throws(() => new Runner(shape, { ...model.weights, layers: [{ ...layer0, downProj: nan }] }), /weights\.layers\[0\]\.downProj\[3\] is not finite/);
  const { norm: _norm, ...noNorm } = model.weights;
  assert.throws(() => new Runner(shape, noNorm as never), /missing "norm"/);
  assert.throws(() => new Runner({ ...shape, numKeyValueHeads: 3 }, model.weights), /multiple of key\/value heads/);
  assert.throws(() => new Runner(shape, { ...model.weights, embedTokens: new Float64Array(80) as never }), /embedTokens must be a Float32Array/);
  // Weights that do not fit the configured scale.
  const big = randomLlamaModel(config, rng.u32(), 40000);
  assert.throws(() => new LlamaRunner(big).forward(ok, { backend: "cpu", quant: resolveQuantConfig("anchor-attn") }), /does not fit an int32 at scale 2\^16; lower weightBits/);
  // Configurations.
  assert.throws(() => resolveQuantConfig("no-such-preset"), /unknown quantization preset "no-such-preset"/);
  assert.throws(() => resolveQuantConfig('{"valueBits": 12,'), /not valid JSON/);
  assert.throws(() => resolveQuantConfig({ softmax: { kind: "zkattn", probBits: 3 } as never }), /softmax\.probBits does not apply/);
  assert.throws(() => resolveQuantConfig({ colour: 3 } as never), /unknown field "colour"/);
  assert.throws(
    () => runner.forward(ok, { backend: "cpu", quant: resolveQuantConfig({ preset: "anchor-attn", softmax: { outputRescaleBits: [20, 10] } }) }),
    /outputRescaleBits \[20,10\] must add up to the probabilities' scale bits 40/,
  );
  assert.throws(() => runner.forward(ok, { backend: "cpu", quant: resolveQuantConfig({ preset: "anchor-attn", thetaBits: 3 } as never) }), /unknown field "thetaBits"/);
});

test("CLI: zkllm acc prints JSON with both perplexities, the change, attention errors and tlookup counts", () => {
  const cli = path.join(ROOT, "dist", "src", "cli.js");
  const run = (args: string[]) => spawnSync(process.execPath, [cli, "acc", ...args], { encoding: "utf8", env: process.env });
  const r = run(["--model", STANDIN_DIR, "--seq-len", "24", "--samples", "2", "--config", "anchor-attn,readme-2", "--backend", "cpu", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.kind, "zkllm-acc");
  assert.equal(out.data.windows, 2);
  assert.equal(out.data.seqLen, 24);
  assert.equal(out.configs.length, 2);
  for (const c of out.configs) {
    assert.ok(c.perplexity.perplexityOfMeanLoss > 1 && c.perplexity.meanWindowPerplexity > 1);
    assert.equal(typeof c.change.perplexityOfMeanLoss.delta, "number");
    assert.ok(c.attention.maxAbsErr >= c.attention.meanAbsErr);
    assert.equal(c.layers.length, 6);
  }
  assert.deepEqual(out.configs.map((c: { tlookups: { totals: { perZkAttn: number } } }) => c.tlookups.totals.perZkAttn), [5, 2]);
  assert.match(r.stderr, /window 2\/2/);
  const text = run(["--model", STANDIN_DIR, "--seq-len", "16", "--samples", "1", "--backend", "cpu", "--quiet"]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /anchor-attn\s+5\+2\s+/);
  const bad = run(["--model", STANDIN_DIR, "--samples", "1"]);
  assert.equal(bad.status, 2, "a usage error (issue 12: exit code 2)");
  assert.match(bad.stderr, /--seq-len is required/);
  const badCfg = run(["--model", STANDIN_DIR, "--seq-len", "8", "--samples", "1", "--config", "nope"]);
  assert.equal(badCfg.status, 2, "a usage error (issue 12: exit code 2)");
  assert.match(badCfg.stderr, /unknown quantization preset "nope"/);
});

test("entry points: the accuracy API is acc's entry, not the main one", () => {
  const script =
    "const a = require('./dist/acc'); const k = require('./'); process.stdout.write(JSON.stringify([typeof a.runAccuracyExperiment, typeof a.LlamaRunner, typeof a.tlookupAccounting, a.SWEEP_PRESETS.length, typeof k.runAccuracyExperiment]))";
  const r = spawnSync(process.execPath, ["-e", script], {
    cwd: ROOT,
    encoding: "utf8",
    env: process.env,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ["function", "function", "function", SWEEP_PRESETS.length, "undefined"]);
});

test("experiment: --data takes a C4 validation shard, windowed as the anchor does", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acc-exp-c4-"));
  const file = path.join(dir, "c4-validation.00000-of-00008.json.gz");
  const docs = Array.from({ length: 1100 }, (_, i) => JSON.stringify({ text: `Document ${i} says the whale was seen near the ship.` }));
  fs.writeFileSync(file, zlib.gzipSync(docs.join("\n") + "\n"));
  const r = await runAccuracyExperiment({ modelDir: STANDIN_DIR, data: file, seqLen: 16, samples: 2, configs: ["anchor-attn"], backend: "cpu" });
  assert.equal(r.data.source, "C4 c4-validation.00000-of-00008.json.gz");
  assert.equal(r.data.windows, 2);
  assert.ok(r.configs[0].perplexity!.perplexityOfMeanLoss > 1);
  assert.equal(r.data.windowing?.format, "c4");
  assert.equal(r.data.windowing?.bos, "once");
  await assert.rejects(runAccuracyExperiment({ modelDir: STANDIN_DIR, data: path.join(dir, "x.txt"), seqLen: 16, samples: 1, configs: ["anchor-attn"] }), /data file not found: .*x\.txt/);
  fs.rmSync(dir, { recursive: true, force: true });
});
