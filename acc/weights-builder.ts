// The tensors of a LLaMA model of a given shape, each made by the caller's factory: what a random
// model for a test or a GPU check is built from (one place that knows the layer's tensor shapes).

import type { LlamaModel, LlamaWeights } from "./checkpoint";
import type { LlamaConfig } from "./llama-config";

export interface WeightFactories {
  /** A [rows, cols] matrix. */
  matrix(rows: number, cols: number): Float32Array;
  /** An RMSNorm weight of n entries. */
  norm(n: number): Float32Array;
  /** The [vocab, hidden] embedding (default: a matrix). */
  embed?(vocab: number, hidden: number): Float32Array;
}

export function buildLlamaModel(config: LlamaConfig, f: WeightFactories): LlamaModel {
  const { hiddenSize: D, intermediateSize: I, numAttentionHeads: H, numKeyValueHeads: KV, headDim: hd } = config;
  const layers: LlamaWeights["layers"] = [];
  for (let l = 0; l < config.numHiddenLayers; l++)
    layers.push({
      inputLayernorm: f.norm(D),
      qProj: f.matrix(H * hd, D),
      kProj: f.matrix(KV * hd, D),
      vProj: f.matrix(KV * hd, D),
      oProj: f.matrix(D, H * hd),
      postAttentionLayernorm: f.norm(D),
      gateProj: f.matrix(I, D),
      upProj: f.matrix(I, D),
      downProj: f.matrix(D, I),
    });
  const embedTokens = f.embed ? f.embed(config.vocabSize, D) : f.matrix(config.vocabSize, D);
  return {
    config,
    weights: { embedTokens, layers, norm: f.norm(D), lmHead: config.tieWordEmbeddings ? embedTokens : f.matrix(config.vocabSize, D) },
  };
}
