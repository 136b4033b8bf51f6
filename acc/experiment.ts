// The accuracy experiment: float vs fixed-point perplexity of a LLaMA checkpoint on token windows,
// for one or more quantization configs, with the zkAttn softmax's own error, per-layer error growth
// and the tlookup count of each config. Windows run outermost, so the float run of a window (and
// its layer outputs) is shared by every config.

import * as fs from "node:fs";
import * as path from "node:path";
import { checkHostMemory, describeValue, formatBytes, getDefaultBackend, info, MemoryLimitError, type Backend } from "../src";
import { LlamaCheckpoint, expectedLlamaTensors, type LlamaModel } from "./checkpoint";
import type { LlamaConfig } from "./llama-config";
import { checkQuantConfigForModel } from "./quant-config-check";
import { numElements } from "./safetensors";
import { loadEvalData, type EvalDataOptions, type EvalDataRecord } from "./eval-data";
import { LlamaRunner } from "./llama-runner";
import { meanOf, summarizeWindowLosses, type PerplexitySummary } from "./metrics";
import { QUANT_PRESETS, SWEEP_PRESETS, resolveQuantConfig, type QuantConfig, type QuantConfigInput } from "./quant-config";
import { describeAccount, tlookupAccounting, type TlookupAccount } from "./tlookup-accounting";
import { scoredCount, type EvalWindow } from "./windowing";
import { DEFAULT_MAX_DELTA_PPL, findFrontier, type Frontier } from "./frontier";
import type { TlookupCostModel } from "./tlookup-cost";
import { rowSumBound, type RowSumBound } from "./zkattn-bound";

export interface ExperimentProgress {
  window: number;
  windows: number;
  /** "float" or the config being run. */
  stage: string;
  elapsedMs: number;
}

/** Data options beyond the file (eval-data.ts): format, BOS policy, windowing mode and its parameters. */
export type ExperimentDataOptions = Omit<EvalDataOptions, "data" | "seqLen" | "samples">;

export interface ExperimentOptions extends ExperimentDataOptions {
  /** A Hugging Face LLaMA checkpoint folder (config.json, safetensors, tokenizer.json). */
  modelDir: string;
  /** "heldout" (default: the shipped held-out split), a C4 shard (c4-*.json.gz) or any corpus file (eval-data.ts). */
  data?: string;
  seqLen: number;
  /** Number of windows (at most this many; random windowing: exactly this many). */
  samples: number;
  /** Presets, JSON configs, or "sweep" for the default sweep. */
  configs: Array<string | QuantConfigInput>;
  backend?: Backend;
  onProgress?: (p: ExperimentProgress) => void;
  /** The frontier's perplexity budget (default 0.1). */
  maxDeltaPpl?: number;
  /** Prices of the tlookup accounting (default: 1 per entry, 1 per table row). */
  costModel?: TlookupCostModel;
}

export interface PerplexityChange {
  float: number;
  quantized: number;
  delta: number;
  relative: number;
}

export interface LayerOutcome {
  layer: number;
  /** ||h_quant - h_float|| / ||h_float|| of the layer's output, mean over windows. */
  stateRelRmsErr: number;
  stateMaxAbsErr: number;
  /** zkAttn probabilities against the exact softmax of the same integer logits. */
  attnMaxAbsErr: number;
  attnMeanAbsErr: number;
  rowSumMaxDev: number;
  /** Largest RMSNorm table shift k (attention, MLP); -1 for the float kind. */
  normShift: [number, number];
}

export interface ConfigOutcome {
  config: QuantConfig;
  tlookups: TlookupAccount;
  tlookupSummary: string;
  /** Present unless the config failed (then `error` says why). */
  perplexity?: PerplexitySummary;
  change?: { meanWindowPerplexity: PerplexityChange; perplexityOfMeanLoss: PerplexityChange };
  attention?: { maxAbsErr: number; meanAbsErr: number; rowSumMaxDev: number; rowSumBound: RowSumBound };
  layers?: LayerOutcome[];
  ms: number;
  error?: string;
}

