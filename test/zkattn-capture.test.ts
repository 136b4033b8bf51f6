// The fixed-point forward's attention capture (captureLayers): Q and K after RoPE, V and the
// attention output of chosen layers, head-major with grouped-query K/V expanded to every query head,
// against the independent TypeScript model of the forward (acc/fixed-point-reference.ts), on every
// usable backend; and fed to the zkattn proof, the proven output is the forward's.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LlamaConfig } from "../acc/llama-config";
import { fixedPointReference } from "../acc/fixed-point-reference";
import { LlamaRunner } from "../acc/llama-runner";
import { resolveQuantConfig } from "../acc/quant-config";
import { info } from "../src/system";
import { checkProof } from "../src/proof";
import { attentionParams, proveZkattn } from "../src/zkattn/zkattn-op";
import { randomLlamaModel } from "./acc-random-model";
import { Rng } from "./helpers/rng";

// Grouped-query: 4 query heads read 2 key/value heads.
const TINY: LlamaConfig = {
  hiddenSize: 24, intermediateSize: 40, numHiddenLayers: 3, numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 8,
  rmsNormEps: 1e-5, ropeTheta: 10000, vocabSize: 50, tieWordEmbeddings: false, maxPositionEmbeddings: 128,
};
const { numAttentionHeads: H, numKeyValueHeads: KV, headDim: hd } = TINY;

/** [T, heads_in, hd] -> [H, T, hd], query head h reading source head h / (H / heads_in). */
function headMajor(x: bigint[], T: number, headsIn: number): bigint[] {
  const out: bigint[] = [];
  for (let h = 0; h < H; h++)
    for (let t = 0; t < T; t++)
      for (let i = 0; i < hd; i++) out.push(x[(t * headsIn + Math.floor(h / (H / headsIn))) * hd + i]);
  return out;
}

function backends(): Array<"cpu" | "cuda"> {
  return info().devices.length > 0 ? ["cpu", "cuda"] : ["cpu"];
}

for (const name of ["zk-12-clamp", "anchor-attn"]) {
  test(`capture (${name}): Q, K after RoPE, V and the output of layers 0 and 2 equal the TypeScript forward's, head-major, GQA expanded`, () => {
    const rng = new Rng(`zkattn-capture/${name}`);
    const model = randomLlamaModel(TINY, rng.u32(), 0.3);
    const tokens = Uint32Array.from({ length: 11 }, () => rng.int(TINY.vocabSize));
    const config = resolveQuantConfig(name);
    const ref = fixedPointReference(model, tokens, config);
    const T = tokens.length;
    const runner = new LlamaRunner(model);
    const byBackend = backends().map((backend) => runner.forward(tokens, { backend, quant: config, captureLayers: [0, 2] }));
    for (const got of byBackend) {
      assert.deepEqual(got.attention!.map((a) => a.layer), [0, 2]);
      for (const a of got.attention!) {
        const r = ref.attention[a.layer];
        const want = { q: headMajor(r.q, T, H), k: headMajor(r.k, T, KV), v: headMajor(r.v, T, KV), o: headMajor(r.o, T, H) };
        for (const key of ["q", "k", "v", "o"] as const) {
          assert.equal(a[key].length, H * T * hd, `${key} length`);
          const first = want[key].findIndex((x, i) => x !== a[key][i]);
          assert.equal(first, -1, `${got.backend} layer ${a.layer} ${key}[${first}]: ${a[key][first]} vs reference ${want[key][first]} ${rng.tag}`);
        }
        // GQA: query heads 0 and 1 read key/value head 0, so their K (and V) slices are the same.
        const slice = (x: BigInt64Array, h: number) => Array.from(x.subarray(h * T * hd, (h + 1) * T * hd));
        assert.deepEqual(slice(a.k, 0), slice(a.k, 1));
        assert.notDeepEqual(slice(a.k, 1), slice(a.k, 2));
      }
    }
    // Every backend captures the same integers.
    for (const other of byBackend.slice(1))
      for (let i = 0; i < 2; i++) for (const key of ["q", "k", "v", "o"] as const) assert.deepEqual(other.attention![i][key], byBackend[0].attention![i][key], `${other.backend} ${key}`);
    // Capturing changes nothing else: the losses are those of a run without it.
    const plain = runner.forward(tokens, { backend: "cpu", quant: config });
    assert.deepEqual(Array.from(byBackend[0].losses), Array.from(plain.losses));
    assert.equal(plain.attention, undefined);
  });
}

test("capture: bad layer lists are refused with the reason", () => {
  const model = randomLlamaModel(TINY, 3, 0.3);
  const runner = new LlamaRunner(model);
  const tokens = Uint32Array.from({ length: 5 }, (_, i) => i);
  const config = resolveQuantConfig("zk-12-clamp");
  assert.throws(() => runner.forward(tokens, { backend: "cpu", quant: config, captureLayers: [3] }), /captureLayers: layer 3 is outside \[0, 3\)/);
  assert.throws(() => runner.forward(tokens, { backend: "cpu", quant: config, captureLayers: [1, 1] }), /ascending without repeats/);
  assert.throws(() => runner.forward(tokens, { backend: "cpu", captureLayers: [0] }), /captureLayers is for quantized runs/);
});

test("capture fed to the zkattn proof: the proof verifies and its proven output is the forward's attention output", () => {
  const rng = new Rng("zkattn-capture/proof");
  const model = randomLlamaModel(TINY, rng.u32(), 0.3);
  const tokens = Uint32Array.from({ length: 8 }, () => rng.int(TINY.vocabSize));
  const config = resolveQuantConfig("zk-12-clamp");
  const T = tokens.length;
  const a = new LlamaRunner(model).forward(tokens, { backend: "cpu", quant: config, captureLayers: [1] }).attention![0];
  const r = proveZkattn({
    num: H, dim0: T, dim1: T, dim2: hd, attention: attentionParams(config, hd, T), backend: "cpu",
    tensors: { Q: Array.from(a.q), K: Array.from(a.k), V: Array.from(a.v) },
  });
  assert.equal(checkProof(r.statement, r.proof).valid, true, checkProof(r.statement, r.proof).reason);
  assert.deepEqual((r.outputs?.O ?? []).map(BigInt), Array.from(a.o), `proven O against the forward's ${rng.tag}`);
});
