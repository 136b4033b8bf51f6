// A loaded model on the native forwards (native/quant/, through the addon's LlamaRunner): the
// float32 forward and the fixed-point one, on the CPU or a GPU.

import { pickBackend, type Backend } from "../src/backend";
import { native } from "../src/bindings/native";
import type { NativeForwardResult, NativeLlamaRunner } from "../src/bindings/native-quant";
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
}

/** The addon prefixes its errors with its entry point ("forwardAsync: ", "forward: "): not a name a user knows. */
function plainError(e: unknown): unknown {
  if (e instanceof Error) e.message = e.message.replace(/^(forwardAsync|forward): /, "");
  return e;
}

export class LlamaRunner {
  private readonly inner: NativeLlamaRunner;

  constructor(readonly model: LlamaModel) {
    const c = model.config;
    this.inner = new (native().LlamaRunner)(
      {
        hiddenSize: c.hiddenSize,
        intermediateSize: c.intermediateSize,
        numHiddenLayers: c.numHiddenLayers,
        numAttentionHeads: c.numAttentionHeads,
        numKeyValueHeads: c.numKeyValueHeads,
        headDim: c.headDim,
        vocabSize: c.vocabSize,
        rmsNormEps: c.rmsNormEps,
        ropeTheta: c.ropeTheta,
      },
      model.weights,
    );
  }

  private options(o: RunnerForwardOptions) {
    return {
      quant: o.quant ? toNativeQuantConfig(o.quant) : null,
      backend: pickBackend({ backend: o.backend }),
      logits: o.logits ?? false,
      keepStates: o.keepStates ?? false,
      compareStates: o.compareStates ?? false,
      intStates: o.intStates ?? false,
    };
  }

  forward(tokens: Uint32Array | Int32Array, o: RunnerForwardOptions = {}): NativeForwardResult {
    try {
      return this.inner.forward(tokens, this.options(o));
    } catch (e) {
      throw plainError(e);
    }
  }

  /** The same, off the main thread. */
  async forwardAsync(tokens: Uint32Array | Int32Array, o: RunnerForwardOptions = {}): Promise<NativeForwardResult> {
    try {
      return await this.inner.forwardAsync(tokens, this.options(o));
    } catch (e) {
      throw plainError(e);
    }
  }
}
