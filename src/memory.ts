// Memory-aware refusal: how much host memory this process may still use, and a simple model of
// what prove / verify / commit need, so that a call too large for the machine (or for a ulimit,
// a cgroup, or ZKLLM_MEMORY_LIMIT) is refused with the estimate and the limit instead of being
// killed half way through.
//
// The model (host bytes, measured on a 2-core x86 machine with maxRSS, rounded up): a witness
// tensor of n padded elements (every axis padded to a power of two) costs `k` field elements of
// 32 bytes per padded element while the prover or the verifier runs, for
//   inner-product 4, hadamard 5, matmul 2 (per element of A, B and C together),
//   tlookup-range 5 and tlookup-map 7 (per element of the values plus the table's padded length),
//   commit 1.5, opening 1;
// a commit-mode verifier needs only the commitments and the generators (4 × 96 bytes per row and
// per generator); a witness given as JS numbers or bigints (`tensors`) adds 600 bytes per element
// (the JS values, their 32-byte copies and the statement's decimal strings); plus 32 MiB for the
// run itself, and the whole estimate is taken 1.1 times. Measured (this machine): hadamard 2^20
// 121 B/element to prove and 153 to verify; inner-product 113 / 81; tlookup-range with a 2^20 table
// 112 / 140 per element of values + table; tlookup-map 187 / 215; matmul 22 / 38 per element of
// A+B+C; given tensors 548 B/element.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseByteSize } from './environment';

export interface HostMemory {
  /** Bytes this process can still allocate under the tightest limit. */
  availableBytes: number;
  /** That limit, in words (`ulimit -v 1.5 GiB`, `cgroup memory.max 4 GiB`, ...). */
  source: string;
}

