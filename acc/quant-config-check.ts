// Checks of a quantization configuration and its conversion to what the addon reads (kept apart
// from quant-config.ts, which holds the presets and the merging of partial configs).

import type { NativeQuantConfig } from "../src";
import type { QuantConfig } from "./quant-config";

/** Cheap structural checks with readable messages; ranges and int64 budgets are checked natively. */
export function checkQuantConfig(c: QuantConfig): void {
  const ints: Array<[string, unknown]> = [
    ["valueBits", c.valueBits],
    ["weightBits", c.weightBits],
    ["qkBits", c.qkBits],
    ["logitBits", c.logitBits],
    ["maxTableBits", c.maxTableBits],
    ["norm.tableBits", c.norm.tableBits],
    ["norm.outBits", c.norm.outBits],
    ["silu.inBits", c.silu.inBits],
    ["silu.tableBits", c.silu.tableBits],
  ];
  if (c.softmax.kind === "float-exp") ints.push(["softmax.probBits", c.softmax.probBits]);
  else ints.push(["softmax.rangeOnly", c.softmax.rangeOnly], ["softmax.indicator", c.softmax.indicator]);
  for (const [name, v] of ints) if (!Number.isInteger(v)) throw new Error(`quantization config: ${name} must be an integer, got ${JSON.stringify(v)}`);
  const lists: Array<[string, unknown]> = [["softmax.outputRescaleBits", c.softmax.outputRescaleBits]];
  if (c.softmax.kind === "zkattn")
    lists.push(["softmax.segmentBits", c.softmax.segmentBits], ["softmax.thetaBits", c.softmax.thetaBits], ["softmax.productRescaleBits", c.softmax.productRescaleBits]);
  for (const [name, v] of lists)
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw new Error(`quantization config: ${name} must be a list of integers`);
  if (c.rounding !== "half-up" && c.rounding !== "half-away") throw new Error(`quantization config: rounding must be "half-up" or "half-away"`);
  if (c.quantizeRounding !== "half-away" && c.quantizeRounding !== "half-even")
    throw new Error(`quantization config: quantizeRounding must be "half-away" or "half-even"`);
  if (!["table", "float"].includes(c.norm.kind) || !["table", "float"].includes(c.silu.kind))
    throw new Error('quantization config: norm.kind and silu.kind must be "table" or "float"');
  if (c.maxTableBits < 1) throw new Error("quantization config: maxTableBits must be positive");
}

/** What checkQuantConfigForModel needs of the model. */
export interface QuantCheckShape {
  headDim: number;
  rmsNormEps: number;
}

const MAX_SEGMENTS = 8; // native/quant/softmax_entry.h
const MAX_SEGMENT_BITS = 26; // native/quant/zkattn_tables.h
const MAX_BUDGET_BITS = 62;

/**
 * Every check the addon makes of a configuration before a quantized forward
 * (native/quant/quant_config.cpp validate_config and zkattn::validate), with the same messages, so
 * that a bad configuration is refused before any forward runs (test/validation-acc.test.ts keeps the
 * two in step).
 */
