// Hugging Face LLaMA checkpoints in a local folder: config.json plus model.safetensors, or shards
// listed in model.safetensors.index.json. Weights are read per tensor, so a caller can stream a
// 7B/13B model one layer at a time; loadLlamaModel() reads everything for small models.

import * as fs from "node:fs";
import * as path from "node:path";
import { LlamaConfig, llamaConfigToJson, parseLlamaConfig } from "./llama-config";
import { FloatDtype, SafetensorsFile, TensorToWrite, numElements, shapeString, writeSafetensors } from "./safetensors";

/** One decoder layer's weights, each row-major in Hugging Face's [out, in] layout. */
export interface LlamaLayerWeights {
  inputLayernorm: Float32Array;
  qProj: Float32Array;
  kProj: Float32Array;
  vProj: Float32Array;
  oProj: Float32Array;
  postAttentionLayernorm: Float32Array;
  gateProj: Float32Array;
  upProj: Float32Array;
  downProj: Float32Array;
}

export interface LlamaWeights {
  embedTokens: Float32Array;
  layers: LlamaLayerWeights[];
  norm: Float32Array;
  /** The same array as embedTokens when the config ties the embeddings. */
  lmHead: Float32Array;
}

export interface LlamaModel {
  config: LlamaConfig;
  weights: LlamaWeights;
}

const LAYER_TENSORS: ReadonlyArray<[keyof LlamaLayerWeights, string, (c: LlamaConfig) => number[]]> = [
  ["inputLayernorm", "input_layernorm.weight", (c) => [c.hiddenSize]],
  ["qProj", "self_attn.q_proj.weight", (c) => [c.numAttentionHeads * c.headDim, c.hiddenSize]],
  ["kProj", "self_attn.k_proj.weight", (c) => [c.numKeyValueHeads * c.headDim, c.hiddenSize]],
  ["vProj", "self_attn.v_proj.weight", (c) => [c.numKeyValueHeads * c.headDim, c.hiddenSize]],
  ["oProj", "self_attn.o_proj.weight", (c) => [c.hiddenSize, c.numAttentionHeads * c.headDim]],
  ["postAttentionLayernorm", "post_attention_layernorm.weight", (c) => [c.hiddenSize]],
  ["gateProj", "mlp.gate_proj.weight", (c) => [c.intermediateSize, c.hiddenSize]],
  ["upProj", "mlp.up_proj.weight", (c) => [c.intermediateSize, c.hiddenSize]],
  ["downProj", "mlp.down_proj.weight", (c) => [c.hiddenSize, c.intermediateSize]],
];

export function layerTensorName(layer: number, suffix: string): string {
  return `model.layers.${layer}.${suffix}`;
}

/** Every tensor a LLaMA checkpoint with this config must hold, with its shape. */
export function expectedLlamaTensors(c: LlamaConfig): Array<{ name: string; shape: number[] }> {
  const out = [{ name: "model.embed_tokens.weight", shape: [c.vocabSize, c.hiddenSize] }];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    for (const [, suffix, shape] of LAYER_TENSORS) out.push({ name: layerTensorName(i, suffix), shape: shape(c) });
  }
  out.push({ name: "model.norm.weight", shape: [c.hiddenSize] });
  if (!c.tieWordEmbeddings) out.push({ name: "lm_head.weight", shape: [c.vocabSize, c.hiddenSize] });
  return out;
}

/** Buffers some checkpoints save beside the weights; they are recomputed, so not reading them loses nothing. */
const IGNORED_TENSOR = /^model\.layers\.\d+\.self_attn\.rotary_emb\.inv_freq$/;

function listNames(names: string[]): string {
  const shown = names.slice(0, 6).map((n) => `"${n}"`).join(", ");
  return names.length > 6 ? `${shown} and ${names.length - 6} more` : shown;
}

/** When the weights' layer indices and num_hidden_layers disagree, says so. */
function layerHint(c: LlamaConfig, names: string[]): string {
  let top = -1;
  for (const n of names) {
    const m = /^model\.layers\.(\d+)\./.exec(n);
    if (m) top = Math.max(top, Number(m[1]));
  }
  if (top + 1 === c.numHiddenLayers) return "";
  return `; config.json says num_hidden_layers = ${c.numHiddenLayers}, the weights hold ${top + 1} layer${top === 0 ? "" : "s"}`;
}

const SINGLE_FILE = "model.safetensors";
const INDEX_FILE = "model.safetensors.index.json";

/** A checkpoint folder opened for reading; tensors are located at open and read on request. */
export class LlamaCheckpoint {
  private readonly files: SafetensorsFile[];
  private readonly fileOf = new Map<string, SafetensorsFile>();

