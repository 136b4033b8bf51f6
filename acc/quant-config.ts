// Quantization configurations of the fixed-point LLaMA forward: defaults, the anchor's presets
// (reference §6.6, §7 and the README's tlookup counts), JSON input, and the sweep used for the
// trade-off table. The native side validates every field again.

import * as fs from "node:fs";
import { checkQuantConfig } from "./quant-config-check";

export { checkQuantConfig, isProvable, toNativeQuantConfig } from "./quant-config-check";

/** How an integer is divided by 2^k (rescaling): ties up (what rescaling.cu proves) or away from zero. */
export type Rounding = "half-up" | "half-away";
/** How a float (weight, embedding row, RoPE cos/sin) is rounded onto its grid: llround or torch.round. */
export type QuantizeRounding = "half-away" | "half-even";

export interface ZkAttnSoftmaxConfig {
  kind: "zkattn";
  /** log2 of each segment's table size, least significant segment first. */
  segmentBits: number[];
  /** L: the low segments that are only range-checked (exp taken as 1). */
  rangeOnly: number;
  /** M: top segments whose table is [digit == 0] (a nonzero digit means probability 0). */
  indicator: number;
  /** log2 theta of each mapping segment (K - L - M of them). */
  thetaBits: number[];
  /** After each mapping segment's product beyond the first: rescale by 2^bits (0 = none). */
  productRescaleBits: number[];
  /** Y.V is brought back to V's scale by these rescales, in order; they add up to the probabilities' bits. */
  outputRescaleBits: number[];
}

export interface FloatExpSoftmaxConfig {
  /** The anchor's accuracy script: exp in double, probabilities rounded to 2^-probBits. Not provable. */
  kind: "float-exp";
  probBits: number;
  outputRescaleBits: number[];
}

