// A LLaMA model on the native forwards (native/quant/, through the addon's LlamaRunner): the float32
// forward and the fixed-point one, on the CPU or a GPU. acc/ wraps it with its quantization configs.
import { pickBackend, type Backend } from './backend';
import { native } from './bindings/native';
import type { LlamaShape, NativeForwardResult, NativeLlamaRunner, NativeLlamaWeights, NativeQuantConfig } from './bindings/native-quant';

export interface NativeRunnerOptions {
  /** The fixed-point forward's configuration (native form), or null/absent for the float32 forward. */
  quant?: NativeQuantConfig | null;
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

export class NativeLlamaModelRunner {
  private readonly inner: NativeLlamaRunner;

  constructor(readonly model: { config: LlamaShape; weights: NativeLlamaWeights }) {
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

  private options(o: NativeRunnerOptions) {
    return {
      quant: o.quant ?? null,
      backend: pickBackend({ backend: o.backend }),
      logits: o.logits ?? false,
      keepStates: o.keepStates ?? false,
      compareStates: o.compareStates ?? false,
      intStates: o.intStates ?? false,
      ...(o.captureLayers ? { captureLayers: o.captureLayers } : {}),
    };
  }

  forwardNative(tokens: Uint32Array | Int32Array, o: NativeRunnerOptions = {}): NativeForwardResult {
    return this.inner.forward(tokens, this.options(o));
  }

  /** The same, off the main thread. */
  forwardNativeAsync(tokens: Uint32Array | Int32Array, o: NativeRunnerOptions = {}): Promise<NativeForwardResult> {
    return this.inner.forwardAsync(tokens, this.options(o));
  }
}
