// Where a benchmark ran: the git commit of the code (with '-dirty' when tracked files differ from
// it) and the device, so that a saved result says what produced it.
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import { packageRoot } from '../bindings/native';
import { info } from '../system';

/** The package root, or undefined where it cannot be found (a copy without package.json). */
function packageRootOrNone(): string | undefined {
  try {
    return packageRoot();
  } catch {
    return undefined;
  }
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return undefined;
  }
}

let cachedCommit: string | undefined;
/** The commit the package was built from: `git rev-parse HEAD` (+ '-dirty'), else 'unknown'. */
export function gitCommit(): string {
  if (cachedCommit !== undefined) return cachedCommit;
  const root = packageRootOrNone();
  const sha = root ? git(['rev-parse', 'HEAD'], root) : undefined;
  if (!sha || !/^[0-9a-f]{40}$/.test(sha)) return (cachedCommit = 'unknown');
  const dirty = git(['status', '--porcelain', '--untracked-files=no'], root as string);
  return (cachedCommit = dirty ? `${sha}-dirty` : sha);
}

export interface BenchDevice {
  backend: 'cpu' | 'cuda';
  name: string;
  cpuThreads: number;
  cpuModel: string;
  memoryBytes?: number;
  computeCapability?: string;
}

/** The device a backend choice runs on. */
export function benchDevice(backend: 'auto' | 'cpu' | 'cuda'): BenchDevice {
  const i = info();
  const b = backend === 'auto' ? i.autoBackend : backend;
  const cpuModel = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const base = { cpuThreads: i.cpuThreads, cpuModel };
  const gpu = i.devices[0];
  if (b === 'cuda' && gpu) return { backend: b, name: gpu.name, memoryBytes: gpu.memoryBytes, computeCapability: gpu.computeCapability, ...base };
  return { backend: b, name: `CPU (${i.cpuThreads} threads, ${cpuModel})`, ...base };
}
