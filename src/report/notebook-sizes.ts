// The sizes a notebook runs at, from environment variables, so the same notebook runs small on a
// 2-core CPU (and in CI) and full on a GPU:
//   ZKLLM_NB_SIZE      small | cpu | gpu   (default: gpu when a GPU is found, else cpu)
//   ZKLLM_NB_LOG_DIMS  e.g. "10,12,14"     log2 of the per-instance size of the benchmarks
//   ZKLLM_NB_NUM       instances per benchmark proof
//   ZKLLM_NB_MODEL     a LLaMA checkpoint folder (default: the stand-in, data/models/standin)
//   ZKLLM_NB_SEQ_LEN, ZKLLM_NB_SAMPLES   accuracy windows: tokens each, how many
//   ZKLLM_NB_MAX_DPPL  the trade-off's perplexity budget (default 0.1)
import * as path from 'node:path';
import { info } from '../system';
import { packageRoot } from './anchor-figures';

export interface NotebookSizes {
  size: 'small' | 'cpu' | 'gpu';
  logDims: number[];
  num: number;
  /** Square matmul sides (dim0 = dim1 = dim2). */
  matmulDims: number[];
  model: string;
  seqLen: number;
  samples: number;
  maxDppl: number;
}

const PRESETS: Record<NotebookSizes['size'], Omit<NotebookSizes, 'size' | 'model' | 'maxDppl'>> = {
  small: { logDims: [8, 10, 12], num: 2, matmulDims: [16, 32, 64], seqLen: 32, samples: 2 },
  cpu: { logDims: [10, 12, 14, 16], num: 4, matmulDims: [32, 64, 128, 256], seqLen: 128, samples: 8 },
  gpu: { logDims: [16, 18, 20, 22], num: 16, matmulDims: [256, 512, 1024, 2048], seqLen: 512, samples: 32 },
};

function ints(env: NodeJS.ProcessEnv, name: string): number[] | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const xs = v.split(',').map((x) => Number(x.trim()));
  if (xs.some((x) => !Number.isSafeInteger(x) || x < 1)) throw new Error(`${name} must be positive integers separated by commas, got '${v}'`);
  return xs;
}

export function notebookSizes(env: NodeJS.ProcessEnv = process.env): NotebookSizes {
  const s = env.ZKLLM_NB_SIZE ?? (info().devices.length > 0 ? 'gpu' : 'cpu');
  if (!(s in PRESETS)) throw new Error(`ZKLLM_NB_SIZE must be small, cpu or gpu, got '${s}'`);
  const size = s as NotebookSizes['size'];
  const p = PRESETS[size];
  const maxDppl = env.ZKLLM_NB_MAX_DPPL === undefined ? 0.1 : Number(env.ZKLLM_NB_MAX_DPPL);
  if (!(maxDppl >= 0)) throw new Error(`ZKLLM_NB_MAX_DPPL must be a number >= 0`);
  return {
    size,
    logDims: ints(env, 'ZKLLM_NB_LOG_DIMS') ?? p.logDims,
    num: ints(env, 'ZKLLM_NB_NUM')?.[0] ?? p.num,
    matmulDims: p.matmulDims,
    model: env.ZKLLM_NB_MODEL ?? path.relative(process.cwd(), path.join(packageRoot(), 'data', 'models', 'standin')),
    seqLen: ints(env, 'ZKLLM_NB_SEQ_LEN')?.[0] ?? p.seqLen,
    samples: ints(env, 'ZKLLM_NB_SAMPLES')?.[0] ?? p.samples,
    maxDppl,
  };
}
