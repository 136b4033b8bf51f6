// The parameters of `zkllm zkattn` / zkattn(), checked before any work: the model, the configuration
// (resolved, provable, valid for the model's head dimension), the layers and heads, the sizes and
// the proof options. Every error names the option (API field and flag) and says what was wrong.
import * as fs from 'node:fs';
import type { Backend } from '../backend';
import { getDefaultBackend } from '../backend';
import { isBackendName } from '../environment';
import { MAX_GEN_DIM } from '../commit';
import { info } from '../system';
import type { QuantConfig, QuantConfigInput } from '../../acc/quant-config';
import type { BosPolicy } from '../../acc/eval-data';
import type { CorpusFormat } from '../../acc/corpus-files';
import { DEFAULT_SEQ_LEN, resolveModel, type ModelSource } from './model-shape';
import { ZkattnParamError } from './zkattn-error';

/** Windowing modes a proof window can be cut with (random windows are drawn for a sample of several; one window is named by --window). */
export const ZKATTN_WINDOWING = ['chunks', 'chunks-plus-one', 'sliding'] as const;

export interface ZkattnSpec {
  /** llama2-7b, llama2-13b, a shape file (.json) or a Hugging Face LLaMA folder. */
  model: string;
  /** A preset, JSON text, a JSON file or a config object (default anchor-attn). */
  config?: string | QuantConfigInput;
  /** Layers to prove: numbers or a list like "0,2-3" (default: layer 0; --full: every layer). */
  layers?: number[] | string;
  /** Heads of each chosen layer (default: head 0; --full: every head). */
  heads?: number[] | string;
  /** Query and key rows (default 2048, the anchor's README). */
  seqLen?: number;
  /** Every head of every layer, several heads per proof. */
  full?: boolean;
  /** At most this many heads per proof (default: as many as fit the memory and the device budget). */
  headsPerProof?: number;
  commit?: boolean;
  genDim?: number;
  backend?: Backend;
  deviceBudget?: number;
  /** The most host memory (bytes) the proofs may use (also ZKLLM_MEMORY_LIMIT). */
  memoryLimit?: number;
  /** Seed of the drawn Q, K, V (shapes; default 0); proof i uses seed + i. */
  seed?: number;
  /** Model folders: the corpus and the window, as `zkllm acc` reads them. */
  data?: string;
  format?: CorpusFormat | 'c4';
  textField?: string;
  documents?: number;
  bos?: BosPolicy;
  joiner?: string;
  windowing?: (typeof ZKATTN_WINDOWING)[number];
  stride?: number;
  /** Which window of the corpus (0-based; default 0). */
  window?: number;
  /** The git commit to record when the code has no git checkout. */
  gitCommit?: string;
}

export interface CheckedZkattnSpec {
  source: ModelSource;
  config: QuantConfig;
  layers: number[];
  heads: number[];
  seqLen: number;
  full: boolean;
  headsPerProof?: number;
  commit: boolean;
  genDim?: number;
  backend: Backend;
  deviceBudget?: number;
  memoryLimit?: number;
  seed: number;
  corpus?: {
    data: string;
    format?: CorpusFormat | 'c4';
    textField?: string;
    documents?: number;
    bos?: BosPolicy;
    joiner?: string;
    windowing: (typeof ZKATTN_WINDOWING)[number];
    stride?: number;
    window: number;
  };
  gitCommit?: string;
}

const FIELDS = ['model', 'config', 'layers', 'heads', 'seqLen', 'full', 'headsPerProof', 'commit', 'genDim', 'backend', 'deviceBudget', 'memoryLimit', 'seed', 'data', 'format', 'textField', 'documents', 'bos', 'joiner', 'windowing', 'stride', 'window', 'gitCommit'] as const;
const CORPUS_FIELDS = ['data', 'format', 'textField', 'documents', 'bos', 'joiner', 'windowing', 'stride', 'window'] as const;

