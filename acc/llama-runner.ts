// A loaded model on the native forwards, with the accuracy experiments' quantization configs.

import { NativeLlamaModelRunner, type Backend, type NativeForwardResult } from "../src";
import type { LlamaModel } from "./checkpoint";
import { toNativeQuantConfig, type QuantConfig } from "./quant-config";

export interface RunnerForwardOptions {
  /** A quantization config, or null/absent for the float32 forward. */
  quant?: QuantConfig | null;
  backend?: Backend;
  /** Return the logits ([T, vocab], float32). */
  logits?: boolean;
  /** Float runs: keep each layer's output as the reference of the next quantized run of the same window. */
  keepStates?: boolean;
  /** Quantized runs: report each layer's error against the kept float run. */
  compareStates?: boolean;
  /** Quantized runs: return every layer's int64 residual stream and the final one. */
  intStates?: boolean;
  /** Quantized runs: return the attention of these layers (ascending, no repeats): Q, K after RoPE,
   *  V and the output, head-major, as `attention` (what a zkAttn proof of the layer is fed). */
  captureLayers?: number[];
}

/** The addon prefixes its errors with its entry point ("forwardAsync: ", "forward: "): not a name a user knows. */
function plainError(e: unknown): unknown {
  if (e instanceof Error) e.message = e.message.replace(/^(forwardAsync|forward): /, "");
  return e;
}

export class LlamaRunner extends NativeLlamaModelRunner {
  constructor(override readonly model: LlamaModel) {
    super(model);
  }

  forward(tokens: Uint32Array | Int32Array, o: RunnerForwardOptions = {}): NativeForwardResult {
    try {
      return this.forwardNative(tokens, { ...o, quant: o.quant ? toNativeQuantConfig(o.quant) : null });
    } catch (e) {
      throw plainError(e);
    }
  }

  /** The same, off the main thread. */
  async forwardAsync(tokens: Uint32Array | Int32Array, o: RunnerForwardOptions = {}): Promise<NativeForwardResult> {
    try {
      return await this.forwardNativeAsync(tokens, { ...o, quant: o.quant ? toNativeQuantConfig(o.quant) : null });
    } catch (e) {
      throw plainError(e);
    }
  }
}
