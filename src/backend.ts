// Backend selection: per call (`{ backend }`) or as a process-wide default (`setDefaultBackend`,
// or the ZKLLM_BACKEND environment variable). A bad ZKLLM_BACKEND never makes loading the package
// fail: it is reported where the default backend is used (and by info()).
import type { NativeBackend } from './bindings/native';
import { describeValue } from './describe';
import { BACKEND_NAMES, EnvironmentError, backendEnvProblem, checkSwitches } from './environment';

export type Backend = NativeBackend;
export interface BackendOption {
  backend?: Backend;
}


function checkBackend(b: unknown, where: string): Backend {
  if (typeof b !== 'string' || !(BACKEND_NAMES as readonly string[]).includes(b))
    throw new Error(`${where}: unknown backend ${typeof b === 'string' ? `'${b}'` : describeValue(b)} (expected 'auto', 'cpu' or 'cuda')`);
  return b as Backend;
}

/** Set by setDefaultBackend; until then the default comes from ZKLLM_BACKEND (read on use). */
let explicitDefault: Backend | undefined;

export function setDefaultBackend(b: Backend): void {
  explicitDefault = checkBackend(b, 'setDefaultBackend');
}

/** The default backend; throws (an EnvironmentError) when it comes from a bad ZKLLM_BACKEND. */
export function getDefaultBackend(): Backend {
  if (explicitDefault !== undefined) return explicitDefault;
  const problem = backendEnvProblem();
  if (problem) throw new EnvironmentError(problem);
  const v = process.env.ZKLLM_BACKEND;
  return v ? (v as Backend) : 'auto';
}

/** The backend of one call, after checking the environment switches the native side reads. */
export function pickBackend(opts?: BackendOption): Backend {
  checkSwitches();
  return opts?.backend === undefined ? getDefaultBackend() : checkBackend(opts.backend, 'backend option');
}
