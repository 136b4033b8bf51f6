// The benchmark's memory check: the process-wide model and limits of src/memory.ts, with the
// benchmark's own --memory-limit, refused as a usage error (exit code 2) before any work.
import { MemoryLimitError, formatBytes, hostMemory, proofHostBytes as modelBytes, type HostMemory } from '../memory';

export { formatBytes, hostMemory, type HostMemory };
export { parseByteSize } from '../environment';

/** More memory needed than allowed: a usage error (exit code 2), found before any work. */
export class HostMemoryError extends MemoryLimitError {
  readonly exitCode = 2;
  constructor(message: string, neededBytes: number, availableBytes: number) {
    super(message, neededBytes, availableBytes);
    this.name = 'HostMemoryError';
  }
}

/** Throws a HostMemoryError when `neededBytes` exceeds what this process may use; returns the memory found. */
export function checkBenchMemory(what: string, neededBytes: number, limitBytes?: number): HostMemory {
  const m = hostMemory(limitBytes);
  if (neededBytes > m.availableBytes)
    throw new HostMemoryError(
      `${what} needs about ${formatBytes(neededBytes)} of host memory, more than the ${formatBytes(m.availableBytes)} it may use under ${m.source}; use smaller sizes or raise the limit`,
      neededBytes,
      m.availableBytes,
    );
  return m;
}

/** Host bytes a benchmark proof (and its verification) of these sizes is expected to need. */
export function proofHostBytes(op: string, sizes: { num: number; dim?: number; len?: number; dim0?: number; dim1?: number; dim2?: number }, commit: boolean): number {
  return modelBytes(op, sizes, { role: 'prove', committed: commit });
}
