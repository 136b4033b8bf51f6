// The attention parameters of a 'zkattn' statement for a quantization configuration: the config in
// the addon's form and the row-sum bound (rowShiftBoundBits, the same bound the tlookup accounting
// prices), so that a proof's lookups are the ones `zkllm acc` counts for the configuration.

import type { AttentionParams } from "../src";
import { isProvable, resolveQuantConfig, toNativeQuantConfig, type QuantConfig, type QuantConfigInput } from "./quant-config";
import { rowShiftBoundRange } from "./tlookup-accounting";

/**
 * `keyRows` is the length of the longest softmax row (the window, n); `headDim` the d of 1/sqrt(d).
 * Throws for a configuration that is not provable (float exp, rsqrt or SiLU).
 */
export function zkattnParams(config: QuantConfig | QuantConfigInput | string, headDim: number, keyRows: number): AttentionParams {
  const c = typeof config === "string" || !("name" in config && "softmax" in config && "maxTableBits" in config) ? resolveQuantConfig(config as string | QuantConfigInput) : (config as QuantConfig);
  if (!isProvable(c)) throw new Error(`zkattn: configuration '${c.name}' is not provable (its softmax, RMSNorm or SiLU is computed in float)`);
  for (const [k, v] of [["headDim", headDim], ["keyRows", keyRows]] as const)
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`zkattn: ${k} must be a positive integer, got ${v}`);
  const bound = rowShiftBoundRange(c, headDim, keyRows);
  return {
    config: toNativeQuantConfig(c) as unknown as Record<string, unknown>,
    name: c.name,
    maxTableBits: c.maxTableBits,
    rowSumLow: bound.low,
    rowSumBits: bound.bits,
  };
}
