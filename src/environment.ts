// The environment switches the kit reads at run time, each checked with a one-line message. The
// build switches (ZKLLM_CUDA, ZKLLM_CUDA_ARCHS, ZKLLM_BUILD_DIR, ZKLLM_BUILD_JOBS) are read by
// scripts/build-native.js only.
import * as fs from 'node:fs';

/** A bad environment switch: the command line reports it as a usage error (exit code 2). */
export class EnvironmentError extends Error {
  readonly code = 'ZKLLM_ENV';
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

/** The backends a build can have, and every name a backend option takes ('auto' picks one): the one list. */
export const DEVICE_BACKENDS = ['cpu', 'cuda'] as const;
export const BACKEND_NAMES = ['auto', ...DEVICE_BACKENDS] as const;
/** Whether `b` names a backend option. */
export function isBackendName(b: unknown): b is (typeof BACKEND_NAMES)[number] {
  return typeof b === 'string' && (BACKEND_NAMES as readonly string[]).includes(b);
}

/** Run-time switches and what they take (README "Environment"). */
export const ENVIRONMENT_SWITCHES: Readonly<Record<string, string>> = {
  ZKLLM_BACKEND: "the default backend: 'auto', 'cpu' or 'cuda'",
  ZKLLM_THREADS: 'CPU threads for the native kernels: a positive integer (default: every core)',
  ZKLLM_CACHE_DIR: 'folder of the generator cache (default $XDG_CACHE_HOME/zkllm-kit or ~/.cache/zkllm-kit)',
  ZKLLM_MEMORY_LIMIT: "host memory this process may use, in bytes or with a unit ('3GiB', '512M'): a tighter limit than the machine's",
  ZKLLM_TRACE: 'set (to 1) to print where the GPU prover spends its time',
  ZKLLM_ADDON: 'path of the native addon to load (default build/Release/zkllm.node)',
  ZKLLM_GIT_COMMIT: "the commit sweep records name, where git cannot tell (a copy run on another machine)",
  ZKLLM_TEST_ZKATTN_FAULT:
    "soundness tests only: the zkattn prover deviates as a cheating one would ('y', 'o', 'digit', 'rowsum', 'shift' or 'bits'), so its proofs must be rejected",
};

/** The deviations the zkattn prover's test hook knows (native/proto/zkattn.cpp). */
export const ZKATTN_FAULTS = ['y', 'o', 'digit', 'rowsum', 'shift', 'bits'] as const;

const set = (v: string | undefined): v is string => v !== undefined && v !== '';

/** ZKLLM_BACKEND's problem, if any. */
export function backendEnvProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.ZKLLM_BACKEND;
  if (set(v) && !(BACKEND_NAMES as readonly string[]).includes(v)) return `ZKLLM_BACKEND='${v}' is not a backend (expected auto, cpu or cuda)`;
  return undefined;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, kib: 2 ** 10, m: 1e6, mb: 1e6, mib: 2 ** 20, g: 1e9, gb: 1e9, gib: 2 ** 30, t: 1e12, tb: 1e12, tib: 2 ** 40 };

/** '3GiB', '512M', '1e9' as bytes; undefined when the text is not a size. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[m[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Every problem with the run-time switches except ZKLLM_BACKEND's (which matters only where the default backend is used). */
export function switchProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  const threads = env.ZKLLM_THREADS;
  if (set(threads) && !(/^[0-9]+$/.test(threads.trim()) && Number(threads) >= 1 && Number(threads) <= 65536))
    out.push(`ZKLLM_THREADS='${threads}' is not a positive integer number of threads`);
  const cache = env.ZKLLM_CACHE_DIR;
  if (set(cache)) {
    try {
      if (fs.existsSync(cache) && !fs.statSync(cache).isDirectory()) out.push(`ZKLLM_CACHE_DIR='${cache}' is not a folder`);
    } catch (e) {
      out.push(`ZKLLM_CACHE_DIR='${cache}' cannot be read: ${(e as Error).message}`);
    }
  }
  const limit = env.ZKLLM_MEMORY_LIMIT;
  if (set(limit) && parseByteSize(limit) === undefined) out.push(`ZKLLM_MEMORY_LIMIT='${limit}' is not a size in bytes (for example 3GiB, 512M or 1000000000)`);
  const trace = env.ZKLLM_TRACE;
  if (trace !== undefined && /^(0|false|no|off)$/i.test(trace.trim()))
    out.push(`ZKLLM_TRACE='${trace}' turns tracing on (any value does); unset it to turn tracing off`);
  const addon = env.ZKLLM_ADDON;
  if (addon !== undefined && !(set(addon) && fs.existsSync(addon))) out.push(`ZKLLM_ADDON='${addon}' is not a file (unset it to load build/Release/zkllm.node)`);
  const fault = env.ZKLLM_TEST_ZKATTN_FAULT;
  if (set(fault) && !(ZKATTN_FAULTS as readonly string[]).includes(fault))
    out.push(`ZKLLM_TEST_ZKATTN_FAULT='${fault}' is not a deviation of the zkattn prover (expected ${ZKATTN_FAULTS.join(', ')})`);
  return out;
}

/** Every problem with the run-time switches, ZKLLM_BACKEND included. */
export function environmentProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  const b = backendEnvProblem(env);
  return [...(b ? [b] : []), ...switchProblems(env)];
}

/** Throws an EnvironmentError for the first problem with the switches (ZKLLM_BACKEND aside). */
export function checkSwitches(env: NodeJS.ProcessEnv = process.env): void {
  const p = switchProblems(env);
  if (p.length) throw new EnvironmentError(p.join('; '));
}
