// The accuracy experiment: float vs fixed-point perplexity of a LLaMA checkpoint on token windows,
// for one or more quantization configs, with the zkAttn softmax's own error, per-layer error growth
// and the tlookup count of each config. Windows run outermost, so the float run of a window (and
// its layer outputs) is shared by every config.

import * as fs from "node:fs";
import * as path from "node:path";
import { getDefaultBackend, type Backend } from "../src/backend";
import { info } from "../src/system";
import { loadLlamaModel, type LlamaModel } from "./checkpoint";
import { c4Windows, shippedCorpusTokens, tokenWindows } from "./corpus";
import { LlamaRunner } from "./llama-runner";
import { meanOf, summarizeWindowLosses, type PerplexitySummary } from "./metrics";
import { QUANT_PRESETS, SWEEP_PRESETS, resolveQuantConfig, type QuantConfig, type QuantConfigInput } from "./quant-config";
import { describeAccount, tlookupAccounting, type TlookupAccount } from "./tlookup-accounting";
import { rowSumBound, type RowSumBound } from "./zkattn-bound";

export interface ExperimentProgress {
  window: number;
  windows: number;
  /** "float" or the config being run. */
  stage: string;
  elapsedMs: number;
}

export interface ExperimentOptions {
  /** A Hugging Face LLaMA checkpoint folder (config.json, safetensors, tokenizer.json). */
  modelDir: string;
  /** "heldout" (default: the shipped held-out split) or a C4 validation shard (.json.gz). */
  data?: string;
  seqLen: number;
  /** Number of windows (at most this many; the anchor caps at 256). */
  samples: number;
  /** Presets, JSON configs, or "sweep" for the default sweep. */
  configs: Array<string | QuantConfigInput>;
  backend?: Backend;
  onProgress?: (p: ExperimentProgress) => void;
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
  data: { source: string; seqLen: number; windows: number };
  backend: "cpu" | "cuda";
  device: string;
  float: PerplexitySummary & { ms: number };
  configs: ConfigOutcome[];
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

export async function loadWindows(modelDir: string, data: string, seqLen: number, samples: number): Promise<{ windows: Uint32Array[]; source: string }> {
  // Loaded here, not at the top: runs on given windows need no tokenizer package.
  const { CheckpointTokenizer } = require("./tokenizer") as typeof import("./tokenizer");
  const tokenizer = CheckpointTokenizer.fromDirectory(modelDir);
  if (data === "heldout") return { windows: tokenWindows(shippedCorpusTokens(tokenizer, "heldOut"), seqLen, samples), source: "shipped held-out split" };
  if (data.endsWith(".json.gz")) return { windows: await c4Windows(tokenizer, data, seqLen, samples), source: `C4 ${path.basename(data)}` };
  throw new Error(`--data must be "heldout" or a C4 shard (.json.gz), got "${data}"`);
}

/** Runs the experiment on an already loaded model and windows. */
export async function runOnWindows(
  model: LlamaModel,
  windows: Uint32Array[],
  configs: QuantConfig[],
  opts: { backend?: Backend; onProgress?: (p: ExperimentProgress) => void; modelDir?: string; source?: string } = {},
): Promise<ExperimentResult> {
  const t0 = Date.now();
  const runner = new LlamaRunner(model);
  const backend = opts.backend ?? getDefaultBackend();
  const seqLen = windows[0].length;
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
    floatLosses.push(meanOf(f.losses));
    for (let ci = 0; ci < configs.length; ci++) {
      const s = state[ci];
      if (s.error !== undefined) continue;
      progress(wi, configs[ci].name);
      try {
        const q = await runner.forwardAsync(w, { backend, quant: configs[ci], compareStates: true });
        s.ms += q.ms;
        s.losses.push(meanOf(q.losses));
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
  const float = summarizeWindowLosses(floatLosses);
  const outcomes: ConfigOutcome[] = configs.map((config, ci) => {
    const s = state[ci];
    const observed = s.normShift.reduce((a, [x, y]) => Math.max(a, x, y), -1);
    const tlookups = tlookupAccounting(config, model.config, seqLen, observed >= 0 ? { observedNormShiftBits: observed } : {});
    const base: ConfigOutcome = { config, tlookups, tlookupSummary: describeAccount(tlookups), ms: s.ms };
    if (s.error !== undefined) return { ...base, error: s.error };
    const perplexity = summarizeWindowLosses(s.losses);
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
    data: { source: opts.source ?? "(given windows)", seqLen, windows: windows.length },
    backend: resolvedBackend,
    device: resolvedBackend === "cuda" ? (i.devices[0]?.name ?? "GPU") : `CPU, ${i.cpuThreads} threads`,
    float: { ...float, ms: floatMs },
    configs: outcomes,
    totalMs: Date.now() - t0,
  };
}

/** Loads the checkpoint and the data, then runs runOnWindows. */
export async function runAccuracyExperiment(o: ExperimentOptions): Promise<ExperimentResult> {
  if (!Number.isInteger(o.seqLen) || o.seqLen < 2) throw new Error(`seqLen must be an integer >= 2, got ${o.seqLen}`);
  if (!Number.isInteger(o.samples) || o.samples < 1) throw new Error(`samples must be a positive integer, got ${o.samples}`);
  if (!fs.existsSync(o.modelDir)) throw new Error(`model folder not found: ${o.modelDir}`);
  const configs = expandConfigs(o.configs);
  const model = loadLlamaModel(o.modelDir);
  if (o.seqLen > model.config.maxPositionEmbeddings)
    throw new Error(`seqLen ${o.seqLen} exceeds the model's max_position_embeddings ${model.config.maxPositionEmbeddings}`);
  const { windows, source } = await loadWindows(o.modelDir, o.data ?? "heldout", o.seqLen, o.samples);
  return runOnWindows(model, windows, configs, { backend: o.backend, onProgress: o.onProgress, modelDir: o.modelDir, source });
}

/** A plain-text table of the result: one row per config. */
export function formatExperiment(r: ExperimentResult): string {
  const lines: string[] = [];
  lines.push(`model ${r.model.dir} (${r.model.layers} layers, hidden ${r.model.hiddenSize}), ${r.data.source}, ${r.data.windows} windows of ${r.data.seqLen}, ${r.device}`);
  lines.push(`float: perplexity ${r.float.perplexityOfMeanLoss.toFixed(3)} (exp mean loss), ${r.float.meanWindowPerplexity.toFixed(3)} (mean of window perplexities, the anchor's)`);
  const head = ["config", "tlookups/zkAttn", "tlookups/layer", "ppl", "d ppl", "d ppl %", "anchor ppl", "d anchor", "attn max err", "attn mean err", "row-sum dev", "last-layer rel err"];
  const rows = r.configs.map((c) => {
    const t = c.tlookups.totals;
    if (c.error !== undefined || !c.perplexity || !c.change || !c.attention || !c.layers)
      return [c.config.name, String(t.perZkAttn), String(t.perLayer), "error", c.error ?? "", "", "", "", "", "", "", ""];
    const last = c.layers[c.layers.length - 1];
    return [
      c.config.name,
      String(t.perZkAttn) + (c.tlookups.provable ? "" : "*"),
      String(t.perLayer),
      c.perplexity.perplexityOfMeanLoss.toFixed(3),
      (c.change.perplexityOfMeanLoss.delta >= 0 ? "+" : "") + c.change.perplexityOfMeanLoss.delta.toFixed(3),
      (c.change.perplexityOfMeanLoss.relative * 100).toFixed(3),
      c.perplexity.meanWindowPerplexity.toFixed(3),
      (c.change.meanWindowPerplexity.delta >= 0 ? "+" : "") + c.change.meanWindowPerplexity.delta.toFixed(3),
      c.attention.maxAbsErr.toExponential(2),
      c.attention.meanAbsErr.toExponential(2),
      c.attention.rowSumMaxDev.toExponential(2),
      last.stateRelRmsErr.toExponential(2),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((x, i) => x.padEnd(widths[i])).join("  ");
  lines.push(fmt(head), ...rows.map(fmt));
  if (r.configs.some((c) => !c.tlookups.provable)) lines.push("* not every nonlinear step is a table lookup (float exp/rsqrt/SiLU): not provable as is");
  return lines.join("\n");
}
