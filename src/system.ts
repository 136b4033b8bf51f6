// What was compiled and found (info) and this machine's roofline ceilings (calibrate).
import { native, NativeCalibration, NativeInfo, addonPath } from './bindings/native';
import { getDefaultBackend, Backend } from './backend';
import { checkSwitches, environmentProblems } from './environment';
import { hostMemory, type HostMemory } from './memory';

export interface KitInfo extends NativeInfo {
  addon: string;
  /** null when the default comes from a bad ZKLLM_BACKEND (then `problems` says so). */
  defaultBackend: Backend | null;
  /** The backend 'auto' resolves to on this machine. */
  autoBackend: 'cpu' | 'cuda';
  /** Host memory this process may still use, and which limit sets it. */
  memory: HostMemory;
  /** One line per bad environment switch (ZKLLM_BACKEND, ZKLLM_THREADS, ...); empty when all are fine. */
  problems: string[];
}

/** Never throws for a bad environment switch: it is listed in `problems`. */
export function info(): KitInfo {
  const n = native().info();
  let defaultBackend: Backend | null = null;
  try {
    defaultBackend = getDefaultBackend();
  } catch {
    /* listed in problems */
  }
  return {
    ...n,
    addon: addonPath(),
    defaultBackend,
    autoBackend: n.devices.length > 0 ? 'cuda' : 'cpu',
    memory: hostMemory(),
    problems: environmentProblems(),
  };
}

export interface CalibrationResult {
  backend: 'cpu' | 'cuda';
  device: string;
  frMulGPerSecond: number;
  copyGBPerSecond: number;
  method: string;
}

/** Measures Fr-multiplication rate and copy bandwidth for each available backend. */
export function calibrate(backends?: ('cpu' | 'cuda')[]): CalibrationResult[] {
  if (backends !== undefined) {
    if (!Array.isArray(backends)) throw new TypeError(`calibrate: backends must be an array of 'cpu' and 'cuda', got a ${typeof backends}`);
    backends.forEach((b, i) => {
      if (b !== 'cpu' && b !== 'cuda') throw new Error(`calibrate: backends[${i}] must be 'cpu' or 'cuda', got ${typeof b === 'string' ? `'${b}'` : `a ${typeof b}`}`);
    });
  }
  checkSwitches();
  const i = native().info();
  const list = backends ?? (i.devices.length > 0 ? ['cpu', 'cuda'] : ['cpu']);
  return list.map((b) => {
    let c: NativeCalibration;
    try {
      c = native().calibrate(b);
    } catch (e) {
      // The addon names its entry point ("calibrate: ..."); say it once.
      throw new Error(`calibrate: ${(e as Error).message.replace(/^calibrate: /, '')}`);
    }
    return {
      backend: b,
      device: b === 'cuda' ? (i.devices[0]?.name ?? 'unknown GPU') : `${i.cpuThreads} CPU threads`,
      frMulGPerSecond: c.frMulPerSecond / 1e9,
      copyGBPerSecond: c.copyBytesPerSecond / 1e9,
      method: c.method,
    };
  });
}
