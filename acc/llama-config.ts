import type { LlamaShape } from "../src";
// The LLaMA architecture hyper-parameters, read from a Hugging Face `config.json`.

/** A Hugging Face LLaMA config: the model's shape (numKeyValueHeads below numAttentionHeads means
 *  grouped-query attention, as LLaMa-2-70B's 8 for 64) and what loading needs besides. */
export interface LlamaConfig extends LlamaShape {
  tieWordEmbeddings: boolean;
  maxPositionEmbeddings: number;
  bosTokenId?: number;
  eosTokenId?: number;
}

function positiveInt(json: Record<string, unknown>, key: string, fallback?: number): number {
  const v = json[key] ?? fallback;
  if (v === undefined) throw new Error(`config.json: missing "${key}"`);
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) {
    throw new Error(`config.json: "${key}" must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

function positiveNumber(json: Record<string, unknown>, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new Error(`config.json: "${key}" must be a positive number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function optionalTokenId(json: Record<string, unknown>, key: string): number | undefined {
  const v = json[key];
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  // Some configs list several EOS ids; the first is the conventional one.
  if (Array.isArray(v) && typeof v[0] === "number") return v[0];
  return undefined;
}

/**
 * Parses a Hugging Face LLaMA `config.json`. Defaults are those of transformers' LlamaConfig.
 * Features the kit's forward passes do not implement (RoPE scaling, biases, other activations)
 * are rejected here rather than silently computed wrong.
 */
export function parseLlamaConfig(raw: unknown): LlamaConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new Error("config.json: not a JSON object");
  const json = raw as Record<string, unknown>;
  if (json.model_type !== undefined && json.model_type !== "llama") {
    throw new Error(`config.json: model_type is "${String(json.model_type)}", expected "llama"`);
  }
  const act = json.hidden_act ?? "silu";
  if (act !== "silu") throw new Error(`config.json: hidden_act "${String(act)}" is not supported (LLaMA uses "silu")`);
  for (const key of ["attention_bias", "mlp_bias"]) {
    if (json[key] === true) throw new Error(`config.json: ${key} = true is not supported`);
  }
  // transformers >= 5 moves rope_theta into rope_parameters.
  const ropeParams = (json.rope_parameters ?? null) as Record<string, unknown> | null;
  const ropeScaling = (json.rope_scaling ?? null) as Record<string, unknown> | null;
  for (const [key, p] of [["rope_scaling", ropeScaling], ["rope_parameters", ropeParams]] as const) {
    const type = p === null ? "default" : (p.rope_type ?? p.type ?? "default");
    if (type !== "default") throw new Error(`config.json: ${key} of type "${String(type)}" is not supported`);
  }
  const ropeTheta = positiveNumber(json, "rope_theta", (ropeParams?.rope_theta as number | undefined) ?? 10000);

  const hiddenSize = positiveInt(json, "hidden_size");
  const numAttentionHeads = positiveInt(json, "num_attention_heads");
  const numKeyValueHeads = positiveInt(json, "num_key_value_heads", numAttentionHeads);
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    throw new Error(`config.json: num_attention_heads (${numAttentionHeads}) is not a multiple of num_key_value_heads (${numKeyValueHeads})`);
  }
  let headDim: number;
  if (json.head_dim !== undefined && json.head_dim !== null) {
    headDim = positiveInt(json, "head_dim");
  } else {
    if (hiddenSize % numAttentionHeads !== 0) {
      throw new Error(`config.json: hidden_size (${hiddenSize}) is not divisible by num_attention_heads (${numAttentionHeads})`);
    }
    headDim = hiddenSize / numAttentionHeads;
  }
  if (headDim % 2 !== 0) throw new Error(`config.json: head dimension ${headDim} must be even for RoPE`);
  const config: LlamaConfig = {
    hiddenSize,
    intermediateSize: positiveInt(json, "intermediate_size"),
    numHiddenLayers: positiveInt(json, "num_hidden_layers"),
    numAttentionHeads,
    numKeyValueHeads,
    headDim,
    rmsNormEps: positiveNumber(json, "rms_norm_eps", 1e-6),
    ropeTheta,
    vocabSize: positiveInt(json, "vocab_size"),
    tieWordEmbeddings: json.tie_word_embeddings === true,
    maxPositionEmbeddings: positiveInt(json, "max_position_embeddings", 2048),
  };
  const bos = optionalTokenId(json, "bos_token_id");
  const eos = optionalTokenId(json, "eos_token_id");
  if (bos !== undefined) config.bosTokenId = bos;
  if (eos !== undefined) config.eosTokenId = eos;
  return config;
}

/** The `config.json` that transformers' LlamaForCausalLM reads back as this config. */
export function llamaConfigToJson(c: LlamaConfig, torchDtype = "float32"): Record<string, unknown> {
  return {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    hidden_act: "silu",
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numHiddenLayers,
    num_attention_heads: c.numAttentionHeads,
    num_key_value_heads: c.numKeyValueHeads,
    head_dim: c.headDim,
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    rope_scaling: null,
    vocab_size: c.vocabSize,
    tie_word_embeddings: c.tieWordEmbeddings,
    max_position_embeddings: c.maxPositionEmbeddings,
    attention_bias: false,
    mlp_bias: false,
    ...(c.bosTokenId !== undefined ? { bos_token_id: c.bosTokenId } : {}),
    ...(c.eosTokenId !== undefined ? { eos_token_id: c.eosTokenId } : {}),
    torch_dtype: torchDtype,
  };
}
