// The native fixed-point forward against the independent TypeScript model of it
// (acc/fixed-point-reference.ts), bit for bit, on small random models and several configurations;
// and the deterministic exp/log it relies on.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LlamaConfig } from "../acc/llama-config";
import { detExp, detLog, frexp, ldexp } from "../acc/deterministic-math";
import { fixedPointReference, quantize, rescale } from "../acc/fixed-point-reference";
import { LlamaRunner } from "../acc/llama-runner";
import { resolveQuantConfig, type QuantConfig } from "../acc/quant-config";
import { randomLlamaModel } from "./acc-random-model";
import { Rng } from "./helpers/rng";

const TINY: LlamaConfig = {
  hiddenSize: 24,
  intermediateSize: 40,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  numKeyValueHeads: 2,
  headDim: 8,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  vocabSize: 50,
  tieWordEmbeddings: false,
  maxPositionEmbeddings: 128,
};

function ulpDistance(a: number, b: number): number {
  if (a === b) return 0;
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  return Number(buf.getBigInt64(0) - buf.getBigInt64(8));
}

test("deterministic exp/log: within a few ulp of Math.exp/Math.log over the ranges the forward uses", () => {
  const rng = new Rng("det-math");
  let worstExp = 0, worstLog = 0;
  for (let i = 0; i < 20000; i++) {
    const x = -745 + (rng.u32() / 2 ** 32) * 1450;
    const e = Math.exp(x);
    if (e > 1e-300 && Number.isFinite(e)) worstExp = Math.max(worstExp, Math.abs(ulpDistance(detExp(x), e)));
    const y = 2 ** (-60 + (rng.u32() / 2 ** 32) * 120) * (1 + rng.u32() / 2 ** 32);
    worstLog = Math.max(worstLog, Math.abs(ulpDistance(detLog(y), Math.log(y))));
  }
  // Measured over 2e6 samples: exp <= 1 ulp, log <= 3 ulp (near 1, where the result is small).
  assert.ok(worstExp <= 2, `exp: ${worstExp} ulp ${rng.tag}`);
  assert.ok(worstLog <= 4, `log: ${worstLog} ulp ${rng.tag}`);
  assert.equal(detExp(0), 1);
  assert.equal(detLog(1), 0);
  assert.equal(detExp(-800), 0);
  assert.equal(detExp(800), Infinity);
  for (const v of [1, 0.75, 3e-310, 1e300, 5]) {
    const [m, e] = frexp(v);
    assert.equal(ldexp(m, e), v);
    assert.ok(Math.abs(m) >= 0.5 && Math.abs(m) < 1);
  }
});

test("fixed-point primitives: rescale rounds half up or half away from zero; quantize is llround", () => {
  assert.equal(rescale(5n, 1, "half-up"), 3n); // 2.5 -> 3
  assert.equal(rescale(-5n, 1, "half-up"), -2n); // -2.5 -> -2
  assert.equal(rescale(-5n, 1, "half-away"), -3n);
  assert.equal(rescale(-7n, 2, "half-up"), -2n); // -1.75
  assert.equal(rescale(6n, 2, "half-away"), 2n); // 1.5
  assert.equal(quantize(-2.5, 0), -3n);
  assert.equal(quantize(2.5, 0), 3n);
  assert.equal(quantize(0.49999999999999994, 0), 0n);
});

function variant(name: string, patch: object): QuantConfig {
  return resolveQuantConfig({ preset: name, ...patch });
}

const CONFIGS: QuantConfig[] = [
  resolveQuantConfig("anchor-attn"),
  resolveQuantConfig("anchor-acc"),
  resolveQuantConfig("readme-2"),
  resolveQuantConfig("zk-8"),
  // Indicator segment, a product rescale, a logit rescale, half-away rounding and GQA all at once.
  variant("zk-12", {
    rounding: "half-away",
    logitBits: 14,
    softmax: { kind: "zkattn", segmentBits: [6, 10, 10, 4], rangeOnly: 1, indicator: 1, thetaBits: [14, 14], productRescaleBits: [8], outputRescaleBits: [10, 10] },
  }),
];

for (const config of CONFIGS) {
  test(`quantized forward (${config.name}): every layer's int64 residual equals the TypeScript reference bit for bit`, () => {
    const rng = new Rng(`fixed-point/${config.name}`);
    const model = randomLlamaModel(TINY, rng.u32(), 0.3);
    const tokens = Uint32Array.from({ length: 23 }, () => rng.int(TINY.vocabSize));
    const runner = new LlamaRunner(model);
    const got = runner.forward(tokens, { backend: "cpu", quant: config, intStates: true });
    const ref = fixedPointReference(model, tokens, config);
    const { hiddenSize: D, numHiddenLayers: L } = TINY;
    assert.equal(got.intStates!.length, L * tokens.length * D);
    for (let l = 0; l < L; l++) {
      const nat = got.intStates!.subarray(l * tokens.length * D, (l + 1) * tokens.length * D);
      const first = ref.states[l].findIndex((v, i) => v !== nat[i]);
      assert.equal(first, -1, `layer ${l}, element ${first}: native ${nat[first]} vs reference ${ref.states[l][first]} ${rng.tag}`);
    }
    assert.deepEqual(Array.from(got.finalState!), ref.states[L - 1].map(Number).map(BigInt));
    // The float tail (final norm, lm_head) sees these states: losses are finite and positive.
    assert.equal(got.losses.length, tokens.length - 1);
    for (const v of got.losses) assert.ok(Number.isFinite(v) && v > 0);
  });
}

test("quantized forward: the Promise version gives the same result", async () => {
  const rng = new Rng("fixed-point/async");
  const model = randomLlamaModel(TINY, rng.u32(), 0.3);
  const tokens = Uint32Array.from({ length: 17 }, () => rng.int(TINY.vocabSize));
  const runner = new LlamaRunner(model);
  const config = resolveQuantConfig("anchor-attn");
  const [a, b] = await Promise.all([
    runner.forwardAsync(tokens, { backend: "cpu", quant: config, intStates: true }),
    runner.forwardAsync(tokens, { backend: "cpu", quant: config, intStates: true }),
  ]);
  const sync = runner.forward(tokens, { backend: "cpu", quant: config, intStates: true });
  assert.deepEqual(a.intStates, sync.intStates);
  assert.deepEqual(b.losses, sync.losses);
});