export interface QuantConfig {
  name: string;
  description: string;
  /** Activations at scale 2^valueBits. */
  valueBits: number;
  /** Weights (and RMSNorm weights) at 2^weightBits. */
  weightBits: number;
  /** Q and K after their projection and RoPE. */
  qkBits: number;
  /** The softmax reads Q.K^T at 2^logitBits (2 qkBits - logitBits is one rescale before it). */
  logitBits: number;
  rounding: Rounding;
  /** Rounding of weights, embedding rows and RoPE's cos/sin onto their grid (the anchor's script: half-even). */
  quantizeRounding: QuantizeRounding;
  softmax: ZkAttnSoftmaxConfig | FloatExpSoftmaxConfig;
  norm: { kind: "table" | "float"; tableBits: number; outBits: number };
  silu: { kind: "table" | "float"; inBits: number; tableBits: number };
  /** Accounting only: a rescale by k bits is range-checked with ceil(k / maxTableBits) tlookups. */
  maxTableBits: number;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Array<infer U> ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type QuantConfigInput = DeepPartial<Omit<QuantConfig, "softmax">> & {
  softmax?: Partial<ZkAttnSoftmaxConfig> | Partial<FloatExpSoftmaxConfig>;
  /** Start from this preset, then apply the other fields. */
  preset?: string;
};

/** The probabilities' scale bits: sum of theta bits minus product rescales, or float-exp's probBits. */
export function probabilityBits(s: ZkAttnSoftmaxConfig | FloatExpSoftmaxConfig): number {
  if (s.kind === "float-exp") return s.probBits;
  return s.thetaBits.reduce((a, b) => a + b, 0) - s.productRescaleBits.reduce((a, b) => a + b, 0);
}

/** Splits a rescale of `bits` into as few rescales of at most maxBits as possible, as evenly as possible. */
export function evenSplit(bits: number, maxBits: number): number[] {
  if (bits <= 0) return [];
  const n = Math.ceil(bits / maxBits);
  const base = Math.floor(bits / n);
  return Array.from({ length: n }, (_, i) => base + (i < bits % n ? 1 : 0));
}

const ANCHOR_SOFTMAX: ZkAttnSoftmaxConfig = {
  kind: "zkattn",
  segmentBits: [8, 20, 20],
  rangeOnly: 1,
  indicator: 0,
  thetaBits: [18, 22],
  productRescaleBits: [0],
  outputRescaleBits: [20, 20],
};

function base(name: string, description: string): QuantConfig {
  return {
    name,
    description,
    valueBits: 16,
    weightBits: 16,
    qkBits: 16,
    logitBits: 32,
    rounding: "half-up",
    quantizeRounding: "half-away",
    softmax: structuredClone(ANCHOR_SOFTMAX),
    norm: { kind: "table", tableBits: 20, outBits: 16 },
    silu: { kind: "table", inBits: 12, tableBits: 22 },
    maxTableBits: 20,
  };
}

function preset(name: string, description: string, patch: QuantConfigInput): QuantConfig {
  return mergeConfig(base(name, description), patch);
}

/**
 * The anchor's configurations. Values 2^16, weights 2^16 and the 2^22-entry SiLU table at gate scale
 * 2^12 are the anchor's LLaMa-2 pipeline (reference §6.4-6.6), with its SiLU output scale fixed.
 */
export const QUANT_PRESETS: Readonly<Record<string, QuantConfig>> = Object.freeze({
  "anchor-attn": preset(
    "anchor-attn",
    "zkLLM self-attn 'attn' mode: segments 2^8*2^20*2^20, L=1, theta 2^18*2^22, Y.V rescaled by 2^20 twice (5 tlookups per zkAttn)",
    {},
  ),
  "anchor-head": preset(
    "anchor-head",
    "zkllm-benchmark 'head' mode: the same softmax, Y.V rescaled by 2^13, 2^13, 2^14 (6 tlookups per zkAttn)",
    { softmax: { outputRescaleBits: [13, 13, 14] } },
  ),
  "anchor-16x3": preset(
    "anchor-16x3",
    "the anchor's commented-out zkAttn: segments 2^16*2^16*2^16, L=1, theta 2^5*2^11, one 2^16 rescale (4 tlookups per zkAttn)",
    { softmax: { kind: "zkattn", segmentBits: [16, 16, 16], rangeOnly: 1, indicator: 0, thetaBits: [5, 11], productRescaleBits: [0], outputRescaleBits: [16] } },
  ),
  "readme-5": preset(
    "readme-5",
    "the README's 5 tlookups of range 2^16 per zkAttn: segments 2^16*2^16*2^16 (L=1), theta 2^16*2^16, two 2^16 rescales",
    { softmax: { kind: "zkattn", segmentBits: [16, 16, 16], rangeOnly: 1, indicator: 0, thetaBits: [16, 16], productRescaleBits: [0], outputRescaleBits: [16, 16] } },
  ),
  "readme-2": preset(
    "readme-2",
    "the README's 2 tlookups of range 2^16 per zkAttn: one 2^16 mapping segment (theta 2^16) and one 2^16 rescale; Q and K at 2^4 so that logits at 2^8 fit 16 digit bits",
    {
      qkBits: 4,
      logitBits: 8,
      softmax: { kind: "zkattn", segmentBits: [16], rangeOnly: 0, indicator: 0, thetaBits: [16], productRescaleBits: [], outputRescaleBits: [16] },
    },
  ),
  "readme-2-clamp": preset(
    "readme-2-clamp",
    "readme-2 plus a 2^8 indicator segment above the 2^16 one, so a logit more than 2^16 / (2^8 sqrt d) softmax units below its row's maximum gets probability 0 instead of an error (3 tlookups per zkAttn)",
    {
      qkBits: 4,
      logitBits: 8,
      softmax: { kind: "zkattn", segmentBits: [16, 8], rangeOnly: 0, indicator: 1, thetaBits: [16], productRescaleBits: [], outputRescaleBits: [16] },
    },
  ),
  // The cheapest provable fallback: one mapping segment and an indicator, every rescale one tlookup.
  "zk-12-clamp": preset(
    "zk-12-clamp",
    "the cheapest provable fallback: zk-12's 2^12 values and tables, Q and K at 2^4 (logits at 2^8), one 2^16 mapping segment (theta 2^12) and a 2^8 indicator, one 2^12 rescale of Y.V (3 tlookups per zkAttn)",
    {
      valueBits: 12, weightBits: 12, qkBits: 4, logitBits: 8, norm: { kind: "table", tableBits: 16, outBits: 12 }, silu: { kind: "table", inBits: 8, tableBits: 16 },
      softmax: { kind: "zkattn", segmentBits: [16, 8], rangeOnly: 0, indicator: 1, thetaBits: [12], productRescaleBits: [], outputRescaleBits: [12] },
    },
  ),
  "anchor-acc": preset(
    "anchor-acc",
    "the anchor's accuracy script (acc/main.py): scale 2^12, logits at 2^12, exp/rsqrt/SiLU in float, probabilities on the 2^-12 grid, weights/embeddings/cos/sin rounded half to even (torch.round), rescales half away from zero (not provable as is)",
    {
      valueBits: 12,
      weightBits: 12,
      qkBits: 12,
      logitBits: 12,
      rounding: "half-away",
      quantizeRounding: "half-even",
      softmax: { kind: "float-exp", probBits: 12, outputRescaleBits: [12] },
      norm: { kind: "float", tableBits: 20, outBits: 12 },
      silu: { kind: "float", inBits: 12, tableBits: 22 },
    },
  ),
  "zk-12": preset(
    "zk-12",
    "everything at 2^12 with tables: logits at 2^16, segments 2^8*2^12*2^12 (L=1), theta 2^12*2^12, two 2^12 rescales, 2^16-entry rsqrt table",
    {
      valueBits: 12,
      weightBits: 12,
      qkBits: 12,
      logitBits: 16,
      softmax: { kind: "zkattn", segmentBits: [8, 12, 12], rangeOnly: 1, indicator: 0, thetaBits: [12, 12], productRescaleBits: [0], outputRescaleBits: [12, 12] },
      norm: { kind: "table", tableBits: 16, outBits: 12 },
      silu: { kind: "table", inBits: 8, tableBits: 16 },
    },
  ),
  "zk-8": preset(
    "zk-8",
    "everything at 2^8 with tables: logits at 2^10, segments 2^4*2^10*2^10 (L=1), theta 2^8*2^8, two 2^8 rescales, 2^12-entry rsqrt and SiLU tables",
    {
      valueBits: 8,
      weightBits: 8,
      qkBits: 8,
      logitBits: 10,
      softmax: { kind: "zkattn", segmentBits: [4, 10, 10], rangeOnly: 1, indicator: 0, thetaBits: [8, 8], productRescaleBits: [0], outputRescaleBits: [8, 8] },
      norm: { kind: "table", tableBits: 12, outBits: 8 },
      silu: { kind: "table", inBits: 6, tableBits: 12 },
    },
  ),
});

/** The configurations of the default sweep: the anchor's, the README's, and lower precisions. */
export const SWEEP_PRESETS = ["anchor-attn", "anchor-head", "anchor-16x3", "readme-5", "readme-2", "readme-2-clamp", "zk-12", "zk-12-clamp", "zk-8", "anchor-acc"] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Applies a partial config on top of a full one; a softmax of another kind replaces the whole softmax. */
export function mergeConfig(target: QuantConfig, patch: QuantConfigInput): QuantConfig {
  const out = structuredClone(target);
  const known = new Set(["preset", "name", "description", "valueBits", "weightBits", "qkBits", "logitBits", "rounding", "quantizeRounding", "softmax", "norm", "silu", "maxTableBits"]);
  for (const key of Object.keys(patch)) if (!known.has(key)) throw new Error(`quantization config: unknown field "${key}"`);
  const p = patch as Record<string, unknown>;
  for (const key of ["name", "description", "rounding", "quantizeRounding"] as const) if (p[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = p[key];
  for (const key of ["valueBits", "weightBits", "qkBits", "logitBits", "maxTableBits"] as const) if (p[key] !== undefined) out[key] = p[key] as number;
  // Scales that follow valueBits unless given: the defaults keep the anchor's relations.
  if (p.valueBits !== undefined) {
    if (p.weightBits === undefined) out.weightBits = out.valueBits;
    if (p.qkBits === undefined) out.qkBits = out.valueBits;
    if (p.logitBits === undefined) out.logitBits = 2 * out.qkBits;
    if (!isObject(p.norm) || p.norm.outBits === undefined) out.norm.outBits = out.valueBits;
  } else if (p.qkBits !== undefined && p.logitBits === undefined) {
    out.logitBits = 2 * out.qkBits;
  }
  if (p.softmax !== undefined) {
    if (!isObject(p.softmax)) throw new Error("quantization config: softmax must be an object");
    const s = p.softmax as Record<string, unknown>;
    const kind = s.kind ?? out.softmax.kind;
    if (kind !== out.softmax.kind) {
      out.softmax = kind === "float-exp" ? { kind: "float-exp", probBits: 12, outputRescaleBits: [] } : structuredClone(ANCHOR_SOFTMAX);
      if (kind !== "float-exp" && kind !== "zkattn") throw new Error(`quantization config: softmax.kind must be "zkattn" or "float-exp", got ${JSON.stringify(kind)}`);
    }
    const sk = new Set(out.softmax.kind === "zkattn" ? ["kind", "segmentBits", "rangeOnly", "indicator", "thetaBits", "productRescaleBits", "outputRescaleBits"] : ["kind", "probBits", "outputRescaleBits"]);
    for (const key of Object.keys(s)) if (!sk.has(key)) throw new Error(`quantization config: softmax.${key} does not apply to softmax kind "${out.softmax.kind}"`);
    Object.assign(out.softmax, s);
    const sm = out.softmax;
    // A new segment layout gets matching defaults for what it did not say.
    if (sm.kind === "zkattn") {
      const mappings = sm.segmentBits.length - sm.rangeOnly - sm.indicator;
      if (s.thetaBits === undefined && s.segmentBits !== undefined) sm.thetaBits = Array.from({ length: Math.max(0, mappings) }, () => 16);
      if (s.productRescaleBits === undefined) sm.productRescaleBits = Array.from({ length: Math.max(0, sm.thetaBits.length - 1) }, () => 0);
    }
    if (s.outputRescaleBits === undefined) sm.outputRescaleBits = evenSplit(probabilityBits(sm), out.maxTableBits);
  }
  for (const key of ["norm", "silu"] as const) {
    if (p[key] === undefined) continue;
    if (!isObject(p[key])) throw new Error(`quantization config: ${key} must be an object`);
    for (const k of Object.keys(p[key] as object)) if (!(k in out[key])) throw new Error(`quantization config: unknown field ${key}.${k}`);
    Object.assign(out[key], p[key]);
  }
  return out;
}

/**
 * A configuration from a preset name, a JSON object/text (optionally `{"preset": name, ...}` to
 * start from a preset), or a path to a JSON file. Missing fields take the anchor-attn defaults.
 */
export function resolveQuantConfig(spec: string | QuantConfigInput): QuantConfig {
  let input: QuantConfigInput;
  if (typeof spec === "string") {
    const text = spec.trim();
    if (QUANT_PRESETS[text] !== undefined) return structuredClone(QUANT_PRESETS[text]);
    if (text.startsWith("{")) {
      try {
        input = JSON.parse(text) as QuantConfigInput;
      } catch (e) {
        throw new Error(`quantization config: not valid JSON: ${(e as Error).message}`);
      }
    } else if (fs.existsSync(text) && fs.statSync(text).isFile()) {
      try {
        input = JSON.parse(fs.readFileSync(text, "utf8")) as QuantConfigInput;
      } catch (e) {
        throw new Error(`quantization config ${text}: not valid JSON: ${(e as Error).message}`);
      }
    } else if (/\.json$/i.test(text) || text.includes("/")) {
      throw new Error(`quantization config file not found: ${text}`);
    } else {
      throw new Error(`unknown quantization preset "${text}" (presets: ${Object.keys(QUANT_PRESETS).join(", ")}; or give JSON or a JSON file)`);
    }
  } else {
    input = spec;
  }
  if (!isObject(input)) throw new Error("quantization config: expected a JSON object");
  const start = input.preset !== undefined ? QUANT_PRESETS[input.preset] : undefined;
  if (input.preset !== undefined && start === undefined) throw new Error(`quantization config: unknown preset "${input.preset}"`);
  const { preset: presetName, ...rest } = input;
  const merged = mergeConfig(start ?? base("custom", "custom configuration"), rest);
  if (rest.name === undefined) merged.name = presetName !== undefined ? `${presetName}+custom` : "custom";
  if (rest.description === undefined && presetName === undefined) merged.description = "custom configuration";
  checkQuantConfig(merged);
  return merged;
}
