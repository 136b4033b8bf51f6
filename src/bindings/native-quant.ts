// Types of the addon's accuracy-experiment surface (native/addon/quant_api.cpp), merged into
// NativeAddon so that native() is typed for it.
import type { NativeBackend } from './native';

/** The zkAttn tables' parameters (native/quant/zkattn_tables.h). */
export interface NativeZkAttnTableConfig {
  segmentBits: number[];
  rangeOnly: number;
  indicator: number;
  /** Integers in [1, 2^53], one per mapping segment. */
  theta: number[];
  sfIn: number;
  headDim: number;
}

export interface NativeZkAttnTables {
  budgetBits: number;
  expDenominator: number;
  bases: BigInt64Array;
  kinds: Array<'range' | 'mapping' | 'indicator'>;
  tables: BigInt64Array[];
}

/** Every field explicit: acc/quant-config.ts fills in defaults before a config reaches the addon. */
export interface NativeQuantConfig {
  valueBits: number;
  weightBits: number;
  qkBits: number;
  logitBits: number;
  rounding: 'half-up' | 'half-away';
  /** Optional for older callers; absent means 'half-away'. */
  quantizeRounding?: 'half-away' | 'half-even';
  softmax:
    | { kind: 'zkattn'; segmentBits: number[]; rangeOnly: number; indicator: number; thetaBits: number[]; productRescaleBits: number[]; outputRescaleBits: number[] }
    | { kind: 'float-exp'; probBits: number; outputRescaleBits: number[] };
  norm: { kind: 'table' | 'float'; tableBits: number; outBits: number };
  silu: { kind: 'table' | 'float'; inBits: number; tableBits: number };
}

export interface NativeAttnStats {
  maxAbsErr: number;
  meanAbsErr: number;
  entries: number;
  /** Smallest and largest row sum of Y / 2^probBits. */
  rowSumMin: number;
  rowSumMax: number;
}

export interface NativeSoftmaxResult {
  y: BigInt64Array;
  shift: BigInt64Array;
  probBits: number;
  stats: NativeAttnStats;
}

/** The shape of a LLaMA model: the one type for it (acc/llama-config.ts extends it). */
export interface LlamaShape {
  hiddenSize: number;
  intermediateSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  vocabSize: number;
  rmsNormEps: number;
  ropeTheta: number;
}

export interface NativeLlamaWeights {
  embedTokens: Float32Array;
  norm: Float32Array;
  lmHead: Float32Array;
  layers: Array<{
    inputLayernorm: Float32Array;
    qProj: Float32Array;
    kProj: Float32Array;
    vProj: Float32Array;
    oProj: Float32Array;
    postAttentionLayernorm: Float32Array;
    gateProj: Float32Array;
    upProj: Float32Array;
    downProj: Float32Array;
  }>;
}

export interface NativeForwardOptions {
  /** null: the float32 forward. */
  quant: NativeQuantConfig | null;
  backend: NativeBackend;
  logits?: boolean;
  /** Float runs: keep each layer's output as the reference of the next quantized run. */
  keepStates?: boolean;
  /** Quantized runs: compare each layer's output with the kept float run of the same tokens. */
  compareStates?: boolean;
  /** Quantized runs: return every layer's int64 residual stream. */
  intStates?: boolean;
  /** Quantized runs: layers (ascending, no repeats) whose attention inputs and output are returned. */
  captureLayers?: number[];
}

/**
 * One layer's attention as the fixed-point forward computed it, head-major ([heads, T, headDim]):
 * Q and K after RoPE at 2^qkBits, V at 2^valueBits, O = softmax(Q.K^T).V after its rescales (V's
 * scale). Grouped-query K and V are expanded to every query head (head h reads h / (heads / kvHeads)).
 */
export interface NativeAttentionCapture {
  layer: number;
  q: BigInt64Array;
  k: BigInt64Array;
  v: BigInt64Array;
  o: BigInt64Array;
}

export interface NativeLayerReport {
  attnMaxAbsErr: number;
  attnMeanAbsErr: number;
  attnEntries: number;
  rowSumMaxDev: number;
  /** The RMSNorm table shifts k (attention, MLP); -1 for the float kind. */
  normShift: [number, number];
  stateRelRmsErr?: number;
  stateMaxAbsErr?: number;
}

export interface NativeForwardResult {
  losses: Float64Array;
  logits?: Float32Array;
  intStates?: BigInt64Array;
  finalState?: BigInt64Array;
  /** One per captureLayers entry, in that order. */
  attention?: NativeAttentionCapture[];
  layers: NativeLayerReport[];
  ms: number;
  backend: 'cpu' | 'cuda';
}

export interface NativeLlamaRunner {
  forward(tokens: Uint32Array | Int32Array, options: NativeForwardOptions): NativeForwardResult;
  forwardAsync(tokens: Uint32Array | Int32Array, options: NativeForwardOptions): Promise<NativeForwardResult>;
}

declare module './native' {
  interface NativeAddon {
    zkAttnTables(config: NativeZkAttnTableConfig): NativeZkAttnTables;
    zkAttnDigits(config: NativeZkAttnTableConfig, z: BigInt64Array): Uint32Array;
    quantSoftmax(
      logits: BigInt64Array,
      rows: number,
      n: number,
      causal: boolean,
      config: NativeQuantConfig,
      headDim: number,
      backend: NativeBackend,
    ): NativeSoftmaxResult;
    LlamaRunner: new (config: LlamaShape, weights: NativeLlamaWeights) => NativeLlamaRunner;
  }
}
