// Backend selection: per call (`{ backend }`) or as a process-wide default (`setDefaultBackend`,
// or the ZKLLM_BACKEND environment variable).
import type { NativeBackend } from './bindings/native';

export type Backend = NativeBackend;
export interface BackendOption {
  backend?: Backend;
}

const NAMES: readonly Backend[] = ['auto', 'cpu', 'cuda'];

function checkBackend(b: string, where: string): Backend {
  if (!(NAMES as readonly string[]).includes(b)) throw new Error(`${where}: unknown backend '${b}' (expected 'auto', 'cpu' or 'cuda')`);
  return b as Backend;
}

let defaultBackend: Backend = checkBackend(process.env.ZKLLM_BACKEND ?? 'auto', 'ZKLLM_BACKEND');

export function setDefaultBackend(b: Backend): void {
  defaultBackend = checkBackend(b, 'setDefaultBackend');
}
export function getDefaultBackend(): Backend {
  return defaultBackend;
}
export function pickBackend(opts?: BackendOption): Backend {
  return opts?.backend === undefined ? defaultBackend : checkBackend(opts.backend, 'backend option');
}
