// Half-to-even rounding of weights, embedding rows and RoPE's cos/sin (torch.round, the anchor's
// accuracy script): the TypeScript rule against a direct exact reference on ties, and the native
// forward against the TypeScript model on a model whose every weight is a tie.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LlamaConfig } from "../acc/llama-config";
import { fixedPointReference, quantize, roundHalfEven } from "../acc/fixed-point-reference";
import { LlamaRunner } from "../acc/llama-runner";
import { QUANT_PRESETS, resolveQuantConfig } from "../acc/quant-config";
import { randomLlamaModel } from "./acc-random-model";
import { Rng } from "./helpers/rng";

/**
 * Direct reference for a tie: v = (2k + 1) / 2^(s + 1) is exactly halfway between k / 2^s and
 * (k + 1) / 2^s; half-to-even picks whichever of k, k + 1 is even. Integer arithmetic only.
 */
function tieReference(k: bigint): bigint {
  return k % 2n === 0n ? k : k + 1n;
}

test("half-even: every tie goes to the even neighbour (exact reference), both signs, many scales", () => {
  const rng = new Rng("half-even/ties");
  for (let n = 0; n < 4000; n++) {
    const s = rng.int(17); // scales 2^0 .. 2^16
    const k = BigInt(rng.int(1 << 20)) - BigInt(1 << 19);
    const v = Number(2n * k + 1n) / 2 ** (s + 1); // exact in double: < 2^21 / 2^(s+1)
    const want = tieReference(k);
    assert.equal(quantize(v, s, "half-even"), want, `v = ${v}, s = ${s} ${rng.tag}`);
    // Half away from zero differs exactly when the even neighbour is the one nearer zero.
    const away = k >= 0n ? k + 1n : k;
    assert.equal(quantize(v, s, "half-away"), away, `v = ${v}, s = ${s} ${rng.tag}`);
  }
  // torch.round([0.5, 1.5, 2.5, -0.5, -1.5, -2.5]) = [0, 2, 2, -0, -2, -2] (the sign of zero is moot here).
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5].map((x) => roundHalfEven(x) + 0), [0, 2, 2, 0, -2, -2]);
});

test("half-even: away from ties it is plain rounding to nearest", () => {
  const rng = new Rng("half-even/non-ties");
  for (let n = 0; n < 4000; n++) {
    const x = (rng.u32() / 2 ** 32 - 0.5) * 2 ** (1 + rng.int(40));
    const f = Math.floor(x);
    if (x - f === 0.5) continue;
    const nearest = x - f < 0.5 ? f : f + 1;
    assert.equal(roundHalfEven(x), nearest, `x = ${x} ${rng.tag}`);
  }
  assert.equal(roundHalfEven(2 ** 53 + 2), 2 ** 53 + 2);
  assert.equal(roundHalfEven(0.49999999999999994), 0);
});

const TINY: LlamaConfig = {
  hiddenSize: 16,
  intermediateSize: 24,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  numKeyValueHeads: 2,
  headDim: 8,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  vocabSize: 40,
  tieWordEmbeddings: false,
  maxPositionEmbeddings: 64,
};

/** Moves every weight and embedding value onto a tie at 2^-bits (halfway between grid points). */
function tieModel(seed: number, bits: number) {
  const model = randomLlamaModel(TINY, seed, 0.3);
  const toTie = (a: Float32Array) => {
    for (let i = 0; i < a.length; i++) a[i] = (Math.floor(a[i] * 2 ** bits) + 0.5) / 2 ** bits;
  };
  const w = model.weights;
  toTie(w.embedTokens);
  for (const L of w.layers) for (const t of Object.values(L)) toTie(t);
  return model;
}

test("native forward with quantizeRounding half-even equals the TypeScript model on an all-ties model, and differs from half-away", () => {
  const rng = new Rng("half-even/forward");
  const bits = 10;
  const model = tieModel(rng.u32(), bits);
  const tokens = Uint32Array.from({ length: 19 }, () => rng.int(TINY.vocabSize));
  const runner = new LlamaRunner(model);
  const base = { preset: "zk-12", valueBits: bits, weightBits: bits, qkBits: bits, logitBits: 12 };
  const even = resolveQuantConfig({ ...base, quantizeRounding: "half-even" });
  const away = resolveQuantConfig({ ...base, quantizeRounding: "half-away" });
  const got = runner.forward(tokens, { backend: "cpu", quant: even, intStates: true });
  const ref = fixedPointReference(model, tokens, even);
  const D = TINY.hiddenSize, T = tokens.length;
  for (let l = 0; l < TINY.numHiddenLayers; l++) {
    const nat = got.intStates!.subarray(l * T * D, (l + 1) * T * D);
    const first = ref.states[l].findIndex((v, i) => v !== nat[i]);
    assert.equal(first, -1, `layer ${l}, element ${first} ${rng.tag}`);
  }
  // Same runner, the other mode: the cached weights must be requantized, and the result differs.
  const other = runner.forward(tokens, { backend: "cpu", quant: away, intStates: true });
  const refAway = fixedPointReference(model, tokens, away);
  assert.deepEqual(Array.from(other.finalState!), refAway.states[TINY.numHiddenLayers - 1]);
  assert.notDeepEqual(Array.from(other.finalState!), Array.from(got.finalState!));
  // And back again (the cache is keyed by the mode, not only the bits).
  const again = runner.forward(tokens, { backend: "cpu", quant: even, intStates: true });
  assert.deepEqual(again.finalState, got.finalState);
});

test("the anchor-acc preset rounds weights half to even and rescales half away (the anchor's script); provable presets keep llround", () => {
  assert.equal(QUANT_PRESETS["anchor-acc"].quantizeRounding, "half-even");
  assert.equal(QUANT_PRESETS["anchor-acc"].rounding, "half-away");
  assert.equal(QUANT_PRESETS["anchor-attn"].quantizeRounding, "half-away");
  assert.throws(() => resolveQuantConfig({ quantizeRounding: "half-up" as never }), /quantizeRounding must be "half-away" or "half-even"/);
});
