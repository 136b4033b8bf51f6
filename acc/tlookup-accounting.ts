// The tlookups a prover of the fixed-point forward runs, per zkAttn and per decoder layer, for a
// quantization config, and what they cost: the x-axis of the kit's accuracy/proving-cost trade-off.
// It follows what the forward computes (native/quant/llama_forward.h) and how the anchor proves each
// step (reference §6):
//  - a rescale by 2^k proves x = 2^k x' + rem with rem range-checked (rescaling.cu); a remainder of
//    more than maxTableBits bits is split into evenly sized digits, one range tlookup each;
//  - a zkAttn softmax is one tlookup per segment (L range checks, K-L-M mappings, M indicator
//    mappings), each over the whole score matrix of T x T entries (reference §6.1);
//  - the row shift is a free witness: what a verifier can check is that every row of Y sums to
//    2^P within the bound the configuration implies (zkattn-bound.ts). The row sums are linear
//    (a sumcheck); the bound is one range tlookup over the T rows (rowShiftBound), counted here;
//  - RMSNorm's 1/rms and SiLU are mapping tlookups (native/quant/norm_silu_tables.h); the anchor's
//    float variants of them, and its float-exp softmax, are marked not provable and counted as 0.
// Matmuls, Hadamard products and additions are sumchecks without tlookups and are not listed.
//
// The causal mask: in each T x T tlookup only T(T+1)/2 entries are live. The dead ones are proven
// the way the anchor's zkAttn proves every entry (it has no mask, reference §6.1): the prover sets a
// dead entry's logit to its row's shift, so z = 0 and every digit is 0 (row 0 of every table), and
// multiplies Y by the public causal mask, a Hadamard product with no tlookup. So `entries` (what is
// looked up and priced) is T^2 and `liveEntries` T(T+1)/2: what a prover that packs only the causal
// triangle would look up.
//
// Every item is priced by the cost model of tlookup-cost.ts (per looked-up entry and per table row).

import type { LlamaShape } from "../src";
import type { LlamaConfig } from "./llama-config";
import { evenSplit, isProvable, type QuantConfig } from "./quant-config";
import { DEFAULT_COST_MODEL, itemCost, type TlookupCostModel } from "./tlookup-cost";
import { rowSumBound } from "./zkattn-bound";

export interface TlookupItem {
  stage: string;
  kind: "range" | "mapping" | "indicator";
  /** log2 of the table size. */
  tableBits: number;
  /** Number of tlookups of this shape (per zkAttn for zkAttn items, per layer otherwise). */
  count: number;
  /** 2^tableBits. */
  tableSize: number;
  /** Values looked up by each tlookup (the causal mask's dead entries included). */
  entries: number;
  /** The entries the causal mask keeps (equal to entries outside the score matrix). */
  liveEntries: number;
  /** count * (perEntry * entries + perTableRow * tableSize) under the account's cost model. */
  cost: number;
  note?: string;
}

export interface TlookupAccount {
  config: string;
  provable: boolean;
  costModel: TlookupCostModel;
  /** The zkAttn's own tlookups (segments and rescales: what the anchor's "5 (or 2)" counts). */
  perZkAttn: TlookupItem[];
  /** Per zkAttn: the range check of the rows' sums against the configuration's bound. */
  rowShiftBound: TlookupItem[];
  /** The layer's tlookups outside its zkAttns. */
  perLayerOutsideAttention: TlookupItem[];
  totals: {
    /** Plain counts: every tlookup counts 1 whatever its size. perZkAttn leaves the bound out. */
    perZkAttn: number;
    rowShiftBoundPerZkAttn: number;
    /** (perZkAttn + rowShiftBoundPerZkAttn) * heads. */
    zkAttnPerLayer: number;
    perLayer: number;
    perModel: number;
    /** Looked-up values per layer (the tlookups' total input size), and the live ones. */
    entriesPerLayer: number;
    liveEntriesPerLayer: number;
    largestTableBits: number;
    /** Modelled prover work (cost model), bound included. */
    costPerZkAttn: number;
    costPerLayer: number;
    costPerModel: number;
  };
  notes: string[];
}

/** What the accounting reads of a model's shape. */
export type AccountingShape = Pick<LlamaShape, "hiddenSize" | "intermediateSize" | "numHiddenLayers" | "numAttentionHeads" | "numKeyValueHeads" | "headDim">;

export interface AccountingOptions {
  /** RMSNorm table shifts k seen in a run (max per layer and norm); without them k <= tableBits is assumed. */
  observedNormShiftBits?: number;
  /** Prices per looked-up entry and per table row (default: 1 and 1). */
  costModel?: TlookupCostModel;
}

/** An item before pricing: live entries default to all entries. */
type Shape = Omit<TlookupItem, "tableSize" | "cost" | "liveEntries"> & { liveEntries?: number };

function rescale(stage: string, bits: number, entries: number, maxTableBits: number, liveEntries = entries): Shape[] {
  return evenSplit(bits, maxTableBits).map((b, i, all) => ({
    stage: all.length > 1 ? `${stage} (digit ${i + 1} of ${all.length})` : stage,
    kind: "range" as const,
    tableBits: b,
    count: 1,
    entries,
    liveEntries,
  }));
}

/**
 * The rows' sums must lie in [lower, upper] * 2^P: d_r = sum_c Y_rc - ceil(lower 2^P) is range
 * checked in [0, 2^b) with 2^b the smallest power of two above the bound's width (a one-sided
 * power-of-two table: slightly looser than the bound itself). A vacuous lower bound becomes 0.
 */
