// The tlookups a prover of the fixed-point forward runs, per zkAttn and per decoder layer, for a
// quantization config: the x-axis of the kit's accuracy/proving-cost trade-off. It follows what the
// forward computes (native/quant/llama_forward.h) and how the anchor proves each step (reference §6):
//  - a rescale by 2^k proves x = 2^k x' + rem with rem range-checked (rescaling.cu); a remainder of
//    more than maxTableBits bits is split into evenly sized digits, one range tlookup each;
//  - a zkAttn softmax is one tlookup per segment (L range checks, K-L-M mappings, M indicator
//    mappings), each over the whole score matrix of T x T entries (reference §6.1);
//  - RMSNorm's 1/rms and SiLU are mapping tlookups (native/quant/norm_silu_tables.h); the anchor's
//    float variants of them, and its float-exp softmax, are marked not provable and counted as 0.
// Matmuls, Hadamard products and additions are sumchecks without tlookups and are not listed.

import type { LlamaConfig } from "./llama-config";
import { evenSplit, isProvable, type QuantConfig } from "./quant-config";

export interface TlookupItem {
  stage: string;
  kind: "range" | "mapping" | "indicator";
  /** log2 of the table size. */
  tableBits: number;
  /** Number of tlookups of this shape (per zkAttn for zkAttn items, per layer otherwise). */
  count: number;
  /** Values looked up by each tlookup. */
  entries: number;
  note?: string;
}

export interface TlookupAccount {
  config: string;
  provable: boolean;
  perZkAttn: TlookupItem[];
  /** The layer's tlookups outside its zkAttns. */
  perLayerOutsideAttention: TlookupItem[];
  totals: {
    perZkAttn: number;
    zkAttnPerLayer: number;
    perLayer: number;
    perModel: number;
    /** Looked-up values per layer (the tlookups' total input size). */
    entriesPerLayer: number;
    largestTableBits: number;
  };
  notes: string[];
}

export interface AccountingShape {
  hiddenSize: number;
  intermediateSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
}

export interface AccountingOptions {
  /** RMSNorm table shifts k seen in a run (max per layer and norm); without them k <= tableBits is assumed. */
  observedNormShiftBits?: number;
}

function rescale(stage: string, bits: number, entries: number, maxTableBits: number): TlookupItem[] {
  return evenSplit(bits, maxTableBits).map((b, i, all) => ({
    stage: all.length > 1 ? `${stage} (digit ${i + 1} of ${all.length})` : stage,
    kind: "range" as const,
    tableBits: b,
    count: 1,
    entries,
  }));
}

export function tlookupAccounting(c: QuantConfig, shape: AccountingShape | LlamaConfig, seqLen: number, options: AccountingOptions = {}): TlookupAccount {
  const T = seqLen;
  const D = shape.hiddenSize, I = shape.intermediateSize, H = shape.numAttentionHeads, KV = shape.numKeyValueHeads, hd = shape.headDim;
  const s = c.valueBits, w = c.weightBits, m = c.maxTableBits;
  const notes: string[] = [];
  const attn: TlookupItem[] = [];
  const sm = c.softmax;
  const scores = T * T;
  attn.push(...rescale("logit rescale", 2 * c.qkBits - c.logitBits, scores, m));
  if (sm.kind === "zkattn") {
    const K = sm.segmentBits.length;
    sm.segmentBits.forEach((bits, i) => {
      const kind = i < sm.rangeOnly ? "range" : i >= K - sm.indicator ? "indicator" : "mapping";
      attn.push({ stage: `softmax segment ${i} (${kind === "mapping" ? "exp" : kind === "range" ? "range check" : "indicator"})`, kind, tableBits: bits, count: 1, entries: scores });
    });
    sm.productRescaleBits.forEach((bits, j) => attn.push(...rescale(`segment product rescale ${j + 1}`, bits, scores, m)));
  } else {
    notes.push("softmax: exp computed in float (the anchor's accuracy script); no tlookup proves it");
  }
  sm.outputRescaleBits.forEach((bits, j) => attn.push(...rescale(`softmax.V rescale ${j + 1}`, bits, T * hd, m)));

  const layer: TlookupItem[] = [];
  const norm = (name: string) => {
    if (c.norm.kind === "table") {
      const k = options.observedNormShiftBits;
      const shiftBits = k ?? c.norm.tableBits;
      if (k === undefined) notes.push(`${name}: the sum-of-squares shift k is chosen per window; counted as one ${c.norm.tableBits}-bit range check`);
      layer.push(...rescale(`${name} sum-of-squares shift`, shiftBits, T, m));
      layer.push({ stage: `${name} 1/rms table`, kind: "mapping", tableBits: c.norm.tableBits, count: 1, entries: T });
    } else {
      notes.push(`${name}: 1/rms computed in float; no tlookup proves it`);
    }
    layer.push(...rescale(`${name} 1/rms x weight rescale`, c.norm.outBits + w - s, T * D, m));
    layer.push(...rescale(`${name} x . scale rescale`, s, T * D, m));
  };
  norm("attention RMSNorm");
  layer.push(...rescale("Q projection rescale", s + w - c.qkBits, T * H * hd, m));
  layer.push(...rescale("K projection rescale", s + w - c.qkBits, T * KV * hd, m));
  layer.push(...rescale("V projection rescale", w, T * KV * hd, m));
  layer.push(...rescale("RoPE rescale (Q)", s, T * H * hd, m));
  layer.push(...rescale("RoPE rescale (K)", s, T * KV * hd, m));
  layer.push(...rescale("attention output projection rescale", w, T * D, m));
  norm("MLP RMSNorm");
  layer.push(...rescale("gate projection rescale", s + w - c.silu.inBits, T * I, m));
  if (c.silu.kind === "table") layer.push({ stage: "SiLU table", kind: "mapping", tableBits: c.silu.tableBits, count: 1, entries: T * I });
  else notes.push("SiLU computed in float; no tlookup proves it");
  layer.push(...rescale("up projection rescale", w, T * I, m));
  layer.push(...rescale("SiLU x up rescale", s, T * I, m));
  layer.push(...rescale("down projection rescale", w, T * D, m));

  const count = (items: TlookupItem[]) => items.reduce((a, x) => a + x.count, 0);
  const entries = (items: TlookupItem[]) => items.reduce((a, x) => a + x.count * x.entries, 0);
  const perZkAttn = count(attn);
  const perLayer = perZkAttn * H + count(layer);
  const all = [...attn, ...layer];
  return {
    config: c.name,
    provable: isProvable(c),
    perZkAttn: attn,
    perLayerOutsideAttention: layer,
    totals: {
      perZkAttn,
      zkAttnPerLayer: perZkAttn * H,
      perLayer,
      perModel: perLayer * shape.numHiddenLayers,
      entriesPerLayer: entries(attn) * H + entries(layer),
      largestTableBits: all.reduce((a, x) => Math.max(a, x.tableBits), 0),
    },
    notes: [...new Set(notes)],
  };
}

/** One line per configuration: what the trade-off table shows on its x-axis. */
export function describeAccount(a: TlookupAccount): string {
  const sizes = a.perZkAttn.map((x) => `2^${x.tableBits}`).join("+");
  return `${a.totals.perZkAttn} per zkAttn (${sizes || "none"}), ${a.totals.perLayer} per layer${a.provable ? "" : " (not all steps provable)"}`;
}