export interface ExperimentResult {
  kind: "zkllm-acc";
  model: { dir: string; hiddenSize: number; layers: number; heads: number; kvHeads: number; headDim: number; vocab: number };
  /** seqLen: tokens per forward; windowing: how the windows were made (absent for given windows). */
  data: { source: string; seqLen: number; windows: number; windowing?: EvalDataRecord; scoredTokens: number };
  backend: "cpu" | "cuda";
  device: string;
  float: PerplexitySummary & { ms: number };
  configs: ConfigOutcome[];
  /** The fewest-tlookup (and the cheapest) provable configuration within the ΔPPL budget. */
  frontier: Frontier;
  totalMs: number;
}

function change(f: number, q: number): PerplexityChange {
  return { float: f, quantized: q, delta: q - f, relative: (q - f) / f };
}

/** Expands "sweep" and comma lists into configurations. */
export function expandConfigs(specs: Array<string | QuantConfigInput>): QuantConfig[] {
  const out: QuantConfig[] = [];
  for (const s of specs) {
    if (typeof s === "string" && !s.trim().startsWith("{") && s.includes(",")) out.push(...expandConfigs(s.split(",").map((x) => x.trim()).filter(Boolean)));
    else if (s === "sweep") out.push(...SWEEP_PRESETS.map((n) => structuredClone(QUANT_PRESETS[n])));
    else out.push(resolveQuantConfig(s));
  }
  if (out.length === 0) throw new Error("no quantization config given");
  return out;
}

/**
 * Checks every configuration against the model before any forward runs (the addon would refuse
 * the same ones, but only after the float pass of the first window). Throws one error naming
 * each bad configuration.
 */
export function validateConfigs(configs: QuantConfig[], model: Pick<LlamaConfig, "headDim" | "rmsNormEps">): void {
  const bad: string[] = [];
  for (const c of configs) {
    try {
      checkQuantConfigForModel(c, model);
    } catch (e) {
      bad.push(`${c.name}: ${(e as Error).message}`);
    }
  }
  if (bad.length === 1 && configs.length === 1) throw new Error(bad[0]);
  if (bad.length > 0) throw new Error(`${bad.length} of ${configs.length} configurations are invalid: ${bad.join("; ")}`);
}

export interface AccMemoryEstimate {
  /** The float32 weights as loaded in JS. */
  weightBytes: number;
  /** What the forwards add: one int32 copy of the layer weights, the tables, one window's activations. */
  runBytes: number;
  /** Weights and run on the GPU, for the CUDA backend. */
  deviceBytes: number;
}

/**
 * Memory the experiment needs (a model, not a measurement): float32 weights (4 bytes a parameter,
 * held in JS and borrowed by the addon), one int32 copy of the layer weights (the addon keeps one
 * quantization at a time), the zkAttn, RMSNorm and SiLU tables of every configuration (8 bytes an
 * entry; the addon caches up to 8 table sets), and one window's activations: logits [T, vocab]
 * (twice), every layer's output [T, hidden] (the float reference), the scores of one layer [heads,
 * T, T] as int64 (twice) and the MLP's [T, intermediate] (4 int64 buffers); plus 128 MiB for the
 * tokenizer and the run. The GPU holds the weights (float and int32), the tables and the activations.
 */