/** The command-line flag of an API field (seqLen → --seq-len). */
export function flagOf(param: string): string {
  return `--${param.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
function fail(param: string, what: string): never {
  throw new ZkattnParamError(`zkattn: ${param === 'model' ? '--model' : param === 'config' ? '--config:' : `${param} (${flagOf(param)})`} ${what}`, param);
}

function integer(spec: ZkattnSpec, k: keyof ZkattnSpec, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = spec[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(k, `must be an integer, got ${JSON.stringify(v)}`);
  if (v < min) fail(k, `must be at least ${min}, got ${v}`);
  if (v > max) fail(k, `must be at most ${max}, got ${v}`);
  return v;
}

/** "0,2-3" or [0, 2, 3] → [0, 2, 3]: ascending, each below `count`, no repeats. */
export function parseIndexList(param: 'layers' | 'heads', v: number[] | string, count: number, what: string): number[] {
  let xs: number[];
  if (typeof v === 'string') {
    if (v.trim() === 'all') return Array.from({ length: count }, (_, i) => i);
    xs = [];
    for (const part of v.split(',')) {
      const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
      if (!m) fail(param, `must be a list like 0,2-3 (or all), got '${v}'`);
      const [a, b] = [Number(m[1]), m[2] === undefined ? Number(m[1]) : Number(m[2])];
      if (b < a) fail(param, `has a descending range '${part.trim()}'`);
      for (let i = a; i <= b && xs.length <= count; i++) xs.push(i);
    }
  } else if (Array.isArray(v)) {
    xs = v.map((x) => {
      if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) fail(param, `must hold non-negative integers, got ${JSON.stringify(x)}`);
      return x;
    });
  } else fail(param, `must be a list of indices or a string like 0,2-3, got ${JSON.stringify(v)}`);
  if (xs.length === 0) fail(param, 'is empty');
  for (const x of xs) if (x >= count) fail(param, `names ${what} ${x}, but the model has ${count} (${what}s 0-${count - 1})`);
  const sorted = [...new Set(xs)].sort((a, b) => a - b);
  if (sorted.length !== xs.length) fail(param, `names a ${what} twice`);
  return sorted;
}

/** The configuration, resolved and checked: zkAttn proves the table softmax only. */
function checkConfig(spec: ZkattnSpec, headDim: number, rmsNormEps: number): QuantConfig {
  const { resolveQuantConfig } = require('../../acc/quant-config') as typeof import('../../acc/quant-config');
  const { checkQuantConfigForModel } = require('../../acc/quant-config-check') as typeof import('../../acc/quant-config-check');
  let c: QuantConfig;
  try {
    c = resolveQuantConfig(spec.config ?? 'anchor-attn');
  } catch (e) {
    fail('config', (e as Error).message.replace(/^quantization config/, 'quantization config'));
  }
  if (c.softmax.kind !== 'zkattn')
    fail('config', `'${c.name}' computes the softmax with float exp (softmax.kind "${c.softmax.kind}"), which no zkAttn proof covers: it is not provable; give a configuration with softmax.kind "zkattn"`);
  // zkattnParams (the op's parameters) takes provable configurations only: tables everywhere.
  if (c.norm.kind !== 'table' || c.silu.kind !== 'table')
    fail('config', `'${c.name}' computes ${c.norm.kind !== 'table' ? 'RMSNorm' : 'SiLU'} in float: it is not provable; give a configuration whose norm and silu are tables`);
  try {
    checkQuantConfigForModel(c, { headDim, rmsNormEps });
  } catch (e) {
    fail('config', `'${c.name}': ${(e as Error).message}`);
  }
  return c;
}

/** A checked copy of the spec with its defaults; throws ZkattnParamError (exit code 2). */
export function checkZkattnSpec(spec: ZkattnSpec): CheckedZkattnSpec {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new ZkattnParamError('zkattn: the spec must be an object', 'model');
  for (const k of Object.keys(spec))
    if (!(FIELDS as readonly string[]).includes(k)) throw new ZkattnParamError(`zkattn: unknown field '${k}' (fields: ${FIELDS.join(', ')})`, k);
  if (spec.model === undefined) fail('model', 'is required (llama2-7b, llama2-13b, a shape file or a model folder)');
  const source = resolveModel(spec.model);
  const shape = source.shape;
  const full = spec.full === true;
  if (spec.full !== undefined && typeof spec.full !== 'boolean') fail('full', 'must be true or false');
  if (full && spec.layers !== undefined) fail('layers', 'does not apply with --full (every layer is proven)');
  if (full && spec.heads !== undefined) fail('heads', 'does not apply with --full (every head is proven)');
  const layers = full ? Array.from({ length: shape.layers }, (_, i) => i) : parseIndexList('layers', spec.layers ?? [0], shape.layers, 'layer');
  const heads = full ? Array.from({ length: shape.heads }, (_, i) => i) : parseIndexList('heads', spec.heads ?? [0], shape.heads, 'head');

  const folder = source.kind === 'folder';
  const seqLen = integer(spec, 'seqLen', folder ? 2 : 1) ?? Math.min(DEFAULT_SEQ_LEN, shape.maxSeqLen ?? DEFAULT_SEQ_LEN);
  if (folder && shape.maxSeqLen !== undefined && seqLen > shape.maxSeqLen) fail('seqLen', `is ${seqLen}, more than the model's max_position_embeddings ${shape.maxSeqLen}`);
  const config = checkConfig(spec, shape.headDim, folder ? source.config.rmsNormEps : 1e-5);

  const headsPerProof = integer(spec, 'headsPerProof', 1);
  if (spec.commit !== undefined && typeof spec.commit !== 'boolean') fail('commit', 'must be true or false');
  const commit = spec.commit === true;
  const genDim = integer(spec, 'genDim', 1, MAX_GEN_DIM);
  if (commit && genDim === undefined) fail('genDim', 'is required with --commit (the row length of the commitments)');
  if (!commit && genDim !== undefined) fail('genDim', 'applies only with --commit');
  if (genDim !== undefined && (genDim & (genDim - 1)) !== 0) fail('genDim', `must be a power of two, got ${genDim}`);
  const backend = spec.backend ?? getDefaultBackend();
  if (!isBackendName(backend)) fail('backend', `must be auto, cpu or cuda, got '${String(backend)}'`);
  if (backend === 'cuda' && info().devices.length === 0) fail('backend', `is cuda, but there is no usable GPU (${info().gpuStatus.replace(/^no usable GPU: /, '')})`);
  const deviceBudget = integer(spec, 'deviceBudget', 1);
  const memoryLimit = integer(spec, 'memoryLimit', 1);
  const seed = integer(spec, 'seed', 0) ?? 0;
  if (spec.gitCommit !== undefined && (typeof spec.gitCommit !== 'string' || !/^[0-9a-zA-Z._-]{1,64}$/.test(spec.gitCommit)))
    fail('gitCommit', `must be a commit id (letters, digits, . _ -), got '${String(spec.gitCommit)}'`);

  let corpus: CheckedZkattnSpec['corpus'];
  if (folder) {
    const windowing = spec.windowing ?? 'chunks';
    if (!(ZKATTN_WINDOWING as readonly string[]).includes(windowing)) fail('windowing', `must be one of ${ZKATTN_WINDOWING.join(', ')}, got '${String(windowing)}'`);
    const stride = integer(spec, 'stride', 1);
    if (windowing === 'sliding' && stride === undefined) fail('stride', 'is required with --windowing sliding');
    if (windowing !== 'sliding' && stride !== undefined) fail('stride', 'applies to --windowing sliding only');
    if (stride !== undefined && stride >= seqLen) fail('stride', `must be below --seq-len (${seqLen}), got ${stride}`);
    const data = spec.data ?? 'heldout';
    if (data !== 'heldout' && !fs.existsSync(data)) fail('data', `${data}: no such file`);
    corpus = {
      data,
      format: spec.format,
      textField: spec.textField,
      documents: integer(spec, 'documents', 1),
      bos: spec.bos,
      joiner: spec.joiner,
      windowing,
      stride,
      window: integer(spec, 'window', 0) ?? 0,
    };
  } else {
    for (const k of CORPUS_FIELDS) if (spec[k] !== undefined) fail(k, `applies to a model folder only (--model ${spec.model} has no weights: its Q, K, V are drawn from --seed)`);
  }
  if (folder && spec.seed !== undefined) fail('seed', 'applies to shapes only (a model folder\'s Q, K, V come from its forward on --data)');
  return { source, config, layers, heads, seqLen, full, headsPerProof, commit, genDim, backend, deviceBudget, memoryLimit, seed, corpus, gitCommit: spec.gitCommit };
}
