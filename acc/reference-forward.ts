// A plain float64 LLaMA forward pass in TypeScript, written for clarity: the independent reference
// that the native float and fixed-point forwards are checked against, and fast enough for the
// stand-in model on a few short windows. It follows transformers' LlamaForCausalLM (eager path):
// RMSNorm, RoPE with the rotate_half convention, causal grouped-query attention, SwiGLU MLP.

import type { LlamaLayerWeights, LlamaModel } from "./checkpoint";
import type { LlamaConfig } from "./llama-config";
import { meanOf, nextTokenLosses } from "./metrics";

export interface ReferenceForwardOptions {
  /** Called with the residual stream after each decoder layer ([T, hidden], row-major). */
  onLayerOutput?: (layer: number, hidden: Float64Array) => void;
}

/** y[t, o] = sum_i x[t, i] * w[o, i], with w in Hugging Face's [out, in] layout. */
export function linear(x: Float64Array, rows: number, inDim: number, w: Float32Array, outDim: number): Float64Array {
  if (x.length !== rows * inDim || w.length !== outDim * inDim) {
    throw new Error(`linear: shapes do not match (x ${x.length} = ${rows}x${inDim}?, w ${w.length} = ${outDim}x${inDim}?)`);
  }
  const y = new Float64Array(rows * outDim);
  for (let t = 0; t < rows; t++) {
    const xo = t * inDim;
    const yo = t * outDim;
    for (let o = 0; o < outDim; o++) {
      const wo = o * inDim;
      let s = 0;
      for (let i = 0; i < inDim; i++) s += x[xo + i] * w[wo + i];
      y[yo + o] = s;
    }
  }
  return y;
}

export function rmsNorm(x: Float64Array, rows: number, dim: number, weight: Float32Array, eps: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let t = 0; t < rows; t++) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[t * dim + i] * x[t * dim + i];
    const inv = 1 / Math.sqrt(ss / dim + eps);
    for (let i = 0; i < dim; i++) y[t * dim + i] = x[t * dim + i] * inv * weight[i];
  }
  return y;
}

/** cos and sin of position * theta^(-2i/headDim), [T, headDim/2]. */
export function ropeTables(config: LlamaConfig, length: number): { cos: Float64Array; sin: Float64Array } {
  const half = config.headDim / 2;
  const cos = new Float64Array(length * half);
  const sin = new Float64Array(length * half);
  for (let i = 0; i < half; i++) {
    const invFreq = 1 / Math.pow(config.ropeTheta, (2 * i) / config.headDim);
    for (let t = 0; t < length; t++) {
      cos[t * half + i] = Math.cos(t * invFreq);
      sin[t * half + i] = Math.sin(t * invFreq);
    }
  }
  return { cos, sin };
}

/** In place on [T, heads * headDim]: x*cos + rotate_half(x)*sin, rotate_half(x) = (-x2, x1). */
export function applyRope(x: Float64Array, rows: number, heads: number, headDim: number, cos: Float64Array, sin: Float64Array): void {
  const half = headDim / 2;
  for (let t = 0; t < rows; t++) {
    for (let h = 0; h < heads; h++) {
      const base = (t * heads + h) * headDim;
      for (let i = 0; i < half; i++) {
        const c = cos[t * half + i];
        const s = sin[t * half + i];
        const x1 = x[base + i];
        const x2 = x[base + half + i];
        x[base + i] = x1 * c - x2 * s;
        x[base + half + i] = x2 * c + x1 * s;
      }
    }
  }
}

