// The accuracy code's GPU check (scripts/gpu-acc.sh): CUDA == CPU for the quantized softmax and
// forward, the stand-in experiment at seq_len 2048 on the GPU, and one LLaMa-2-7B-shaped layer
// with random weights, timed and extrapolated to a 32-layer window. Writes one JSON file.
//   node dist/bench/gpu-acc.js --export-tokens <file>           (here: the held-out token ids)
//   node dist/bench/gpu-acc.js --tokens <file> --out <json> --commit <sha> [--windows N] [--model <dir>]
// Every section records its own error, so one failure leaves the others' results.

import * as fs from "node:fs";
import * as path from "node:path";
import { native } from "../src/bindings/native";
import { info } from "../src/system";
import { loadLlamaModel, type LlamaModel } from "../acc/checkpoint";
import { shippedCorpusTokens, tokenWindows } from "../acc/corpus";
import { expandConfigs, formatExperiment, runOnWindows } from "../acc/experiment";
import type { LlamaConfig } from "../acc/llama-config";
import { LlamaRunner } from "../acc/llama-runner";
import { buildLlamaModel } from "../acc/weights-builder";
import { meanOf } from "../acc/metrics";
import { resolveQuantConfig, toNativeQuantConfig, type QuantConfig } from "../acc/quant-config";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const STANDIN_DIR = path.resolve(flag("model") ?? path.join(__dirname, "..", "..", "data", "models", "standin"));

/** sfc32-style seeded uniform in [0, 1): the check's inputs replay from the seed. */
function uniform(seed: number): () => number {
  let a = seed >>> 0, b = 0x9e3779b9, c = 0x243f6a88, d = 0xb7e15162;
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = ((c << 21) | (c >>> 11)) + t;
    return (t >>> 0) / 2 ** 32;
  };
}

function checkConfigs(): QuantConfig[] {
  return [
    // anchor-acc covers quantizeRounding half-even (host-quantized embedding rows on the GPU path).
    ...expandConfigs(["anchor-attn,readme-2,zk-8,zk-12-clamp,anchor-acc"]),
    resolveQuantConfig({
      preset: "zk-12",
      name: "indicator+product-rescale",
      rounding: "half-away",
      logitBits: 14,
      softmax: { kind: "zkattn", segmentBits: [6, 10, 10, 4], rangeOnly: 1, indicator: 1, thetaBits: [14, 14], productRescaleBits: [8], outputRescaleBits: [10, 10] },
    }),
  ];
}

