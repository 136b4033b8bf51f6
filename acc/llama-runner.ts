// A loaded model on the native forwards, with the accuracy experiments' quantization configs.

import { NativeLlamaModelRunner, type NativeForwardResult, type NativeRunnerOptions } from "../src";
import type { LlamaModel } from "./checkpoint";
import { toNativeQuantConfig, type QuantConfig } from "./quant-config";

/** The native runner's options, with a quantization config in acc's form (or null/absent for the float32 forward). */
export type RunnerForwardOptions = Omit<NativeRunnerOptions, "quant"> & { quant?: QuantConfig | null };

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
