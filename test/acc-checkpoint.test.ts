import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LlamaCheckpoint, LlamaModel, expectedLlamaTensors, loadLlamaModel, writeLlamaCheckpoint } from "../acc/checkpoint";
import { LlamaConfig, parseLlamaConfig } from "../acc/llama-config";
import { SafetensorsFile, writeSafetensors } from "../acc/safetensors";
import { randomLlamaModel } from "./acc-random-model";

const GQA_CONFIG: LlamaConfig = {
  hiddenSize: 16,
  intermediateSize: 24,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  numKeyValueHeads: 2,
  headDim: 4,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  vocabSize: 11,
  tieWordEmbeddings: false,
  maxPositionEmbeddings: 32,
};

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "acc-ckpt-"));
}

function assertWeightsEqual(a: LlamaModel, b: LlamaModel): void {
  assert.deepEqual(b.weights.embedTokens, a.weights.embedTokens);
  assert.deepEqual(b.weights.norm, a.weights.norm);
  assert.deepEqual(b.weights.lmHead, a.weights.lmHead);
  assert.equal(b.weights.layers.length, a.weights.layers.length);
  a.weights.layers.forEach((layer, i) => assert.deepEqual(b.weights.layers[i], layer, `layer ${i}`));
}

test("config.json: LLaMa-2-7B's config parses with HF defaults filled in", () => {
  // The fields of meta-llama/Llama-2-7b-hf's config.json.
  const c = parseLlamaConfig({
    architectures: ["LlamaForCausalLM"], bos_token_id: 1, eos_token_id: 2, hidden_act: "silu", hidden_size: 4096,
    initializer_range: 0.02, intermediate_size: 11008, max_position_embeddings: 4096, model_type: "llama",
    num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 32, pretraining_tp: 1, rms_norm_eps: 1e-5,
    rope_scaling: null, tie_word_embeddings: false, torch_dtype: "float16", transformers_version: "4.31.0.dev0",
    use_cache: true, vocab_size: 32000,
  });
  assert.equal(c.headDim, 128);
  assert.equal(c.numKeyValueHeads, 32);
  assert.equal(c.ropeTheta, 10000);
  assert.equal(c.tieWordEmbeddings, false);
  const names = expectedLlamaTensors(c);
  assert.equal(names.length, 2 + 32 * 9 + 1);
  assert.deepEqual(names.find((t) => t.name === "model.layers.31.mlp.down_proj.weight")?.shape, [4096, 11008]);

  const gqa = parseLlamaConfig({ hidden_size: 64, intermediate_size: 8, num_hidden_layers: 1, num_attention_heads: 8, num_key_value_heads: 2, vocab_size: 5 });
  assert.equal(gqa.numKeyValueHeads, 2);
  assert.equal(gqa.rmsNormEps, 1e-6);
  assert.deepEqual(expectedLlamaTensors(gqa).find((t) => t.name.endsWith("k_proj.weight"))?.shape, [16, 64]);
});

test("config.json: unsupported or inconsistent settings are rejected with the reason", () => {
  const base = { hidden_size: 64, intermediate_size: 8, num_hidden_layers: 1, num_attention_heads: 8, vocab_size: 5 };
  assert.throws(() => parseLlamaConfig({ ...base, num_key_value_heads: 3 }), /not a multiple of num_key_value_heads/);
  assert.throws(() => parseLlamaConfig({ ...base, rope_scaling: { type: "linear", factor: 2 } }), /rope_scaling of type "linear" is not supported/);
  assert.throws(() => parseLlamaConfig({ ...base, model_type: "gpt2" }), /model_type is "gpt2"/);
  assert.throws(() => parseLlamaConfig({ ...base, hidden_act: "gelu" }), /hidden_act "gelu"/);
  const { hidden_size: _h, ...noHidden } = base;
  assert.throws(() => parseLlamaConfig(noHidden), /missing "hidden_size"/);
  assert.throws(() => parseLlamaConfig({ ...base, num_hidden_layers: 1.5 }), /"num_hidden_layers" must be a positive integer/);
});

test("checkpoint round trip: F32 single file, untied lm_head, grouped-query attention", () => {
  const model = randomLlamaModel(GQA_CONFIG, 7);
  const dir = tmpDir();
  writeLlamaCheckpoint(dir, model);
  assert.deepEqual(fs.readdirSync(dir).sort(), ["config.json", "model.safetensors"]);
  const loaded = loadLlamaModel(dir);
  assert.deepEqual(loaded.config, model.config);
  assertWeightsEqual(model, loaded);
});

