// What `zkattn --model` names: LLaMa-2-7B or -13B by name, a shape file (the attention's size only),
// or a Hugging Face LLaMA folder (real weights: Q, K, V come from the fixed-point forward).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LlamaConfig } from '../../acc/llama-config';
import { ZkattnParamError } from './zkattn-error';

/** The attention's size: what the proofs and the extrapolation read. */
export interface AttentionShape {
  name: string;
  layers: number;
  heads: number;
  /** Key/value heads (grouped-query attention: K and V are shared by heads / kvHeads query heads). */
  kvHeads: number;
  headDim: number;
  /** The whole model's sizes where known (LLaMa-2, a model folder); the accounting's per-layer items read them. */
  hiddenSize: number;
  intermediateSize: number;
  /** The longest window the model takes (a model folder's max_position_embeddings). */
  maxSeqLen?: number;
}

export type ModelSource =
  | { kind: 'named'; shape: AttentionShape }
  | { kind: 'shape-file'; file: string; shape: AttentionShape }
  | { kind: 'folder'; dir: string; shape: AttentionShape; config: LlamaConfig };

/** LLaMa-2's published shapes (Hugging Face config.json of meta-llama/Llama-2-{7,13}b-hf). */
export const NAMED_SHAPES: Readonly<Record<string, AttentionShape>> = Object.freeze({
  'llama2-7b': { name: 'llama2-7b', layers: 32, heads: 32, kvHeads: 32, headDim: 128, hiddenSize: 4096, intermediateSize: 11008, maxSeqLen: 4096 },
  'llama2-13b': { name: 'llama2-13b', layers: 40, heads: 40, kvHeads: 40, headDim: 128, hiddenSize: 5120, intermediateSize: 13824, maxSeqLen: 4096 },
});

/** The sequence length the anchor's README counts with (2048² = 2^22 entries per zkAttn). */
export const DEFAULT_SEQ_LEN = 2048;

const SHAPE_FILE_KEYS = ['name', 'layers', 'heads', 'kvHeads', 'headDim', 'hiddenSize', 'intermediateSize'] as const;

function positiveInt(file: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new ZkattnParamError(`--model ${file}: "${key}" must be a positive integer, got ${JSON.stringify(v)}`, 'model');
  return v;
}

/**
 * A shape file: {"layers": 2, "heads": 4, "headDim": 8} (optionally "name", "kvHeads",
 * "hiddenSize", "intermediateSize"), or a Hugging Face config.json (its shape only, no weights).
 */
export function readShapeFile(file: string): AttentionShape {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ZkattnParamError(`--model ${file}: not a JSON shape file (${(e as Error).message})`, 'model');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ZkattnParamError(`--model ${file}: a shape file holds a JSON object`, 'model');
  const o = raw as Record<string, unknown>;
  if ('num_hidden_layers' in o) {
    const c = parseConfig(file, o);
    return { ...shapeOfConfig(c, path.basename(file, '.json')) };
  }
  for (const k of Object.keys(o))
    if (!(SHAPE_FILE_KEYS as readonly string[]).includes(k)) throw new ZkattnParamError(`--model ${file}: unknown field "${k}" (a shape file has ${SHAPE_FILE_KEYS.join(', ')}, or is a Hugging Face config.json)`, 'model');
  const layers = positiveInt(file, 'layers', o.layers);
  const heads = positiveInt(file, 'heads', o.heads);
  const headDim = positiveInt(file, 'headDim', o.headDim);
  const kvHeads = o.kvHeads === undefined ? heads : positiveInt(file, 'kvHeads', o.kvHeads);
  if (heads % kvHeads !== 0) throw new ZkattnParamError(`--model ${file}: "heads" (${heads}) must be a multiple of "kvHeads" (${kvHeads})`, 'model');
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) throw new ZkattnParamError(`--model ${file}: "name" must be a non-empty string`, 'model');
  const hiddenSize = o.hiddenSize === undefined ? heads * headDim : positiveInt(file, 'hiddenSize', o.hiddenSize);
  const intermediateSize = o.intermediateSize === undefined ? 4 * hiddenSize : positiveInt(file, 'intermediateSize', o.intermediateSize);
  return { name: (o.name as string | undefined) ?? path.basename(file, '.json'), layers, heads, kvHeads, headDim, hiddenSize, intermediateSize };
}

function parseConfig(where: string, raw: unknown): LlamaConfig {
  const { parseLlamaConfig } = require('../../acc/llama-config') as typeof import('../../acc/llama-config');
  try {
    return parseLlamaConfig(raw);
  } catch (e) {
    throw new ZkattnParamError(`--model ${where}: ${(e as Error).message}`, 'model');
  }
}

function shapeOfConfig(c: LlamaConfig, name: string): AttentionShape {
  return {
    name,
    layers: c.numHiddenLayers,
    heads: c.numAttentionHeads,
    kvHeads: c.numKeyValueHeads,
    headDim: c.headDim,
    hiddenSize: c.hiddenSize,
    intermediateSize: c.intermediateSize,
    maxSeqLen: c.maxPositionEmbeddings,
  };
}

/** Resolves --model: a name, a shape file or a model folder; a usage error (exit 2) otherwise. */
export function resolveModel(model: string): ModelSource {
  if (typeof model !== 'string' || model.trim() === '') throw new ZkattnParamError('--model needs llama2-7b, llama2-13b, a shape file (.json) or a model folder', 'model');
  const named = NAMED_SHAPES[model];
  if (named) return { kind: 'named', shape: { ...named } };
  if (!fs.existsSync(model))
    throw new ZkattnParamError(`--model ${model}: no such file or folder (give ${Object.keys(NAMED_SHAPES).join(', ')}, a shape file or a Hugging Face LLaMA folder)`, 'model');
  if (fs.statSync(model).isDirectory()) {
    const file = path.join(model, 'config.json');
    if (!fs.existsSync(file)) throw new ZkattnParamError(`--model ${model}: no config.json (a Hugging Face LLaMA folder is needed)`, 'model');
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ZkattnParamError(`--model ${file}: not JSON (${(e as Error).message})`, 'model');
    }
    const config = parseConfig(file, raw);
    return { kind: 'folder', dir: model, config, shape: shapeOfConfig(config, path.basename(path.resolve(model))) };
  }
  return { kind: 'shape-file', file: model, shape: readShapeFile(model) };
}
