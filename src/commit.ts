// Pedersen commitments to tensors (native/commit/): public generators hashed to G1 from a label,
// and row-wise commitments  C_r = Σ_c t[r·w + c]·g_c  over rows of w = genDim elements (the last
// row zero-padded). No blinding: binding, not hiding. Points are 96-byte ZCash encodings.
import './bindings/native-commit';
import { native } from './bindings/native';
import type { NativeGeneratorOptions, NativeGeneratorSource } from './bindings/native-commit';
import { BackendOption, pickBackend } from './backend';
import { G1_POINT_BYTES, G1Point } from './g1';
import { checkHostMemory } from './memory';

/** Host bytes of a generator set of w points (the set, its cache file image and Q), and of a commit. */
const generatorBytes = (w: number) => 3 * 96 * w + (32 << 20);
const commitBytes = (n: number, w: number) => 48 * n + 96 * Math.ceil(n / w) + generatorBytes(w);

/** The generator label used when none is given. */
export const DEFAULT_GENERATOR_LABEL = 'zkllm-kit-pedersen-v1';
/** The largest generator dimension (row length). */
export const MAX_GEN_DIM = 2 ** 20;

export interface GeneratorOptions extends BackendOption {
  /** Folder holding generators/; default $ZKLLM_CACHE_DIR, else $XDG_CACHE_HOME/zkllm-kit, else ~/.cache/zkllm-kit. */
  cacheDir?: string;
  /** false: ignore this process's copy of the set (it is still refreshed). Default true. */
  memory?: boolean;
  /** false: neither read nor write the disk cache. Default true. */
  disk?: boolean;
}

/** Where a generator set came from: this process's memory, the disk cache, or derived just now. */
export type GeneratorSource = NativeGeneratorSource;

export interface PedersenGenerators {
  label: string;
  genDim: number;
  /** g_0 .. g_{genDim−1}; g_i does not depend on genDim. */
  g: G1Point[];
  /** The extra generator of the inner-product argument. */
  q: G1Point;
  source: GeneratorSource;
}

export interface CommitOptions extends GeneratorOptions {
  /** Row length w: a power of two in [1, 2^20]. */
  genDim: number;
  /** Generator label; default DEFAULT_GENERATOR_LABEL. */
  label?: string;
}

export interface TensorCommitment {
  label: string;
  genDim: number;
  /** Number of committed elements n; there are ceil(n / genDim) rows. */
  length: number;
  /** 'int32' for an Int32Array (signed small-integer path), 'field' for bigints in [0, p). */
  path: 'int32' | 'field';
  rows: G1Point[];
  generators: GeneratorSource;
  /** Milliseconds: the row MSMs, and the whole commit without the generators. */
  msmMs: number;
  totalMs: number;
}

function checkLabel(label: unknown, where: string): string {
  if (typeof label !== 'string' || label.length === 0) throw new TypeError(`${where}: label must be a non-empty string`);
  return label;
}

function checkGenDim(w: unknown, where: string): number {
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 1)
    throw new TypeError(`${where}: genDim must be a positive integer power of two, got ${String(w)}`);
  if (w > MAX_GEN_DIM) throw new RangeError(`${where}: genDim ${w} exceeds the maximum 2^20`);
  if ((w & (w - 1)) !== 0) throw new RangeError(`${where}: genDim must be a power of two, got ${w}`);
  return w;
}

const GENERATOR_OPTIONS = ['backend', 'cacheDir', 'memory', 'disk'];

/** Unknown option names and wrong types are errors that name the option. */
function checkOptions(o: unknown, where: string, allowed: string[]): void {
  if (o === undefined) return;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new TypeError(`${where}: options must be an object, got ${o === null ? 'null' : Array.isArray(o) ? 'an array' : `a ${typeof o}`}`);
  const r = o as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!allowed.includes(k)) throw new TypeError(`${where}: unknown option '${k}' (options: ${allowed.join(', ')})`);
  if (r.cacheDir !== undefined && (typeof r.cacheDir !== 'string' || r.cacheDir === '')) throw new TypeError(`${where}: cacheDir must be a non-empty string, got ${typeof r.cacheDir === 'string' ? 'an empty string' : `a ${typeof r.cacheDir}`}`);
  for (const k of ['memory', 'disk'])
    if (r[k] !== undefined && typeof r[k] !== 'boolean') throw new TypeError(`${where}: ${k} must be a boolean, got a ${r[k] === null ? 'null' : typeof r[k]}`);
}

function nativeOptions(o: GeneratorOptions | undefined): NativeGeneratorOptions {
  const out: NativeGeneratorOptions = {};
  if (o?.cacheDir !== undefined) out.cacheDir = o.cacheDir;
  if (o?.memory !== undefined) out.memory = o.memory;
  if (o?.disk !== undefined) out.disk = o.disk;
  return out;
}

function splitPoints(packed: Uint8Array): G1Point[] {
  const out: G1Point[] = new Array(packed.length / G1_POINT_BYTES);
  for (let i = 0; i < out.length; i++) out[i] = packed.subarray(i * G1_POINT_BYTES, (i + 1) * G1_POINT_BYTES);
  return out;
}

export const commitments = {
  /** The generator set for (label, genDim), from memory, the disk cache, or derived (then cached). */
  generators(label: string, genDim: number, opts?: GeneratorOptions): PedersenGenerators {
    checkLabel(label, 'commitments.generators');
    checkOptions(opts, 'commitments.generators', GENERATOR_OPTIONS);
    checkGenDim(genDim, 'commitments.generators');
    checkHostMemory(`commitments.generators (genDim ${genDim})`, generatorBytes(genDim));
    const r = native().commitGenerators(label, genDim, pickBackend(opts), nativeOptions(opts));
    return { label, genDim, g: splitPoints(r.points), q: r.q, source: r.source };
  },

  /** Row-wise Pedersen commitment of a tensor: an Int32Array (quantized values, any sign) or
   *  bigints in [0, p). Throws for an empty tensor, values out of range, or a bad genDim. */
  commit(values: readonly bigint[] | Int32Array, opts: CommitOptions): TensorCommitment {
    if (typeof opts !== 'object' || opts === null) throw new TypeError('commitments.commit: options { genDim } are required');
    checkOptions(opts, 'commitments.commit', [...GENERATOR_OPTIONS, 'genDim', 'label']);
    const genDim = checkGenDim(opts.genDim, 'commitments.commit');
    const label = checkLabel(opts.label ?? DEFAULT_GENERATOR_LABEL, 'commitments.commit');
    if (!(values instanceof Int32Array) && !Array.isArray(values))
      throw new TypeError('commitments.commit: values must be an Int32Array or an array of bigints');
    if (values.length === 0) throw new RangeError('commitments.commit: cannot commit to an empty tensor');
    checkHostMemory(`commitments.commit (${values.length} values, genDim ${genDim})`, commitBytes(values.length, genDim));
    const r = native().commitTensor(values, genDim, label, pickBackend(opts), nativeOptions(opts));
    return {
      label,
      genDim,
      length: values.length,
      path: r.path,
      rows: splitPoints(r.rows),
      generators: r.generators,
      msmMs: r.msmMs,
      totalMs: r.totalMs,
    };
  },
};
