// Host memory: what a proof of given sizes is expected to take, what this process may still use,
// and one check that refuses before any work (with the estimate and the limit) instead of being
// killed half way through. Any command can reuse checkHostMemory().
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface HostMemory {
  /** Bytes this process may still use under the tightest limit. */
  availableBytes: number;
  /** That limit, in words. */
  source: string;
}

/** More memory needed than allowed: a usage error (exit code 2), found before any work. */
export class HostMemoryError extends Error {
  readonly exitCode = 2;
  constructor(message: string, readonly neededBytes: number, readonly availableBytes: number) {
    super(message);
    this.name = 'HostMemoryError';
  }
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 40) return `${(n / 2 ** 40).toFixed(1)} TiB`;
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${(n / 2 ** 10).toFixed(1)} KiB`;
}

/** "8GiB", "1.5 GB", "512M", "1000000" → bytes (binary units for K/M/G/T, as ulimit); undefined if malformed. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!m || (m[3] && !m[2] && m[3].toLowerCase() !== 'b')) return undefined;
  const n = Number(m[1]) * 1024 ** ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : undefined;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The cgroup v2 limit of this process's own cgroup, less what the cgroup uses already. */
function cgroupV2(): { available: number; source: string } | undefined {
  const path = (readText('/proc/self/cgroup') ?? '').split('\n').find((l) => l.startsWith('0::'))?.slice(3);
  if (path === undefined) return undefined;
  const base = `/sys/fs/cgroup${path === '/' ? '' : path}`;
  const max = Number(readText(`${base}/memory.max`)?.trim());
  if (!Number.isFinite(max) || max <= 0) return undefined; // 'max' or no file: no limit
  const used = Number(readText(`${base}/memory.current`)?.trim()) || 0;
  return { available: max - used, source: `the cgroup memory limit (memory.max ${formatBytes(max)})` };
}

/** The tightest of: the machine's available memory, this cgroup's limit, ZKLLM_MEMORY_LIMIT and `limitBytes`. */
export function hostMemory(limitBytes?: number): HostMemory {
  const rss = process.memoryUsage().rss;
  const meminfo = /^MemAvailable:\s+(\d+) kB/m.exec(readText('/proc/meminfo') ?? '');
  const limits = [
    meminfo
      ? { available: Number(meminfo[1]) * 1024, source: 'the memory this machine has available (MemAvailable)' }
      : { available: os.freemem(), source: 'the free memory of this machine' },
  ];
  const cg = cgroupV2();
  if (cg) limits.push(cg);
  const env = process.env.ZKLLM_MEMORY_LIMIT;
  const envBytes = env ? parseByteSize(env) : undefined;
  if (envBytes !== undefined) limits.push({ available: envBytes - rss, source: `ZKLLM_MEMORY_LIMIT=${env}` });
  if (limitBytes !== undefined) limits.push({ available: limitBytes - rss, source: `the limit given (${formatBytes(limitBytes)})` });
  const tight = limits.reduce((a, b) => (b.available < a.available ? b : a));
  return { availableBytes: Math.max(0, tight.available), source: tight.source };
}

/** Throws a HostMemoryError when `neededBytes` exceeds what this process may use; returns the memory found. */
export function checkHostMemory(what: string, neededBytes: number, limitBytes?: number): HostMemory {
  const m = hostMemory(limitBytes);
  if (neededBytes > m.availableBytes)
    throw new HostMemoryError(
      `${what} needs about ${formatBytes(neededBytes)} of host memory, more than the ${formatBytes(m.availableBytes)} it may use under ${m.source}; use smaller sizes or raise the limit`,
      neededBytes,
      m.availableBytes,
    );
  return m;
}

// The model: 32-byte field elements per padded element alive at once while a proof is made and
// then verified (the larger of the two), measured with maxRSS at 2^20 elements on the 2-core CPU
// machine (the same figures as the CLI's memory model): hadamard 5 (a, b, c, eq and folds),
// matmul 2 per element of A, B and C together, tlookup 5 per element of the values plus the table,
// opening 1 per element; commit mode re-forms the opened tensors, about 2 more; plus 64 MiB for the
// process, and the whole taken 1.1 times.
const FR_BYTES = 32;
const FR_PER_ELEMENT = { hadamard: 5, matmul: 2, 'tlookup-range': 5, opening: 1 } as const;
const COMMIT_EXTRA = 2;
const PROCESS_BYTES = 64 * 2 ** 20;
const MARGIN = 1.1;

/** Padded elements a proof's sumchecks run over (the values and the table for a lookup; A, B, C for matmul). */
export function paddedElements(op: keyof typeof FR_PER_ELEMENT, s: { num: number; dim?: number; len?: number; dim0?: number; dim1?: number; dim2?: number }): number {
  const p2 = (n = 1) => (n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n)));
  if (op === 'matmul') {
    const [a, b, c] = [p2(s.dim0), p2(s.dim1), p2(s.dim2)];
    return p2(s.num) * (a * b + b * c + a * c);
  }
  if (op === 'opening') return s.num * p2(s.dim);
  return p2(s.num) * p2(s.dim) + (op === 'tlookup-range' ? p2(s.len) : 0);
}

/** Host bytes a proof (and its verification) of these sizes is expected to need. */
export function proofHostBytes(op: keyof typeof FR_PER_ELEMENT, sizes: Parameters<typeof paddedElements>[1], commit: boolean): number {
  const perElement = FR_PER_ELEMENT[op] + (commit && op !== 'opening' ? COMMIT_EXTRA : 0);
  return Math.ceil((perElement * FR_BYTES * paddedElements(op, sizes) + PROCESS_BYTES) * MARGIN);
}