test("checkpoint round trip: sharded with an index, tied embeddings, BF16 and F16", () => {
  const config = { ...GQA_CONFIG, tieWordEmbeddings: true };
  const model = randomLlamaModel(config, 8);
  for (const dtype of ["BF16", "F16"] as const) {
    const dir = tmpDir();
    writeLlamaCheckpoint(dir, model, { dtype, maxShardBytes: 2000 });
    const shards = fs.readdirSync(dir).filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f));
    assert.ok(shards.length >= 3, `expected several shards, got ${shards.length}`);
    assert.ok(fs.existsSync(path.join(dir, "model.safetensors.index.json")));
    const ckpt = LlamaCheckpoint.open(dir);
    assert.ok(!ckpt.tensorNames().includes("lm_head.weight"));
    const loaded = ckpt.loadAll();
    ckpt.close();
    assert.equal(loaded.lmHead, loaded.embedTokens);
    // Written at reduced precision: each value within half an ulp of its format.
    const relTol = dtype === "BF16" ? 2 ** -8 : 2 ** -11;
    const q = loaded.layers[1].qProj;
    model.weights.layers[1].qProj.forEach((v, i) => assert.ok(Math.abs(q[i] - v) <= Math.abs(v) * relTol + 1e-7, `${dtype} q[${i}]`));
    // Reading again gives identical floats: the conversion is deterministic.
    assert.deepEqual(loadLlamaModel(dir).weights.layers[1].qProj, q);
  }
});

test("checkpoint errors name the tensor and the expected vs actual shape", () => {
  const model = randomLlamaModel(GQA_CONFIG, 9);
  const dir = tmpDir();
  writeLlamaCheckpoint(dir, model);
  const file = path.join(dir, "model.safetensors");
  const original = SafetensorsFile.open(file);
  const tensors = original.names().map((name) => ({ name, shape: original.info(name).shape, data: original.readFloat32(name), dtype: "F32" as const }));
  original.close();

  // Missing tensor.
  writeSafetensors(file, tensors.filter((t) => t.name !== "model.layers.1.mlp.up_proj.weight"));
  assert.throws(() => LlamaCheckpoint.open(dir), /missing tensor "model\.layers\.1\.mlp\.up_proj\.weight" \(expected shape \[24, 16\]\)/);

  // Wrong shape: k_proj written as if it had as many heads as q_proj.
  writeSafetensors(file, tensors.map((t) => (t.name === "model.layers.0.self_attn.k_proj.weight" ? { ...t, shape: [16, 16], data: new Float32Array(256) } : t)));
  assert.throws(() => LlamaCheckpoint.open(dir), /tensor "model\.layers\.0\.self_attn\.k_proj\.weight" has shape \[16, 16\], expected \[8, 16\]/);

  // NaN and Inf weights.
  for (const bad of [NaN, Infinity]) {
    const poisoned = tensors.map((t) => {
      if (t.name !== "model.layers.1.self_attn.o_proj.weight") return t;
      const data = t.data.slice();
      data[5] = bad;
      return { ...t, data };
    });
    writeSafetensors(file, poisoned);
    const ckpt = LlamaCheckpoint.open(dir);
    assert.doesNotThrow(() => ckpt.layer(0));
    assert.throws(() => ckpt.layer(1), new RegExp(`"model\\.layers\\.1\\.self_attn\\.o_proj\\.weight" \\[16, 16\\] has a non-finite value ${bad} at flat index 5`));
    ckpt.close();
  }

  // Truncated file.
  writeSafetensors(file, tensors);
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(file, bytes.subarray(0, bytes.length - 100));
  assert.throws(() => LlamaCheckpoint.open(dir), /truncated/);

  // Missing files.
  fs.rmSync(file);
  assert.throws(() => LlamaCheckpoint.open(dir), /no model\.safetensors or model\.safetensors\.index\.json/);
  fs.rmSync(path.join(dir, "config.json"));
  assert.throws(() => LlamaCheckpoint.open(dir), /no config\.json/);
});

test("sharded checkpoint: an index that points at a missing shard or the wrong shard is rejected", () => {
  const model = randomLlamaModel(GQA_CONFIG, 10);
  const dir = tmpDir();
  writeLlamaCheckpoint(dir, model, { maxShardBytes: 3000 });
  const indexPath = path.join(dir, "model.safetensors.index.json");
  const index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  const shards = [...new Set(Object.values(index.weight_map as Record<string, string>))].sort();
  const name = "model.norm.weight";
  const wrong = shards.find((s) => s !== index.weight_map[name])!;
  fs.writeFileSync(indexPath, JSON.stringify({ ...index, weight_map: { ...index.weight_map, [name]: wrong } }));
  assert.throws(() => LlamaCheckpoint.open(dir), new RegExp(`places "model\\.norm\\.weight" in ${wrong.replace(/\./g, "\\.")}, which does not hold it`));
  fs.writeFileSync(indexPath, JSON.stringify(index));
  fs.rmSync(path.join(dir, shards[0]));
  assert.throws(() => LlamaCheckpoint.open(dir), new RegExp(`lists shard ${shards[0].replace(/\./g, "\\.")}, which is not in`));
});