/** Thrown when a call needs more memory than it may use. */
export class MemoryLimitError extends Error {
  readonly code = 'ZKLLM_MEMORY';
  constructor(
    message: string,
    readonly neededBytes: number,
    readonly availableBytes: number,
  ) {
    super(message);
    this.name = 'MemoryLimitError';
  }
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 40) return `${(n / 2 ** 40).toFixed(1)} TiB`;
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(0)} MiB`;
  return `${Math.ceil(n / 2 ** 10)} KiB`;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A kB field of /proc/self/status or /proc/meminfo, in bytes. */
function kbField(text: string | undefined, key: string): number | undefined {
  const m = text ? new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text) : null;
  return m ? Number(m[1]) * 1024 : undefined;
}

/** A byte count from a cgroup file: undefined for "max", a missing file or an "unlimited" 2^63-ish value. */
function cgroupBytes(file: string): number | undefined {
  const t = readText(file)?.trim();
  if (!t || t === 'max') return undefined;
  const n = Number(t);
  return Number.isFinite(n) && n < 2 ** 60 ? n : undefined;
}

function statField(file: string, key: string): number {
  const m = new RegExp(`^${key} (\\d+)`, 'm').exec(readText(file) ?? '');
  return m ? Number(m[1]) : 0;
}

interface Limit {
  available: number;
  source: string;
}

function cgroupLimits(): Limit[] {
  const out: Limit[] = [];
  const lines = (readText('/proc/self/cgroup') ?? '').split('\n');
  // v2: "0::/path"; the limit may be set on any ancestor, so each is read.
  const v2 = lines.find((l) => l.startsWith('0::'))?.slice(3);
  if (v2 !== undefined && fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    let dir = v2;
    for (;;) {
      const base = `/sys/fs/cgroup${dir === '/' ? '' : dir}`;
      const max = cgroupBytes(`${base}/memory.max`);
      if (max !== undefined) {
        const used = (cgroupBytes(`${base}/memory.current`) ?? 0) - statField(`${base}/memory.stat`, 'inactive_file');
        out.push({ available: max - Math.max(0, used), source: `the cgroup memory limit (memory.max ${formatBytes(max)})` });
      }
      if (dir === '/' || dir === '') break;
      dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
    }
  }
  // v1: "N:memory:/path" (inside a container the folder is often the root of the hierarchy).
  const v1 = lines.find((l) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(l))?.split(':')[2];
  if (v1 !== undefined) {
    for (const base of [`/sys/fs/cgroup/memory${v1 === '/' ? '' : v1}`, '/sys/fs/cgroup/memory']) {
      const max = cgroupBytes(`${base}/memory.limit_in_bytes`);
      if (max === undefined) continue;
      const used = (cgroupBytes(`${base}/memory.usage_in_bytes`) ?? 0) - statField(`${base}/memory.stat`, 'total_inactive_file');
      out.push({ available: max - Math.max(0, used), source: `the cgroup memory limit (memory.limit_in_bytes ${formatBytes(max)})` });
      break;
    }
  }
  return out;
}

/** The host memory this process may still use: the tightest of `limitBytes` (a caller's own limit), ZKLLM_MEMORY_LIMIT, ulimit -v, the cgroup's limit and the machine's available memory. */
export function hostMemory(limitBytes?: number): HostMemory {
  const status = readText('/proc/self/status');
  const rss = kbField(status, 'VmRSS') ?? process.memoryUsage().rss;
  const limits: Limit[] = [];
  if (limitBytes !== undefined) limits.push({ available: limitBytes - rss, source: `the limit given (${formatBytes(limitBytes)})` });
  const explicit = process.env.ZKLLM_MEMORY_LIMIT ? parseByteSize(process.env.ZKLLM_MEMORY_LIMIT) : undefined;
  if (explicit !== undefined) limits.push({ available: explicit - rss, source: `ZKLLM_MEMORY_LIMIT=${process.env.ZKLLM_MEMORY_LIMIT}` });
  const as = /^Max address space\s+(\d+)/m.exec(readText('/proc/self/limits') ?? '');
  if (as) {
    const size = kbField(status, 'VmSize') ?? 0;
    limits.push({ available: Number(as[1]) - size, source: `the address-space limit (ulimit -v ${formatBytes(Number(as[1]))}, ${formatBytes(size)} of it reserved already)` });
  }
  limits.push(...cgroupLimits());
  const meminfo = readText('/proc/meminfo');
  const avail = kbField(meminfo, 'MemAvailable');
  limits.push({ available: avail ?? os.freemem(), source: `the memory this machine has available (${avail !== undefined ? 'MemAvailable' : 'free memory'})` });
  const tight = limits.reduce((a, b) => (b.available < a.available ? b : a));
  return { availableBytes: Math.max(0, tight.available), source: tight.source };
}

/** Refuses (throws a MemoryLimitError) when `neededBytes` exceeds what this process may still use. */
export function checkHostMemory(what: string, neededBytes: number): void {
  const m = hostMemory();
  if (neededBytes <= m.availableBytes) return;
  throw new MemoryLimitError(
    `${what} needs about ${formatBytes(neededBytes)} of host memory, more than the ${formatBytes(m.availableBytes)} this process may still use under ${m.source}; use smaller sizes or raise the limit`,
    neededBytes,
    m.availableBytes,
  );
}

/** The next power of two at or above n (n >= 1). */
export function pow2(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

const FR = 32;
const RUN_OVERHEAD = 32 * 2 ** 20;
const MARGIN = 1.1;
/** Field elements per padded element while an op is proven or verified (see the top of this file). */
export const FR_PER_ELEMENT: Readonly<Record<string, number>> = {
  'inner-product': 4,
  hadamard: 5,
  matmul: 2,
  'tlookup-range': 5,
  'tlookup-map': 7,
  commit: 1.5,
  opening: 1,
  // Per score entry: the digit, segment-output, product and Y tensors, their lookups' inverses, the
  // sumchecks' copies and the int64 witness (about two dozen field elements at the peak).
  zkattn: 24,
};
/**
 * Device bytes per padded element of a plain zkattn proof whose witness the GPU computes and keeps
 * (native/proto/zkattn.cpp working_bytes: each tensor as a field element and an int64, with a
 * sumcheck's copies and the shared points' eq tables).
 */
export const ZKATTN_DEVICE_BYTES_PER_ELEMENT = 24 * (FR + 8);
/** The share of a GPU's memory a prover's tensor store may take when no deviceBudget is given (native make_tensor_store). */
export const DEVICE_STORE_SHARE = 0.8;

/**
 * Whether a zkattn proof of these sizes runs on the device end to end (plain mode, CUDA, and its
 * store within deviceBudget or the share of the GPU's memory): the host then holds only Q, K, V, O.
 */
export function zkattnOnDevice(sizes: ProofSizesLike, o: { backend: string; committed: boolean; deviceBudget?: number; deviceMemory?: number }): boolean {
  if (o.committed || o.backend !== 'cuda') return false;
  const budget = o.deviceBudget && o.deviceBudget > 0 ? o.deviceBudget : o.deviceMemory !== undefined ? DEVICE_STORE_SHARE * o.deviceMemory : 0;
  return paddedElements('zkattn', sizes) * ZKATTN_DEVICE_BYTES_PER_ELEMENT <= budget;
}

/** JS bytes per element of a witness given as numbers or bigints. */
export const GIVEN_ELEMENT_BYTES = 600;

export interface ProofSizesLike {
  num: number;
  dim?: number;
  dim0?: number;
  dim1?: number;
  dim2?: number;
  len?: number;
}

/** Padded elements the op's sumchecks run over (values + table for lookups; A + B + C for matmul). */
export function paddedElements(op: string, s: ProofSizesLike): number {
  const num = pow2(s.num);
  if (op === 'zkattn') {
    const [m, n, d] = [pow2(s.dim0 ?? 1), pow2(s.dim1 ?? 1), pow2(s.dim2 ?? 1)];
    return num * (m * n + (m + 2 * n) * d);
  }
  if (op === 'matmul') {
    const [a, b, c] = [pow2(s.dim0 ?? 1), pow2(s.dim1 ?? 1), pow2(s.dim2 ?? 1)];
    return num * (a * b + b * c + a * c);
  }
  const n = num * pow2(s.dim ?? 1);
  return op.startsWith('tlookup') ? n + pow2(s.len ?? 1) : n;
}

/** Host bytes prove or verify is expected to need (the model above). */
export function proofHostBytes(
  op: string,
  sizes: ProofSizesLike,
  o: { role: 'prove' | 'verify'; committed: boolean; genDim?: number; givenElements?: number; onDevice?: boolean },
): number {
  const n = paddedElements(op, sizes);
  let bytes: number;
  if (o.onDevice) {
    // zkattnOnDevice: Q, K, V and O as int64 and field elements
    bytes = (FR + 8) * pow2(sizes.num) * 2 * (pow2(sizes.dim0 ?? 1) + pow2(sizes.dim1 ?? 1)) * pow2(sizes.dim2 ?? 1);
  } else if (o.role === 'verify' && o.committed) {
    const w = o.genDim && o.genDim > 0 ? o.genDim : 1;
    bytes = 4 * 96 * (Math.ceil(n / w) + w);
  } else {
    bytes = (FR_PER_ELEMENT[op] ?? 7) * FR * n;
  }
  bytes += GIVEN_ELEMENT_BYTES * (o.givenElements ?? 0);
  return Math.ceil((bytes + RUN_OVERHEAD) * MARGIN);
}