export function estimateAccMemory(c: LlamaConfig, seqLen: number, configs: QuantConfig[]): AccMemoryEstimate {
  const params = (layers: number) => expectedLlamaTensors({ ...c, numHiddenLayers: layers }).reduce((a, t) => a + numElements(t.shape), 0);
  const all = params(c.numHiddenLayers);
  const layerParams = all - params(0);
  const tableBytes = (q: QuantConfig) => {
    const sm = q.softmax;
    const zk = sm.kind === "zkattn" ? sm.segmentBits.reduce((a, b, i) => a + (i >= sm.rangeOnly && i < sm.segmentBits.length - sm.indicator ? 2 ** b : 0), 0) : 0;
    return 8 * (zk + (q.norm.kind === "table" ? 2 ** q.norm.tableBits : 0) + (q.silu.kind === "table" ? 2 ** q.silu.tableBits : 0));
  };
  const tables = configs.map(tableBytes).sort((a, b) => b - a).slice(0, 8).reduce((a, b) => a + b, 0);
  const T = seqLen + 1;
  const activations = 8 * T * c.vocabSize + 4 * c.numHiddenLayers * T * c.hiddenSize + 16 * c.numAttentionHeads * T * T + 32 * T * c.intermediateSize;
  const weightBytes = 4 * all;
  const runBytes = (configs.length > 0 ? 4 * layerParams : 0) + tables + activations + 128 * 2 ** 20;
  return { weightBytes, runBytes, deviceBytes: weightBytes + (configs.length > 0 ? 4 * layerParams : 0) + tables + activations };
}

/** Refuses, before the model is read, an experiment this process or its GPU cannot hold. */
export function checkAccMemory(c: LlamaConfig, seqLen: number, configs: QuantConfig[], backend: Backend, weightsLoaded: boolean): void {
  const e = estimateAccMemory(c, seqLen, configs);
  const shape = `${c.numHiddenLayers} layers, hidden ${c.hiddenSize}, vocab ${c.vocabSize}, windows of ${seqLen}, ${configs.length} configuration${configs.length === 1 ? "" : "s"}`;
  checkHostMemory(`the accuracy experiment (${shape})`, (weightsLoaded ? 0 : e.weightBytes) + e.runBytes);
  if (backend === "cpu") return;
  const i = info();
  const d = i.devices[0];
  if (d === undefined) {
    // 'auto' runs on the CPU; 'cuda' cannot run at all
    if (backend === "cuda") throw new Error(`backend 'cuda' requested but no GPU is usable: ${i.gpuStatus}`);
    return;
  }
  if (e.deviceBytes > d.memoryBytes)
    throw new MemoryLimitError(
      `the accuracy experiment (${shape}) needs about ${formatBytes(e.deviceBytes)} of GPU memory, more than the ${formatBytes(d.memoryBytes)} of ${d.name}; use --backend cpu or a smaller model`,
      e.deviceBytes,
      d.memoryBytes,
    );
}

/** Reads --data and cuts it into windows with the model's tokenizer. */
export async function loadWindows(modelDir: string, o: EvalDataOptions): Promise<{ windows: EvalWindow[]; source: string; record: EvalDataRecord }> {
  // Loaded here, not at the top: runs on given windows need no tokenizer package.
  const { CheckpointTokenizer } = require("./tokenizer") as typeof import("./tokenizer");
  return loadEvalData(CheckpointTokenizer.fromDirectory(modelDir), o);
}

