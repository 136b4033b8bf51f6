import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LlamaModel, loadLlamaModel, writeLlamaCheckpoint } from "../acc/checkpoint";
import { LlamaConfig } from "../acc/llama-config";
import { meanOf, nextTokenLosses, summarizeWindowLosses } from "../acc/metrics";
import { applyRope, causalAttention, referenceForward, referenceWindowLosses, rmsNorm } from "../acc/reference-forward";
import { randomLlamaModel, seededUniform } from "./acc-random-model";

const CONFIG: LlamaConfig = {
  hiddenSize: 16,
  intermediateSize: 20,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  numKeyValueHeads: 2,
  headDim: 4,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  vocabSize: 13,
  tieWordEmbeddings: false,
  maxPositionEmbeddings: 64,
};

function randomTokens(n: number, vocab: number, seed: number): number[] {
  const r = seededUniform(seed);
  return Array.from({ length: n }, () => Math.floor(r() * vocab));
}

test("metrics: uniform logits give loss ln(V) and perplexity V under both definitions", () => {
  const V = 50;
  const T = 9;
  const logits = new Float64Array(T * V).fill(3.25);
  const losses = nextTokenLosses(logits, randomTokens(T, V, 1), V);
  assert.equal(losses.length, T - 1);
  for (const l of losses) assert.ok(Math.abs(l - Math.log(V)) < 1e-12);
  const s = summarizeWindowLosses([meanOf(losses), meanOf(losses)]);
  assert.ok(Math.abs(s.perplexityOfMeanLoss - V) < 1e-9);
  assert.ok(Math.abs(s.meanWindowPerplexity - V) < 1e-9);
});

test("metrics: a hand-checkable two-token case and the two perplexity definitions", () => {
  // Row 0 favours token 1 with logits (0, ln 3): p(1) = 3/4, so the loss of target 1 is ln(4/3).
  const logits = Float64Array.of(0, Math.log(3), 0, 0);
  assert.ok(Math.abs(nextTokenLosses(logits, [0, 1], 2)[0] - Math.log(4 / 3)) < 1e-12);
  assert.ok(Math.abs(nextTokenLosses(logits, [0, 0], 2)[0] - Math.log(4)) < 1e-12);
  // Windows with losses ln 2 and ln 8: exp(mean) = 4, the anchor's mean of perplexities = 5.
  const s = summarizeWindowLosses([Math.log(2), Math.log(8)]);
  assert.ok(Math.abs(s.perplexityOfMeanLoss - 4) < 1e-12);
  assert.ok(Math.abs(s.meanWindowPerplexity - 5) < 1e-12);
  assert.throws(() => nextTokenLosses(logits, [0, 2], 2), /target token 2 at position 1 is outside/);
  assert.throws(() => nextTokenLosses(logits, [0], 2), /at least 2 tokens/);
  assert.throws(() => summarizeWindowLosses([NaN]), /non-finite/);
});

test("rmsNorm and RoPE match hand computations", () => {
  const y = rmsNorm(Float64Array.of(3, 4), 1, 2, Float32Array.of(1, 2), 0);
  const rms = Math.sqrt((9 + 16) / 2);
  assert.ok(Math.abs(y[0] - 3 / rms) < 1e-12 && Math.abs(y[1] - 8 / rms) < 1e-12);
  // headDim 4: pairs (0, 2) and (1, 3) rotate by angles t * theta^0 and t * theta^(-1/2).
  const x = Float64Array.of(1, 0, 0, 1, /* position 1: */ 1, 0, 0, 1);
  const theta = 100;
  const half = 2;
  const cos = new Float64Array(2 * half);
  const sin = new Float64Array(2 * half);
  for (let t = 0; t < 2; t++) {
    for (let i = 0; i < half; i++) {
      const a = t * Math.pow(theta, (-2 * i) / 4);
      cos[t * half + i] = Math.cos(a);
      sin[t * half + i] = Math.sin(a);
    }
  }
  applyRope(x, 2, 1, 4, cos, sin);
  assert.deepEqual(Array.from(x.subarray(0, 4)), [1, 0, 0, 1]);
  // rotate_half: (x0, x1, x2, x3) -> (x0 c0 - x2 s0, x1 c1 - x3 s1, x2 c0 + x0 s0, x3 c1 + x1 s1).
  const expect = [Math.cos(1), -Math.sin(0.1), Math.sin(1), Math.cos(0.1)];
  expect.forEach((v, i) => assert.ok(Math.abs(x[4 + i] - v) < 1e-12, `rope[${i}]`));
});