/** Causal softmax attention; query head h reads key/value head floor(h / (heads / kvHeads)). */
export function causalAttention(q: Float64Array, k: Float64Array, v: Float64Array, rows: number, config: LlamaConfig): Float64Array {
  const { numAttentionHeads: H, numKeyValueHeads: KV, headDim: hd } = config;
  const group = H / KV;
  const scale = 1 / Math.sqrt(hd);
  const out = new Float64Array(rows * H * hd);
  const p = new Float64Array(rows);
  for (let h = 0; h < H; h++) {
    const kvh = Math.floor(h / group);
    for (let t = 0; t < rows; t++) {
      const qo = (t * H + h) * hd;
      let max = -Infinity;
      for (let j = 0; j <= t; j++) {
        const ko = (j * KV + kvh) * hd;
        let s = 0;
        for (let i = 0; i < hd; i++) s += q[qo + i] * k[ko + i];
        p[j] = s * scale;
        if (p[j] > max) max = p[j];
      }
      let z = 0;
      for (let j = 0; j <= t; j++) {
        p[j] = Math.exp(p[j] - max);
        z += p[j];
      }
      const oo = (t * H + h) * hd;
      for (let j = 0; j <= t; j++) {
        const w = p[j] / z;
        const vo = (j * KV + kvh) * hd;
        for (let i = 0; i < hd; i++) out[oo + i] += w * v[vo + i];
      }
    }
  }
  return out;
}

function decoderLayer(x: Float64Array, rows: number, w: LlamaLayerWeights, config: LlamaConfig, rope: { cos: Float64Array; sin: Float64Array }): void {
  const { hiddenSize: D, numAttentionHeads: H, numKeyValueHeads: KV, headDim: hd, intermediateSize: I } = config;
  const h = rmsNorm(x, rows, D, w.inputLayernorm, config.rmsNormEps);
  const q = linear(h, rows, D, w.qProj, H * hd);
  const k = linear(h, rows, D, w.kProj, KV * hd);
  const v = linear(h, rows, D, w.vProj, KV * hd);
  applyRope(q, rows, H, hd, rope.cos, rope.sin);
  applyRope(k, rows, KV, hd, rope.cos, rope.sin);
  const attn = linear(causalAttention(q, k, v, rows, config), rows, H * hd, w.oProj, D);
  for (let i = 0; i < x.length; i++) x[i] += attn[i];

  const h2 = rmsNorm(x, rows, D, w.postAttentionLayernorm, config.rmsNormEps);
  const gate = linear(h2, rows, D, w.gateProj, I);
  const up = linear(h2, rows, D, w.upProj, I);
  for (let i = 0; i < gate.length; i++) gate[i] = (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
  const down = linear(gate, rows, I, w.downProj, D);
  for (let i = 0; i < x.length; i++) x[i] += down[i];
}

/** Logits [T, vocab] for every position of one token window. */
export function referenceForward(model: LlamaModel, tokens: ArrayLike<number>, options: ReferenceForwardOptions = {}): Float64Array {
  const { config, weights } = model;
  const T = tokens.length;
  const D = config.hiddenSize;
  if (T === 0) throw new Error("referenceForward: empty token window");
  const x = new Float64Array(T * D);
  for (let t = 0; t < T; t++) {
    const id = tokens[t];
    if (!Number.isInteger(id) || id < 0 || id >= config.vocabSize) {
      throw new Error(`referenceForward: token ${id} at position ${t} is outside the vocabulary [0, ${config.vocabSize})`);
    }
    for (let i = 0; i < D; i++) x[t * D + i] = weights.embedTokens[id * D + i];
  }
  const rope = ropeTables(config, T);
  weights.layers.forEach((layer, l) => {
    decoderLayer(x, T, layer, config, rope);
    options.onLayerOutput?.(l, x);
  });
  const normed = rmsNorm(x, T, D, weights.norm, config.rmsNormEps);
  return linear(normed, T, D, weights.lmHead, config.vocabSize);
}

/** Mean next-token cross-entropy (nats) of each window, as the anchor computes per sample. */
export function referenceWindowLosses(model: LlamaModel, windows: ReadonlyArray<ArrayLike<number>>): number[] {
  return windows.map((w) => meanOf(nextTokenLosses(referenceForward(model, w), w, model.config.vocabSize)));
}