/** Runs the experiment on an already loaded model and windows. */
export async function runOnWindows(
  model: LlamaModel,
  given: ReadonlyArray<Uint32Array | EvalWindow>,
  configs: QuantConfig[],
  opts: {
    backend?: Backend;
    onProgress?: (p: ExperimentProgress) => void;
    modelDir?: string;
    source?: string;
    windowing?: EvalDataRecord;
    maxDeltaPpl?: number;
    costModel?: TlookupCostModel;
  } = {},
): Promise<ExperimentResult> {
  const t0 = Date.now();
  // Plain token arrays score every prediction.
  const evalWindows: EvalWindow[] = given.map((w) => (w instanceof Uint32Array ? { tokens: w, scoreFrom: 0 } : w));
  if (evalWindows.length === 0) throw new Error("no windows to evaluate");
  if (evalWindows.some((w) => w.tokens.length !== evalWindows[0].tokens.length)) throw new Error("all windows must have the same length");
  const windows = evalWindows.map((w) => w.tokens);
  const counts = evalWindows.map(scoredCount);
  const windowLoss = (losses: Float64Array, wi: number) => meanOf(losses.subarray(evalWindows[wi].scoreFrom));
  const backend = opts.backend ?? getDefaultBackend();
  const seqLen = windows[0].length;
  // Every configuration is checked, and the memory counted, before the first forward.
  validateConfigs(configs, model.config);
  checkAccMemory(model.config, seqLen, configs, backend, true);
  const runner = new LlamaRunner(model);
  const floatLosses: number[] = [];
  let floatMs = 0;
  let resolvedBackend: "cpu" | "cuda" = "cpu";
  const state = configs.map(() => ({
    losses: [] as number[],
    ms: 0,
    error: undefined as string | undefined,
    layers: model.config.numHiddenLayers,
    rel: new Float64Array(model.config.numHiddenLayers),
    absMax: new Float64Array(model.config.numHiddenLayers),
    attnMax: new Float64Array(model.config.numHiddenLayers),
    attnSum: new Float64Array(model.config.numHiddenLayers),
    attnEntries: new Float64Array(model.config.numHiddenLayers),
    rowDev: new Float64Array(model.config.numHiddenLayers),
    normShift: Array.from({ length: model.config.numHiddenLayers }, () => [-1, -1] as [number, number]),
  }));
  const progress = (window: number, stage: string) => opts.onProgress?.({ window, windows: windows.length, stage, elapsedMs: Date.now() - t0 });
  for (let wi = 0; wi < windows.length; wi++) {
    const w = windows[wi];
    progress(wi, "float");
    const f = await runner.forwardAsync(w, { backend, keepStates: true });
    resolvedBackend = f.backend;
    floatMs += f.ms;
    floatLosses.push(windowLoss(f.losses, wi));
    for (let ci = 0; ci < configs.length; ci++) {
      const s = state[ci];
      if (s.error !== undefined) continue;
      progress(wi, configs[ci].name);
      try {
        const q = await runner.forwardAsync(w, { backend, quant: configs[ci], compareStates: true });
        s.ms += q.ms;
        s.losses.push(windowLoss(q.losses, wi));
        q.layers.forEach((L, l) => {
          s.rel[l] += L.stateRelRmsErr ?? 0;
          s.absMax[l] = Math.max(s.absMax[l], L.stateMaxAbsErr ?? 0);
          s.attnMax[l] = Math.max(s.attnMax[l], L.attnMaxAbsErr);
          s.attnSum[l] += L.attnMeanAbsErr * L.attnEntries;
          s.attnEntries[l] += L.attnEntries;
          s.rowDev[l] = Math.max(s.rowDev[l], L.rowSumMaxDev);
          s.normShift[l] = [Math.max(s.normShift[l][0], L.normShift[0]), Math.max(s.normShift[l][1], L.normShift[1])];
        });
      } catch (e) {
        s.error = `window ${wi}: ${(e as Error).message}`;
      }
    }
  }
  progress(windows.length, "done");
  const float = summarizeWindowLosses(floatLosses, counts);
  const outcomes: ConfigOutcome[] = configs.map((config, ci) => {
    const s = state[ci];
    const observed = s.normShift.reduce((a, [x, y]) => Math.max(a, x, y), -1);
    const tlookups = tlookupAccounting(config, model.config, seqLen, {
      ...(observed >= 0 ? { observedNormShiftBits: observed } : {}),
      ...(opts.costModel ? { costModel: opts.costModel } : {}),
    });
    const base: ConfigOutcome = { config, tlookups, tlookupSummary: describeAccount(tlookups), ms: s.ms };
    if (s.error !== undefined) return { ...base, error: s.error };
    const perplexity = summarizeWindowLosses(s.losses, counts);
    const layers: LayerOutcome[] = Array.from({ length: s.layers }, (_, l) => ({
      layer: l,
      stateRelRmsErr: s.rel[l] / windows.length,
      stateMaxAbsErr: s.absMax[l],
      attnMaxAbsErr: s.attnMax[l],
      attnMeanAbsErr: s.attnEntries[l] > 0 ? s.attnSum[l] / s.attnEntries[l] : 0,
      rowSumMaxDev: s.rowDev[l],
      normShift: s.normShift[l],
    }));
    return {
      ...base,
      perplexity,
      change: {
        meanWindowPerplexity: change(float.meanWindowPerplexity, perplexity.meanWindowPerplexity),
        perplexityOfMeanLoss: change(float.perplexityOfMeanLoss, perplexity.perplexityOfMeanLoss),
      },
      attention: {
        maxAbsErr: Math.max(...layers.map((x) => x.attnMaxAbsErr)),
        meanAbsErr: meanOf(layers.map((x) => x.attnMeanAbsErr)),
        rowSumMaxDev: Math.max(...layers.map((x) => x.rowSumMaxDev)),
        rowSumBound: rowSumBound(config, model.config.headDim, seqLen),
      },
      layers,
    };
  });
  const i = info();
  const c = model.config;
  return {
    kind: "zkllm-acc",
    model: { dir: opts.modelDir ?? "(in memory)", hiddenSize: c.hiddenSize, layers: c.numHiddenLayers, heads: c.numAttentionHeads, kvHeads: c.numKeyValueHeads, headDim: c.headDim, vocab: c.vocabSize },
    data: {
      source: opts.source ?? "(given windows)",
      seqLen,
      windows: windows.length,
      ...(opts.windowing ? { windowing: opts.windowing } : {}),
      scoredTokens: counts.reduce((a, n) => a + n, 0),
    },
    backend: resolvedBackend,
    device: resolvedBackend === "cuda" ? (i.devices[0]?.name ?? "GPU") : `CPU, ${i.cpuThreads} threads`,
    float: { ...float, ms: floatMs },
    configs: outcomes,
    frontier: findFrontier(outcomes, opts.maxDeltaPpl ?? DEFAULT_MAX_DELTA_PPL),
    totalMs: Date.now() - t0,
  };
}

