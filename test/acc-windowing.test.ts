// Windowing modes: the number of windows and of scored predictions, counted by hand on a stream of
// 100 tokens; Python's random stream (values printed by CPython 3); the token-weighted mean loss;
// and the experiment scoring exactly the predictions a window says.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LlamaConfig } from "../acc/llama-config";
import { runOnWindows } from "../acc/experiment";
import { LlamaRunner } from "../acc/llama-runner";
import { meanOf, summarizeWindowLosses } from "../acc/metrics";
import { PythonRandom } from "../acc/python-random";
import { resolveQuantConfig } from "../acc/quant-config";
import { makeWindows, scoredCount, windowingRecord, type EvalWindow, type WindowingSpec } from "../acc/windowing";
import { randomLlamaModel } from "./acc-random-model";

const N = 100;
const stream = Uint32Array.from({ length: N }, (_, i) => i + 10); // ids 10..109: token i is i + 10
const BOS = 1;

/** The stream positions whose prediction a window scores (targets), as stream indices. */
function scoredTargets(w: EvalWindow, bos: boolean): number[] {
  const out: number[] = [];
  for (let t = w.scoreFrom; t < w.tokens.length - 1; t++) {
    const target = w.tokens[t + 1];
    out.push(target - 10);
  }
  assert.ok(!bos || w.tokens[0] === BOS);
  return out;
}

function summary(spec: WindowingSpec) {
  const ws = makeWindows(stream, spec);
  return { ws, n: ws.length, scored: ws.reduce((a, w) => a + scoredCount(w), 0), len: ws[0].tokens.length };
}

test("chunks: floor(100 / 16) = 6 windows of 16, 15 predictions each (90)", () => {
  const { ws, n, scored, len } = summary({ mode: "chunks", seqLen: 16, maxWindows: 256 });
  assert.deepEqual([n, scored, len], [6, 90, 16]);
  assert.deepEqual(Array.from(ws[5].tokens.subarray(0, 2)), [90, 91]); // window 5 starts at token 80
  assert.equal(summary({ mode: "chunks", seqLen: 16, maxWindows: 4 }).n, 4);
});

test("chunks-plus-one: floor(100 / 17) = 5 windows of 17, 16 predictions each (80)", () => {
  const { ws, n, scored, len } = summary({ mode: "chunks-plus-one", seqLen: 16, maxWindows: 256 });
  assert.deepEqual([n, scored, len], [5, 80, 17]);
  // Non-overlapping: window 1 starts right after window 0's 17th token.
  assert.equal(ws[1].tokens[0], 17 + 10);
});

test("BOS per window: 15 stream tokens after BOS, floor(100 / 15) = 6 windows, every window's 15 predictions are stream tokens", () => {
  const { ws, n, scored, len } = summary({ mode: "chunks", seqLen: 16, maxWindows: 256, bosPerWindow: BOS });
  assert.deepEqual([n, scored, len], [6, 90, 16]);
  const targets = ws.flatMap((w) => scoredTargets(w, true));
  assert.deepEqual(targets, Array.from({ length: 90 }, (_, i) => i)); // stream tokens 0..89, each once
  const plus = summary({ mode: "chunks-plus-one", seqLen: 16, maxWindows: 256, bosPerWindow: BOS });
  assert.deepEqual([plus.n, plus.scored, plus.len], [6, 96, 17]);
});

test("sliding, stride 4: starts 0, 4, .., 84 = 22 windows; 15 + 21 x 4 = 99 predictions, each of tokens 1..99 once", () => {
  const { ws, n, scored } = summary({ mode: "sliding", seqLen: 16, stride: 4, maxWindows: 256 });
  assert.deepEqual([n, scored], [22, 99]);
  const targets = ws.flatMap((w) => scoredTargets(w, false));
  assert.deepEqual(targets, Array.from({ length: 99 }, (_, i) => i + 1));
  // Each later window predicts its last 4 tokens with at least 11 tokens of context.
  assert.ok(ws.slice(1).every((w) => w.scoreFrom === 11));
  const wide = summary({ mode: "sliding", seqLen: 16, stride: 15, maxWindows: 256 });
  assert.deepEqual([wide.n, wide.scored], [6, 90]); // starts 0, 15, .., 75: same tokens as chunks
  assert.throws(() => makeWindows(stream, { mode: "sliding", seqLen: 16, stride: 16, maxWindows: 9 }), /stride 16 must be at most seqLen - 1 = 15/);
  assert.throws(() => makeWindows(stream, { mode: "sliding", seqLen: 16, maxWindows: 9 }), /stride must be an integer >= 1/);
});