function sameBigInts(a: BigInt64Array | undefined, b: BigInt64Array | undefined): number {
  if (!a || !b || a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

async function section<T>(out: Record<string, unknown>, name: string, body: () => Promise<T> | T): Promise<void> {
  const t0 = Date.now();
  try {
    out[name] = await body();
  } catch (e) {
    out[name] = { error: (e as Error).message };
  }
  console.log(`[gpu-check] ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s ${JSON.stringify(out[name]).slice(0, 300)}`);
}

function softmaxCpuVsCuda(): unknown {
  const rng = uniform(20261125);
  return checkConfigs().map((c) => {
    const d = 128, rows = 96, n = 512;
    const unit = 2 ** c.logitBits * Math.sqrt(d);
    const logits = BigInt64Array.from({ length: rows * n }, () => BigInt(Math.round((rng() - 0.5) * 16 * unit)));
    const cfg = toNativeQuantConfig(c);
    const results = (["cpu", "cuda"] as const).map((b) => native().quantSoftmax(logits, rows, n, true, cfg, d, b));
    return {
      config: c.name,
      firstYDiff: sameBigInts(results[0].y, results[1].y),
      firstShiftDiff: sameBigInts(results[0].shift, results[1].shift),
      maxAbsErr: [results[0].stats.maxAbsErr, results[1].stats.maxAbsErr],
    };
  });
}

function forwardCpuVsCuda(model: LlamaModel, tokens: Uint32Array): unknown {
  const runner = new LlamaRunner(model);
  const f = (["cpu", "cuda"] as const).map((b) => runner.forward(tokens, { backend: b, logits: true }));
  let worst = 0;
  for (let i = 0; i < f[0].logits!.length; i++) worst = Math.max(worst, Math.abs(f[0].logits![i] - f[1].logits![i]) / (1 + Math.abs(f[0].logits![i])));
  const float = { maxRelLogitDiff: worst, meanLoss: [meanOf(f[0].losses), meanOf(f[1].losses)], ms: [f[0].ms, f[1].ms] };
  const quant = checkConfigs().map((c) => {
    const r = (["cpu", "cuda"] as const).map((b) => runner.forward(tokens, { backend: b, quant: c, intStates: true }));
    return {
      config: c.name,
      firstStateDiff: sameBigInts(r[0].intStates, r[1].intStates),
      states: r[0].intStates?.length,
      finalStateEqual: sameBigInts(r[0].finalState, r[1].finalState) === -1,
      meanLoss: [meanOf(r[0].losses), meanOf(r[1].losses)],
      attnMaxAbsErr: [Math.max(...r[0].layers.map((l) => l.attnMaxAbsErr)), Math.max(...r[1].layers.map((l) => l.attnMaxAbsErr))],
      ms: [r[0].ms, r[1].ms],
    };
  });
  return { tokens: tokens.length, float, quant };
}

/** A LLaMA with random weights of realistic scale (uniform, variance 1/fan-in; norms near 1). */
function randomModel(config: LlamaConfig, seed: number): LlamaModel {
  const rng = uniform(seed);
  const matrix = (rows: number, cols: number) => {
    const a = new Float32Array(rows * cols);
    const s = Math.sqrt(3 / cols);
    for (let i = 0; i < a.length; i++) a[i] = (2 * rng() - 1) * s;
    return a;
  };
  const norm = (n: number) => Float32Array.from({ length: n }, () => 0.8 + 0.4 * rng());
  const embed = (vocab: number, hidden: number) => {
    const e = new Float32Array(vocab * hidden);
    for (let i = 0; i < e.length; i++) e[i] = (2 * rng() - 1) * 0.05;
    return e;
  };
  return buildLlamaModel(config, { matrix, norm, embed });
}

const LLAMA2_7B: LlamaConfig = {
  hiddenSize: 4096,
  intermediateSize: 11008,
  numHiddenLayers: 1,
  numAttentionHeads: 32,
  numKeyValueHeads: 32,
  headDim: 128,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  vocabSize: 32000,
  tieWordEmbeddings: false,
  maxPositionEmbeddings: 4096,
};

async function sevenBLayer(): Promise<unknown> {
  const T = 2048;
  const rng = uniform(7);
  const tokens = Uint32Array.from({ length: T }, () => Math.floor(rng() * LLAMA2_7B.vocabSize));
  const config = resolveQuantConfig("anchor-attn");
  const timings: Record<string, number[]> = {};
  let small: unknown;
  for (const layers of [1, 2]) {
    const model = randomModel({ ...LLAMA2_7B, numHiddenLayers: layers }, 1000 + layers);
    const runner = new LlamaRunner(model);
    if (layers === 1) {
      // CUDA == CPU on the 7B shape at a short length, where the CPU is quick.
      const t = tokens.subarray(0, 96);
      const r = (["cpu", "cuda"] as const).map((b) => runner.forward(t, { backend: b, quant: config, intStates: true }));
      small = { tokens: t.length, firstStateDiff: sameBigInts(r[0].intStates, r[1].intStates), ms: [r[0].ms, r[1].ms] };
    }
    for (const kind of ["float", "quant"] as const) {
      const key = `${kind}-${layers}-layer`;
      timings[key] = [];
      for (let rep = 0; rep < 3; rep++) {
        const r = runner.forward(tokens, { backend: "cuda", quant: kind === "quant" ? config : null });
        timings[key].push(r.ms);
      }
    }
  }
  const best = (k: string) => Math.min(...timings[k].slice(1));
  const perLayer = { float: best("float-2-layer") - best("float-1-layer"), quant: best("quant-2-layer") - best("quant-1-layer") };
  const outside = { float: best("float-1-layer") - perLayer.float, quant: best("quant-1-layer") - perLayer.quant };
  return {
    shape: "LLaMa-2-7B (hidden 4096, intermediate 11008, 32 heads of 128, vocab 32000), random weights",
    seqLen: T,
    config: config.name,
    cudaEqualsCpu: small,
    timingsMs: timings,
    note: "first of three runs includes the weight upload; per-layer = (2-layer - 1-layer), best of the warm runs",
    perLayerMs: perLayer,
    embeddingAndHeadMs: outside,
    extrapolated32LayerWindowMs: { float: outside.float + 32 * perLayer.float, quant: outside.quant + 32 * perLayer.quant },
  };
}

async function main(): Promise<void> {
  const exportTo = flag("export-tokens");
  if (exportTo) {
    // The GPU machine has no tokenizer package: the token ids are exported here and carried.
    const { CheckpointTokenizer } = require("../acc/tokenizer") as typeof import("../acc/tokenizer");
    const tokens = shippedCorpusTokens(CheckpointTokenizer.fromDirectory(STANDIN_DIR), "heldOut");
    fs.mkdirSync(path.dirname(exportTo), { recursive: true });
    fs.writeFileSync(exportTo, Buffer.from(tokens.buffer, tokens.byteOffset, tokens.byteLength));
    console.log(`wrote ${tokens.length} held-out token ids to ${exportTo}`);
    return;
  }
  const tokensFile = flag("tokens");
  const outFile = flag("out");
  if (!tokensFile || !outFile) throw new Error("usage: gpu-check --tokens <file> --out <json> [--commit sha] [--windows N]");
  const raw = fs.readFileSync(tokensFile);
  const tokens = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const i = info();
  if (i.devices.length === 0) throw new Error(`no GPU: ${i.gpuStatus}`);
  const out: Record<string, unknown> = {
    kind: "zkllm-acc-gpu-check",
    commit: flag("commit") ?? "unknown",
    device: i.devices[0],
    cudaArchs: i.cudaArchs,
    cpuThreads: i.cpuThreads,
    startedAt: new Date().toISOString(),
  };
  const save = () => fs.writeFileSync(outFile, JSON.stringify(out, null, 2) + "\n");
  const model = loadLlamaModel(STANDIN_DIR);
  await section(out, "softmaxCudaEqualsCpu", softmaxCpuVsCuda);
  save();
  await section(out, "standinForwardCudaEqualsCpu", () => forwardCpuVsCuda(model, tokenWindows(tokens, 256, 1)[0]));
  save();
  const windows = Number(flag("windows") ?? "16");
  await section(out, "standinExperimentSeq2048", async () => {
    const r = await runOnWindows(model, tokenWindows(tokens, 2048, windows), expandConfigs(["sweep"]), { backend: "cuda", modelDir: "data/models/standin", source: "shipped held-out split" });
    console.log(formatExperiment(r));
    return r;
  });
  save();
  await section(out, "llama2_7bLayer", sevenBLayer);
  out.finishedAt = new Date().toISOString();
  save();
}

main().catch((e) => {
  console.error(`gpu-check: ${(e as Error).message}`);
  process.exitCode = 1;
});