/** Loads the checkpoint and the data, then runs runOnWindows. */
export async function runAccuracyExperiment(o: ExperimentOptions): Promise<ExperimentResult> {
  if (!o || typeof o !== "object") throw new TypeError(`runAccuracyExperiment: options must be an object, got ${describeValue(o)}`);
  if (typeof o.seqLen !== "number" || !Number.isInteger(o.seqLen) || o.seqLen < 2) throw new Error(`seqLen must be an integer >= 2, got ${describeValue(o.seqLen)}`);
  if (typeof o.samples !== "number" || !Number.isInteger(o.samples) || o.samples < 1) throw new Error(`samples must be a positive integer, got ${describeValue(o.samples)}`);
  if (typeof o.modelDir !== "string") throw new TypeError(`modelDir must be a string (a model folder), got ${describeValue(o.modelDir)}`);
  if (!fs.existsSync(o.modelDir)) throw new Error(`model folder not found: ${o.modelDir}`);
  const configs = expandConfigs(o.configs);
  // Shapes (every tensor used, none missing, none left over), configurations and memory are checked
  // from config.json and the safetensors headers, before any weight is read.
  const ckpt = LlamaCheckpoint.open(o.modelDir);
  let model: LlamaModel;
  try {
    const forwardLen = o.windowing === "chunks-plus-one" ? o.seqLen + 1 : o.seqLen;
    if (forwardLen > ckpt.config.maxPositionEmbeddings)
      throw new Error(`windows of ${forwardLen} tokens exceed the model's max_position_embeddings ${ckpt.config.maxPositionEmbeddings}`);
    validateConfigs(configs, ckpt.config);
    checkAccMemory(ckpt.config, forwardLen, configs, o.backend ?? getDefaultBackend(), false);
    model = { config: ckpt.config, weights: ckpt.loadAll() };
  } finally {
    ckpt.close();
  }
  const { modelDir, data, seqLen, samples, configs: _c, backend, onProgress, maxDeltaPpl, costModel, ...dataOptions } = o;
  const { windows, source, record } = await loadWindows(modelDir, { ...dataOptions, data: data ?? "heldout", seqLen, samples });
  return runOnWindows(model, windows, configs, { backend, onProgress, modelDir, source, windowing: record, maxDeltaPpl, costModel });
}

export { formatExperiment } from "./experiment-format";
