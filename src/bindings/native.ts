// Loads the native addon and types its whole surface. Everything else in src/ goes through here.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface NativeDevice {
  index: number;
  name: string;
  memoryBytes: number;
  computeCapability: string;
  multiprocessors: number;
}

export interface NativeInfo {
  cudaCompiled: boolean;
  cudaArchs: string;
  cpuThreads: number;
  devices: NativeDevice[];
  gpuStatus: string;
}

export interface NativeCalibration {
  frMulPerSecond: number;
  copyBytesPerSecond: number;
  method: string;
}

export interface NativeMsmBench {
  n: number;
  inputMs: number;
  totalMs: number[];
  computeMs: number[];
  point: Uint8Array;
}

export interface NativeTranscript {
  absorb(label: string, data: Uint8Array): void;
  absorbScalar(label: string, value: bigint): void;
  challenge(label: string): bigint;
  challengeBytes(label: string): Uint8Array;
}

export type NativeBackend = 'auto' | 'cpu' | 'cuda';

export interface NativeAddon {
  frAdd(a: bigint, b: bigint): bigint;
  frSub(a: bigint, b: bigint): bigint;
  frMul(a: bigint, b: bigint): bigint;
  frInv(a: bigint): bigint;
  frBatchInverse(xs: Uint8Array, backend: NativeBackend): Uint8Array;
  frElementwise(op: 'add' | 'sub' | 'mul' | 'inv', x: Uint8Array, y: Uint8Array | null, backend: NativeBackend): Uint8Array;
  g1Generator(): Uint8Array;
  g1Add(p: Uint8Array, q: Uint8Array): Uint8Array;
  g1Double(p: Uint8Array): Uint8Array;
  g1Mul(p: Uint8Array, k: bigint): Uint8Array;
  g1Msm(points: Uint8Array, scalars: Uint8Array, backend: NativeBackend): Uint8Array;
  g1Elementwise(op: 'add' | 'double' | 'mul', p: Uint8Array, second: Uint8Array | null, backend: NativeBackend): Uint8Array;
  info(): NativeInfo;
  calibrate(backend: NativeBackend): NativeCalibration;
  benchMsm(logN: number, seed: number, backend: NativeBackend, reps: number): NativeMsmBench;
  Transcript: new (domain: string) => NativeTranscript;
  proofProve(spec: Record<string, unknown>, backend: NativeBackend): {
    claims: Uint8Array;
    evals: { tensor: string; point: Uint8Array; value: Uint8Array }[];
    proof: Uint8Array;
    phasesMs: Record<string, number>;
    commitments: Record<string, Uint8Array>;
    outputs: Record<string, BigInt64Array>;
    lookups: { stage: string; tableBits: number; entries: number }[];
  };
  proofOps(): { name: string; sizes: 'stacked' | 'matmul' | 'lookup' | 'batch' | 'attention'; requiredTensors: string[]; optionalTensors: string[] }[];
  proofVerify(
    spec: Record<string, unknown>,
    claims: Uint8Array,
    evals: { tensor: string; point: Uint8Array; value: Uint8Array }[],
    proof: Uint8Array,
    mode: 'full' | 'sumchecks',
  ): { ok: boolean; reason: string };
}

/** The package root: dist/src/bindings -> three levels up when compiled, two from src/bindings. */
export function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`zkllm-kit: cannot find the package root above ${__dirname}`);
}

let cached: NativeAddon | undefined;

export function addonPath(): string {
  return process.env.ZKLLM_ADDON ?? path.join(packageRoot(), 'build', 'Release', 'zkllm.node');
}

export function native(): NativeAddon {
  if (cached) return cached;
  const file = addonPath();
  if (!fs.existsSync(file))
    throw new Error(`zkllm-kit: native addon not found at ${file}; run 'npm ci' or 'node scripts/build-native.js'`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cached = require(file) as NativeAddon;
  return cached;
}