  private constructor(readonly dir: string, readonly config: LlamaConfig, files: SafetensorsFile[], weightMap: Map<string, string> | null) {
    this.files = files;
    const byBase = new Map(files.map((f) => [path.basename(f.path), f]));
    if (weightMap !== null) {
      for (const [name, shard] of weightMap) {
        const file = byBase.get(shard)!;
        if (!file.tensors.has(name)) throw new Error(`${INDEX_FILE} places "${name}" in ${shard}, which does not hold it`);
        this.fileOf.set(name, file);
      }
    } else {
      for (const f of files) for (const name of f.names()) this.fileOf.set(name, f);
    }
    const expected = expectedLlamaTensors(config);
    const missing = expected.filter(({ name }) => !this.fileOf.has(name));
    if (missing.length > 0) {
      const { name, shape } = missing[0];
      throw new Error(
        `checkpoint ${dir}: missing tensor "${name}" (expected shape ${shapeString(shape)})` +
          (missing.length > 1 ? ` and ${missing.length - 1} more: ${listNames(missing.slice(1).map((t) => t.name))}` : "") +
          layerHint(config, this.tensorNames()),
      );
    }
    for (const { name, shape } of expected) {
      const actual = this.fileOf.get(name)!.info(name).shape;
      if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
        throw new Error(`checkpoint ${dir}: tensor "${name}" has shape ${shapeString(actual)}, expected ${shapeString(shape)}`);
      }
    }
    // Every tensor is used: weights the config does not describe (more layers than
    // num_hidden_layers, an lm_head.weight beside tied embeddings) would otherwise be dropped silently.
    const used = new Set(expected.map((t) => t.name));
    const unused = this.tensorNames().filter((n) => !used.has(n) && !IGNORED_TENSOR.test(n));
    if (unused.length > 0) {
      throw new Error(
        `checkpoint ${dir}: ${unused.length} tensor${unused.length > 1 ? "s are" : " is"} not used by the model config.json describes: ` +
          `${listNames(unused)}` +
          (unused.includes("lm_head.weight") && config.tieWordEmbeddings ? " (config.json ties the embeddings: tie_word_embeddings is true)" : "") +
          layerHint(config, this.tensorNames()),
      );
    }
  }

  static open(dir: string): LlamaCheckpoint {
    const configPath = path.join(dir, "config.json");
    if (!fs.existsSync(configPath)) throw new Error(`no config.json in ${dir}`);
    let rawConfig: unknown;
    try {
      rawConfig = JSON.parse(fs.readFileSync(configPath, "utf8"));
    } catch (e) {
      throw new Error(`${configPath} is not valid JSON: ${(e as Error).message}`);
    }
    const config = parseLlamaConfig(rawConfig);
    const files: SafetensorsFile[] = [];
    try {
      let weightMap: Map<string, string> | null = null;
      const indexPath = path.join(dir, INDEX_FILE);
      if (fs.existsSync(indexPath)) {
        weightMap = readWeightMap(indexPath);
        for (const shard of new Set(weightMap.values())) {
          const shardPath = path.join(dir, shard);
          if (!fs.existsSync(shardPath)) throw new Error(`${INDEX_FILE} lists shard ${shard}, which is not in ${dir}`);
          files.push(SafetensorsFile.open(shardPath));
        }
      } else if (fs.existsSync(path.join(dir, SINGLE_FILE))) {
        files.push(SafetensorsFile.open(path.join(dir, SINGLE_FILE)));
      } else {
        const hasBin = fs.readdirSync(dir).some((f) => f.endsWith(".bin") || f.endsWith(".pth"));
        throw new Error(
          `no ${SINGLE_FILE} or ${INDEX_FILE} in ${dir}` +
            (hasBin ? " (PyTorch .bin/.pth weights are not read; save the model with safe_serialization=True)" : ""),
        );
      }
      return new LlamaCheckpoint(dir, config, files, weightMap);
    } catch (e) {
      for (const f of files) f.close();
      throw e;
    }
  }

  tensorNames(): string[] {
    return [...this.fileOf.keys()];
  }

  /** Reads one tensor as float32 and rejects NaN or infinite entries. */
  readTensor(name: string): Float32Array {
    const file = this.fileOf.get(name);
    if (file === undefined) throw new Error(`checkpoint ${this.dir}: missing tensor "${name}"`);
    const data = file.readFloat32(name);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        const shape = file.info(name).shape;
        throw new Error(`checkpoint ${this.dir}: tensor "${name}" ${shapeString(shape)} has a non-finite value ${data[i]} at flat index ${i}`);
      }
    }
    return data;
  }

  embedTokens(): Float32Array {
    return this.readTensor("model.embed_tokens.weight");
  }

  layer(i: number): LlamaLayerWeights {
    if (!Number.isInteger(i) || i < 0 || i >= this.config.numHiddenLayers) {
      throw new Error(`layer ${i} is out of range: the model has ${this.config.numHiddenLayers} layers`);
    }
    const out: Partial<LlamaLayerWeights> = {};
    for (const [key, suffix] of LAYER_TENSORS) out[key] = this.readTensor(layerTensorName(i, suffix));
    return out as LlamaLayerWeights;
  }

  finalNorm(): Float32Array {
    return this.readTensor("model.norm.weight");
  }

  lmHead(embedTokens?: Float32Array): Float32Array {
    if (this.config.tieWordEmbeddings) return embedTokens ?? this.embedTokens();
    return this.readTensor("lm_head.weight");
  }

  /** All weights in memory as float32: fine for small models, about 27 GB for LLaMa-2-7B. */
  loadAll(): LlamaWeights {
    const embedTokens = this.embedTokens();
    const layers: LlamaLayerWeights[] = [];
    for (let i = 0; i < this.config.numHiddenLayers; i++) layers.push(this.layer(i));
    return { embedTokens, layers, norm: this.finalNorm(), lmHead: this.lmHead(embedTokens) };
  }

  close(): void {
    for (const f of this.files) f.close();
  }
}

