// The anchor's own figures (its programs' timers, measured on an H200), shown beside the kit's
// anchor-comparable figure only when the parameters match the anchor's arguments exactly.
import data from '../../data/anchor/h200-anchor-timers.json';
import type { BenchOp, BenchSpec } from './bench-params';
import { OP_SIZES } from './bench-params';

interface TimerFile {
  source: string;
  device: string;
  date: string;
  figures: { op: string; params: Partial<Record<string, number>>; command: string; runsS: number[] }[];
}
const timers: TimerFile = data;

export interface AnchorFigure {
  device: string;
  date: string;
  source: string;
  command: string;
  /** Seconds each run printed. */
  runsS: number[];
  meanS: number;
}

/** The anchor's figure for exactly these parameters, or null. */
export function anchorFigure(spec: BenchSpec): AnchorFigure | null {
  const keys = OP_SIZES[spec.op];
  const f = timers.figures.find(
    (x) => x.op === spec.op && keys.every((k) => x.params[k] === spec[k]) && Object.keys(x.params).length === keys.length,
  );
  if (!f) return null;
  return {
    device: timers.device,
    date: timers.date,
    source: timers.source,
    command: f.command,
    runsS: f.runsS,
    meanS: f.runsS.reduce((a, b) => a + b, 0) / f.runsS.length,
  };
}

/** Every figure of the data file (for BENCHMARKS.md). */
export function allAnchorFigures(): { op: BenchOp; params: Partial<Record<string, number>>; figure: AnchorFigure }[] {
  return timers.figures.map((f) => ({
    op: f.op as BenchOp,
    params: f.params,
    figure: anchorFigure({ op: f.op as BenchOp, ...(f.params) } as BenchSpec) as AnchorFigure,
  }));
}
