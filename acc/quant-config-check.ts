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