export function rowShiftBoundRange(c: QuantConfig, headDim: number, T: number): { low: number; bits: number } {
  const b = rowSumBound(c, headDim, T);
  const unit = 2 ** b.probBits;
  const lo = Math.ceil(Math.max(0, b.lower) * unit);
  const hi = Math.floor(b.upper * unit);
  return { low: lo, bits: Math.max(1, Math.ceil(Math.log2(hi - lo + 1))) };
}

export function rowShiftBoundBits(c: QuantConfig, headDim: number, T: number): number {
  return rowShiftBoundRange(c, headDim, T).bits;
}

export function tlookupAccounting(c: QuantConfig, shape: AccountingShape | LlamaConfig, seqLen: number, options: AccountingOptions = {}): TlookupAccount {
  const T = seqLen;
  const D = shape.hiddenSize, I = shape.intermediateSize, H = shape.numAttentionHeads, KV = shape.numKeyValueHeads, hd = shape.headDim;
  const s = c.valueBits, w = c.weightBits, m = c.maxTableBits;
  const notes: string[] = [];
  const attn: Shape[] = [];
  const bound: Shape[] = [];
  const sm = c.softmax;
  const scores = T * T;
  const live = (T * (T + 1)) / 2;
  attn.push(...rescale("logit rescale", 2 * c.qkBits - c.logitBits, scores, m, live));
  if (sm.kind === "zkattn") {
    const K = sm.segmentBits.length;
    sm.segmentBits.forEach((bits, i) => {
      const kind = i < sm.rangeOnly ? "range" : i >= K - sm.indicator ? "indicator" : "mapping";
      attn.push({ stage: `softmax segment ${i} (${kind === "mapping" ? "exp" : kind === "range" ? "range check" : "indicator"})`, kind, tableBits: bits, count: 1, entries: scores, liveEntries: live });
    });
    sm.productRescaleBits.forEach((bits, j) => attn.push(...rescale(`segment product rescale ${j + 1}`, bits, scores, m, live)));
    bound.push(...rescale("row-sum bound (row shift check)", rowShiftBoundBits(c, hd, T), T, m));
  } else {
    notes.push("softmax: exp computed in float (the anchor's accuracy script); no tlookup proves it");
  }
  sm.outputRescaleBits.forEach((bits, j) => attn.push(...rescale(`softmax.V rescale ${j + 1}`, bits, T * hd, m)));

  const layer: Shape[] = [];
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

  const model = options.costModel ?? DEFAULT_COST_MODEL;
  const price = (items: Shape[]): TlookupItem[] =>
    items.map((x) => {
      const liveEntries = x.liveEntries ?? x.entries;
      const priced = { ...x, tableSize: 2 ** x.tableBits, liveEntries };
      return { ...priced, cost: itemCost(priced, model) };
    });
  const [pAttn, pBound, pLayer] = [price(attn), price(bound), price(layer)];
  const sum = (items: TlookupItem[], f: (x: TlookupItem) => number) => items.reduce((a, x) => a + f(x), 0);
  const count = (items: TlookupItem[]) => sum(items, (x) => x.count);
  const zk = [...pAttn, ...pBound];
  const perZkAttn = count(pAttn);
  const zkAttnPerLayer = count(zk) * H;
  const perLayer = zkAttnPerLayer + count(pLayer);
  const costPerZkAttn = sum(zk, (x) => x.cost);
  const costPerLayer = costPerZkAttn * H + sum(pLayer, (x) => x.cost);
  if (sm.kind === "zkattn") notes.push("causal mask: dead score entries are looked up with z = 0 and zeroed by the public mask (a Hadamard product); entries and cost include them");
  return {
    config: c.name,
    provable: isProvable(c),
    costModel: model,
    perZkAttn: pAttn,
    rowShiftBound: pBound,
    perLayerOutsideAttention: pLayer,
    totals: {
      perZkAttn,
      rowShiftBoundPerZkAttn: count(pBound),
      zkAttnPerLayer,
      perLayer,
      perModel: perLayer * shape.numHiddenLayers,
      entriesPerLayer: sum(zk, (x) => x.count * x.entries) * H + sum(pLayer, (x) => x.count * x.entries),
      liveEntriesPerLayer: sum(zk, (x) => x.count * x.liveEntries) * H + sum(pLayer, (x) => x.count * x.liveEntries),
      largestTableBits: [...zk, ...pLayer].reduce((a, x) => Math.max(a, x.tableBits), 0),
      costPerZkAttn,
      costPerLayer,
      costPerModel: costPerLayer * shape.numHiddenLayers,
    },
    notes: [...new Set(notes)],
  };
}

/** One line per configuration: what the trade-off table shows on its x-axis. */
export function describeAccount(a: TlookupAccount): string {
  const sizes = a.perZkAttn.map((x) => `2^${x.tableBits}`).join("+");
  const bound = a.totals.rowShiftBoundPerZkAttn > 0 ? ` + ${a.totals.rowShiftBoundPerZkAttn} row-sum bound` : "";
  return `${a.totals.perZkAttn} per zkAttn (${sizes || "none"})${bound}, ${a.totals.perLayer} per layer, cost ${a.totals.costPerModel.toExponential(3)} ${a.costModel.unit} per model${a.provable ? "" : " (not all steps provable)"}`;
}