export function checkQuantConfigForModel(c: QuantConfig, shape: QuantCheckShape): void {
  checkQuantConfig(c);
  const fail = (what: string): never => {
    // zkattn::validate's messages carry their own prefix
    throw new Error(what.startsWith("zkAttn tables: ") ? what : `quantization config: ${what}`);
  };
  const need = (ok: boolean, what: string) => {
    if (!ok) fail(what);
  };
  const inRange = (v: number, lo: number, hi: number, name: string) => need(v >= lo && v <= hi, `${name} = ${v} is outside [${lo}, ${hi}]`);
  const list = (v: number[]) => `[${v.join(",")}]`;
  inRange(c.valueBits, 2, 24, "valueBits");
  inRange(c.weightBits, 2, 24, "weightBits");
  inRange(c.qkBits, 1, 24, "qkBits");
  need(c.qkBits <= c.valueBits + c.weightBits, "qkBits must not exceed valueBits + weightBits (Q and K are rescaled down from the projection)");
  inRange(c.logitBits, 0, 2 * c.qkBits, "logitBits");
  const sm = c.softmax;
  let P: number;
  if (sm.kind === "zkattn") {
    need(sm.segmentBits.length <= MAX_SEGMENTS, `at most ${MAX_SEGMENTS} softmax segments`);
    for (const b of sm.thetaBits) inRange(b, 0, 53, "thetaBits entry");
    const K = sm.segmentBits.length;
    if (K === 0) fail("zkAttn tables: at least one segment is needed");
    let total = 0;
    sm.segmentBits.forEach((b, i) => {
      if (b < 1 || b > MAX_SEGMENT_BITS) fail(`zkAttn tables: segment ${i} has ${b} bits; each segment needs 1..${MAX_SEGMENT_BITS}`);
      total += b;
    });
    if (total > MAX_BUDGET_BITS) fail(`zkAttn tables: the segments cover ${total} bits, more than ${MAX_BUDGET_BITS}`);
    if (sm.rangeOnly < 0 || sm.indicator < 0 || sm.rangeOnly + sm.indicator >= K)
      fail(`zkAttn tables: need L >= 0, M >= 0 and L + M < K (got L=${sm.rangeOnly}, M=${sm.indicator}, K=${K})`);
    const mappings = K - sm.rangeOnly - sm.indicator;
    if (sm.thetaBits.length !== mappings) fail(`zkAttn tables: ${mappings} mapping segments need as many theta values, got ${sm.thetaBits.length}`);
    if (!(shape.headDim >= 1)) fail("zkAttn tables: the head dimension must be positive");
    need(sm.productRescaleBits.length === mappings - 1, `productRescaleBits needs one entry per mapping segment after the first (${mappings - 1}), got ${list(sm.productRescaleBits)}`);
    let bits = sm.thetaBits[0];
    for (let j = 1; j < mappings; j++) {
      need(bits + sm.thetaBits[j] <= 62, `the product of segment outputs reaches 2^${bits + sm.thetaBits[j]} before its rescale; add productRescaleBits or lower thetaBits`);
      inRange(sm.productRescaleBits[j - 1], 0, bits + sm.thetaBits[j], "productRescaleBits entry");
      bits += sm.thetaBits[j] - sm.productRescaleBits[j - 1];
    }
    P = sm.thetaBits.reduce((a, b) => a + b, 0) - sm.productRescaleBits.reduce((a, b) => a + b, 0);
  } else {
    inRange(sm.probBits, 1, 52, "probBits");
    P = sm.probBits;
  }
  inRange(P, 1, 60, "the probabilities' scale bits");
  need(sm.outputRescaleBits.length <= MAX_SEGMENTS, `at most ${MAX_SEGMENTS} output rescales`);
  let out = 0;
  for (const r of sm.outputRescaleBits) {
    inRange(r, 1, 62, "outputRescaleBits entry");
    out += r;
  }
  need(out === P, `outputRescaleBits ${list(sm.outputRescaleBits)} must add up to the probabilities' scale bits ${P}, so that softmax.V comes back to V's scale`);
  if (c.norm.kind === "table") inRange(c.norm.tableBits, 4, 26, "norm.tableBits");
  inRange(c.norm.outBits, 2, 30, "norm.outBits");
  need(c.norm.outBits + c.weightBits >= c.valueBits, "norm.outBits + weightBits must be at least valueBits");
  const rinvMaxBits = c.norm.outBits + 0.5 * Math.log2(1 / shape.rmsNormEps) + 1;
  need(rinvMaxBits + 31 <= 62, `norm.outBits = ${c.norm.outBits} makes 1/rms (up to 2^${Math.ceil(rinvMaxBits)} with eps ${shape.rmsNormEps}) times a weight overflow int64`);
  inRange(c.silu.inBits, 0, c.valueBits + c.weightBits, "silu.inBits");
  if (c.silu.kind === "table") inRange(c.silu.tableBits, 4, 26, "silu.tableBits");
}

/** The fully explicit object the addon reads. */
export function toNativeQuantConfig(c: QuantConfig): NativeQuantConfig {
  checkQuantConfig(c);
  return {
    valueBits: c.valueBits,
    weightBits: c.weightBits,
    qkBits: c.qkBits,
    logitBits: c.logitBits,
    rounding: c.rounding,
    quantizeRounding: c.quantizeRounding,
    softmax: structuredClone(c.softmax),
    norm: { ...c.norm },
    silu: { ...c.silu },
  };
}

/** Whether every nonlinear step of this configuration is a table lookup a prover can prove. */
export function isProvable(c: QuantConfig): boolean {
  return c.softmax.kind === "zkattn" && c.norm.kind === "table" && c.silu.kind === "table";
}
