// Real Q, K, V for a model folder: one window of the corpus (read and cut as `zkllm acc` does,
// acc/eval-data.ts) through the fixed-point forward with the chosen layers captured
// (captureLayers): Q and K after RoPE at 2^qkBits, V at 2^valueBits, and the forward's own attention
// output, against which the proven output is checked.
import type { Backend } from '../backend';
import { checkHostMemory } from '../memory';
import type { NativeAttentionCapture } from '../bindings/native-quant';
import type { QuantConfig } from '../../acc/quant-config';
import type { EvalDataRecord } from '../../acc/eval-data';
import type { CheckedZkattnSpec } from './zkattn-spec';
import { ZkattnParamError } from './zkattn-error';

export interface CapturedWindow {
  /** Where the window came from: the data source, its windowing and the window's index. */
  source: string;
  record: EvalDataRecord;
  window: number;
  tokens: number;
  forwardMs: number;
  byLayer: Map<number, NativeAttentionCapture>;
}

/** Loads the model, cuts the corpus and runs the forward once with every chosen layer captured. */
export async function captureWindow(dir: string, config: QuantConfig, layers: number[], seqLen: number, corpus: NonNullable<CheckedZkattnSpec['corpus']>, backend: Backend): Promise<CapturedWindow> {
  const { loadWindows, checkAccMemory } = require('../../acc/experiment') as typeof import('../../acc/experiment');
  const { loadLlamaModel } = require('../../acc/checkpoint') as typeof import('../../acc/checkpoint');
  const { LlamaRunner } = require('../../acc/llama-runner') as typeof import('../../acc/llama-runner');
  const { parseLlamaConfig } = require('../../acc/llama-config') as typeof import('../../acc/llama-config');
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  const shape = parseLlamaConfig(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')));
  checkAccMemory(shape, seqLen, [config], backend, false);
  // The captured layers on top: Q, K, V and the output of every head, int64, plus their typed copies.
  checkHostMemory(`the forward capturing ${layers.length} layer${layers.length === 1 ? '' : 's'} of ${shape.numAttentionHeads} heads × ${seqLen} rows`, 2 * 4 * 8 * layers.length * shape.numAttentionHeads * seqLen * shape.headDim);
  const { windows, source, record } = await loadWindows(dir, {
    data: corpus.data,
    format: corpus.format,
    textField: corpus.textField,
    documents: corpus.documents,
    bos: corpus.bos,
    joiner: corpus.joiner,
    windowing: corpus.windowing,
    stride: corpus.stride,
    seqLen,
    samples: corpus.window + 1,
  });
  const w = windows[corpus.window];
  if (!w) throw new ZkattnParamError(`zkattn: window (--window) ${corpus.window}: ${source} gives only ${windows.length} window${windows.length === 1 ? '' : 's'} of ${seqLen} tokens`, 'window');
  const model = loadLlamaModel(dir);
  const runner = new LlamaRunner(model);
  const t0 = performance.now();
  const r = await runner.forwardAsync(w.tokens, { quant: config, backend, captureLayers: layers });
  const forwardMs = performance.now() - t0;
  const byLayer = new Map((r.attention ?? []).map((a) => [a.layer, a]));
  for (const l of layers) if (!byLayer.has(l)) throw new Error(`the forward returned no capture of layer ${l}`);
  return { source, record, window: corpus.window, tokens: w.tokens.length, forwardMs, byLayer };
}

/** The heads' slices of a head-major [heads, rows, d] tensor, concatenated (the op's layout). */
export function headSlices(x: BigInt64Array, heads: readonly number[], rows: number, d: number): bigint[] {
  const out: bigint[] = [];
  for (const h of heads) for (const v of x.subarray(h * rows * d, (h + 1) * rows * d)) out.push(v);
  return out;
}