test("random: exactly `samples` windows at Python's random.seed(0); randint(0, 84) starts", () => {
  const { ws, n, scored } = summary({ mode: "random", seqLen: 16, seed: 0, maxWindows: 5 });
  assert.deepEqual([n, scored], [5, 75]);
  // CPython: random.seed(0); [random.randint(0, 84) for _ in range(5)] == [49, 53, 5, 33, 65]
  assert.deepEqual(ws.map((w) => w.tokens[0] - 10), [49, 53, 5, 33, 65]);
  assert.throws(() => makeWindows(stream, { mode: "random", seqLen: 16, maxWindows: 5 }), /random needs an integer seed/);
  const rec = windowingRecord({ mode: "random", seqLen: 16, seed: 0, maxWindows: 5 }, ws, N);
  assert.deepEqual(rec, { mode: "random", seed: 0, bosPerWindow: false, windowTokens: 16, windows: 5, scoredTokens: 75, streamTokens: 100 });
});

test("Python's random: MT19937 words and randint match CPython for small and multi-word seeds", () => {
  // CPython 3: random.seed(0); [random.getrandbits(32) for _ in range(3)]
  const r0 = new PythonRandom(0);
  assert.deepEqual([r0.getrandbits(32), r0.getrandbits(32), r0.getrandbits(32)], [3626764237, 1654615998, 3255389356]);
  // random.seed(2**33 + 7): the seed spans two 32-bit words.
  const r1 = new PythonRandom(2 ** 33 + 7);
  assert.deepEqual([r1.getrandbits(32), r1.getrandbits(32)], [3024930075, 3803530016]);
  // random.seed(12345); [random.randint(0, 2**31) for _ in range(3)]: 32-bit draws with rejection.
  const r2 = new PythonRandom(12345);
  assert.deepEqual([0, 1, 2].map(() => r2.randint(0, 2 ** 31)), [1789368711, 43676229, 1282648386]);
  const r3 = new PythonRandom(0);
  assert.deepEqual([0, 1, 2, 3, 4].map(() => r3.randint(0, 10)), [6, 6, 0, 4, 8]);
});

test("too short a stream and bad parameters are clear errors", () => {
  assert.throws(() => makeWindows(stream.subarray(0, 10), { mode: "chunks", seqLen: 16, maxWindows: 1 }), /10 tokens are fewer than one window of 16/);
  assert.throws(() => makeWindows(stream, { mode: "strided" as never, seqLen: 16, maxWindows: 1 }), /unknown windowing "strided"/);
  assert.throws(() => makeWindows(stream, { mode: "chunks", seqLen: 1, maxWindows: 1 }), /seqLen must be an integer >= 2/);
});

test("the mean loss weights each window by its scored predictions (hand-computed)", () => {
  // Window losses 1 (3 predictions) and 2 (1 prediction): (3 + 2) / 4 = 1.25.
  const s = summarizeWindowLosses([1, 2], [3, 1]);
  assert.equal(s.meanLoss, 1.25);
  assert.equal(s.meanWindowPerplexity, (Math.E + Math.E ** 2) / 2); // the anchor's metric stays per window
  assert.equal(summarizeWindowLosses([1, 2], [4, 4]).meanLoss, 1.5);
  assert.throws(() => summarizeWindowLosses([1, 2], [3]), /one positive scored count per window/);
});

const TINY: LlamaConfig = {
  hiddenSize: 16,
  intermediateSize: 24,
  numHiddenLayers: 1,
  numAttentionHeads: 2,
  numKeyValueHeads: 2,
  headDim: 8,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  vocabSize: 120,
  tieWordEmbeddings: false,
  maxPositionEmbeddings: 64,
};

test("the experiment averages exactly the scored predictions of each window", async () => {
  const model = randomLlamaModel(TINY, 7, 0.3);
  const ws = makeWindows(stream, { mode: "sliding", seqLen: 16, stride: 4, maxWindows: 3 });
  const runner = new LlamaRunner(model);
  const config = resolveQuantConfig("zk-12");
  const r = await runOnWindows(model, ws, [config], { backend: "cpu" });
  // Direct: the forward's per-position losses, cut where each window says.
  const fl = ws.map((w) => Array.from(runner.forward(w.tokens, { backend: "cpu" }).losses).slice(w.scoreFrom));
  const ql = ws.map((w) => Array.from(runner.forward(w.tokens, { backend: "cpu", quant: config }).losses).slice(w.scoreFrom));
  assert.deepEqual(fl.map((l) => l.length), [15, 4, 4]);
  const flat = (ls: number[][]) => ls.flat().reduce((a, b) => a + b, 0) / ls.flat().length;
  assert.ok(Math.abs(r.float.meanLoss - flat(fl)) < 1e-12);
  assert.ok(Math.abs(r.configs[0].perplexity!.meanLoss - flat(ql)) < 1e-12);
  assert.ok(Math.abs(r.float.meanWindowPerplexity - meanOf(fl.map((l) => Math.exp(meanOf(l))))) < 1e-9);
  assert.equal(r.data.scoredTokens, 23);
  assert.equal(r.data.seqLen, 16);
});