function readWeightMap(indexPath: string): Map<string, string> {
  let index: unknown;
  try {
    index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  } catch (e) {
    throw new Error(`${indexPath} is not valid JSON: ${(e as Error).message}`);
  }
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  if (map === null || typeof map !== "object" || Array.isArray(map)) throw new Error(`${indexPath} has no "weight_map" object`);
  const out = new Map<string, string>();
  for (const [name, shard] of Object.entries(map as Record<string, unknown>)) {
    if (typeof shard !== "string" || shard.includes("/") || shard.includes("\\")) {
      throw new Error(`${indexPath}: weight_map entry for "${name}" is not a shard file name: ${JSON.stringify(shard)}`);
    }
    out.set(name, shard);
  }
  return out;
}

/** Opens a checkpoint folder and reads all of its weights. */
export function loadLlamaModel(dir: string): LlamaModel {
  const ckpt = LlamaCheckpoint.open(dir);
  try {
    return { config: ckpt.config, weights: ckpt.loadAll() };
  } finally {
    ckpt.close();
  }
}

export interface WriteCheckpointOptions {
  dtype?: FloatDtype;
  /** Split into shards of at most this many bytes each, with an index file, as save_pretrained does. */
  maxShardBytes?: number;
}

function namedWeights(model: LlamaModel): Array<{ name: string; shape: number[]; data: Float32Array }> {
  const { config: c, weights: w } = model;
  if (w.layers.length !== c.numHiddenLayers) {
    throw new Error(`weights have ${w.layers.length} layers but the config says ${c.numHiddenLayers}`);
  }
  const dataOf = (name: string): Float32Array => {
    if (name === "model.embed_tokens.weight") return w.embedTokens;
    if (name === "model.norm.weight") return w.norm;
    if (name === "lm_head.weight") return w.lmHead;
    const m = /^model\.layers\.(\d+)\.(.+)$/.exec(name)!;
    const entry = LAYER_TENSORS.find(([, suffix]) => suffix === m[2])!;
    return w.layers[Number(m[1])][entry[0]];
  };
  return expectedLlamaTensors(c).map(({ name, shape }) => {
    const data = dataOf(name);
    if (data.length !== numElements(shape)) {
      throw new Error(`tensor "${name}" has ${data.length} elements, expected shape ${shapeString(shape)} (${numElements(shape)})`);
    }
    return { name, shape, data };
  });
}

/** Writes config.json and the weights in Hugging Face's layout. */
export function writeLlamaCheckpoint(dir: string, model: LlamaModel, options: WriteCheckpointOptions = {}): void {
  const dtype = options.dtype ?? "F32";
  const torchDtype = { F64: "float64", F32: "float32", F16: "float16", BF16: "bfloat16" }[dtype];
  const tensors: TensorToWrite[] = namedWeights(model).map((t) => ({ ...t, dtype }));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(llamaConfigToJson(model.config, torchDtype), null, 2) + "\n");
  const metadata = { format: "pt" };
  if (options.maxShardBytes === undefined) {
    writeSafetensors(path.join(dir, SINGLE_FILE), tensors, metadata);
    return;
  }
  const bytesPer = { F64: 8, F32: 4, F16: 2, BF16: 2 }[dtype];
  const shards: TensorToWrite[][] = [[]];
  let used = 0;
  for (const t of tensors) {
    const size = t.data.length * bytesPer;
    if (used > 0 && used + size > options.maxShardBytes) {
      shards.push([]);
      used = 0;
    }
    shards[shards.length - 1].push(t);
    used += size;
  }
  const pad = (n: number) => String(n).padStart(5, "0");
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  shards.forEach((shard, i) => {
    const file = `model-${pad(i + 1)}-of-${pad(shards.length)}.safetensors`;
    writeSafetensors(path.join(dir, file), shard, metadata);
    for (const t of shard) {
      weightMap[t.name] = file;
      totalSize += t.data.length * bytesPer;
    }
  });
  fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2) + "\n");
}
