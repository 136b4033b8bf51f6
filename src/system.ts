// What was compiled and found (info) and this machine's roofline ceilings (calibrate).
import { native, NativeCalibration, NativeInfo, addonPath } from './bindings/native';
import { getDefaultBackend, Backend } from './backend';

export interface KitInfo extends NativeInfo {
  addon: string;
  defaultBackend: Backend;
  /** The backend 'auto' resolves to on this machine. */
  autoBackend: 'cpu' | 'cuda';
}

export function info(): KitInfo {
  const n = native().info();
  return { ...n, addon: addonPath(), defaultBackend: getDefaultBackend(), autoBackend: n.devices.length > 0 ? 'cuda' : 'cpu' };
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
  const i = native().info();
  const list = backends ?? (i.devices.length > 0 ? ['cpu', 'cuda'] : ['cpu']);
  return list.map((b) => {
    const c: NativeCalibration = native().calibrate(b);
    return {
      backend: b,
      device: b === 'cuda' ? (i.devices[0]?.name ?? 'unknown GPU') : `${i.cpuThreads} CPU threads`,
      frMulGPerSecond: c.frMulPerSecond / 1e9,
      copyGBPerSecond: c.copyBytesPerSecond / 1e9,
      method: c.method,
    };
  });
}