test("attention is causal: changing a later token leaves earlier logits unchanged", () => {
  const model = randomLlamaModel(CONFIG, 3);
  const a = randomTokens(12, CONFIG.vocabSize, 4);
  const b = a.slice();
  b[8] = (b[8] + 1) % CONFIG.vocabSize;
  const la = referenceForward(model, a);
  const lb = referenceForward(model, b);
  const V = CONFIG.vocabSize;
  assert.deepEqual(la.subarray(0, 8 * V), lb.subarray(0, 8 * V));
  assert.notDeepEqual(la.subarray(8 * V), lb.subarray(8 * V));
});

test("forward is deterministic and survives a checkpoint round trip bit for bit", () => {
  const model = randomLlamaModel(CONFIG, 5);
  const tokens = randomTokens(10, CONFIG.vocabSize, 6);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acc-fwd-"));
  writeLlamaCheckpoint(dir, model);
  const loaded = loadLlamaModel(dir);
  const a = referenceForward(model, tokens);
  assert.deepEqual(referenceForward(model, tokens), a);
  assert.deepEqual(referenceForward(loaded, tokens), a);
  assert.ok(a.every(Number.isFinite));
});

test("grouped-query attention equals multi-head attention with each key/value head repeated", () => {
  const gqa = randomLlamaModel(CONFIG, 7);
  const group = CONFIG.numAttentionHeads / CONFIG.numKeyValueHeads;
  const D = CONFIG.hiddenSize;
  const hd = CONFIG.headDim;
  const repeatHeads = (w: Float32Array) => {
    const out = new Float32Array(CONFIG.numAttentionHeads * hd * D);
    for (let h = 0; h < CONFIG.numAttentionHeads; h++) {
      const src = Math.floor(h / group);
      out.set(w.subarray(src * hd * D, (src + 1) * hd * D), h * hd * D);
    }
    return out;
  };
  const mha: LlamaModel = {
    config: { ...CONFIG, numKeyValueHeads: CONFIG.numAttentionHeads },
    weights: { ...gqa.weights, layers: gqa.weights.layers.map((l) => ({ ...l, kProj: repeatHeads(l.kProj), vProj: repeatHeads(l.vProj) })) },
  };
  const tokens = randomTokens(9, CONFIG.vocabSize, 8);
  const a = referenceForward(gqa, tokens);
  const b = referenceForward(mha, tokens);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-12 * (1 + Math.abs(v)), `logit ${i}`));
});

test("attention with equal keys averages the values (uniform weights over the causal prefix)", () => {
  const config = { ...CONFIG, numAttentionHeads: 1, numKeyValueHeads: 1, headDim: 4 };
  const T = 5;
  const q = new Float64Array(T * 4).map((_, i) => (i % 7) - 3);
  const k = new Float64Array(T * 4).fill(0.5);
  const v = new Float64Array(T * 4).map((_, i) => i);
  const out = causalAttention(q, k, v, T, config);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < 4; i++) {
      let mean = 0;
      for (let j = 0; j <= t; j++) mean += v[j * 4 + i];
      assert.ok(Math.abs(out[t * 4 + i] - mean / (t + 1)) < 1e-12);
    }
  }
});

test("a model whose lm_head is zero predicts uniformly: perplexity equals the vocabulary size", () => {
  const model = randomLlamaModel(CONFIG, 11);
  const zeroHead: LlamaModel = { ...model, weights: { ...model.weights, lmHead: new Float32Array(model.weights.lmHead.length) } };
  const windows = [randomTokens(8, CONFIG.vocabSize, 12), randomTokens(8, CONFIG.vocabSize, 13)];
  const s = summarizeWindowLosses(referenceWindowLosses(zeroHead, windows));
  assert.ok(Math.abs(s.perplexityOfMeanLoss - CONFIG.vocabSize) < 1e-9);
  assert.ok(Math.abs(s.meanWindowPerplexity - CONFIG.vocabSize) < 1e-9);
  // The untouched random model is not uniform.
  const r = summarizeWindowLosses(referenceWindowLosses(model, windows));
  assert.ok(Math.abs(r.perplexityOfMeanLoss - CONFIG.vocabSize) > 0.01);
});

test("referenceForward rejects tokens outside the vocabulary", () => {
  const model = randomLlamaModel(CONFIG, 1);
  assert.throws(() => referenceForward(model, [1, 13]), /token 13 at position 1 is outside the vocabulary \[0, 13\)/);
  assert.throws(() => referenceForward(model, []), /empty token window/);
});
