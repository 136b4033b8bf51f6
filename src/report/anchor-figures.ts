// The anchor's (zkLLM's own benchmark code) H200 figures and the kit's on the same card: the kit's in
// data/reference/anchor-h200.json, the anchor's timers in data/anchor/h200-anchor-timers.json (the
// one copy `zkllm bench` reads too); shown beside this machine's numbers, never mixed into them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../bindings/native';
import { allAnchorFigures } from '../benchmark/anchor-timers';
import { KIT_OP } from '../benchmark/bench-params';
import type { ProofSizesLike } from '../memory';

export { packageRoot };

export interface AnchorBenchmark extends ProofSizesLike {
  op: string;
  args: string;
  genDim?: number;
  anchorTimerS: number[];
  kitProveS: number;
  kitPhases?: string;
  kitNote?: string;
}

export interface AnchorFigures {
  source: string;
  device: string;
  deviceShort: string;
  date: string;
  ceilings: { frMulGPerSecond: number; copyGBPerSecond: number; msm2e20Ms: number; note: string };
  benchmarks: AnchorBenchmark[];
  wallClock: string;
}

/** The kit's recorded figures with the anchor's timers joined in from the benchmark's one data file
 *  (data/anchor/h200-anchor-timers.json), matched by op and the anchor's arguments. */
export function loadAnchorFigures(file = path.join(packageRoot(), 'data', 'reference', 'anchor-h200.json')): AnchorFigures {
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<AnchorFigures, 'deviceShort'> & { benchmarks: Omit<AnchorBenchmark, 'anchorTimerS'>[] };
  const timers = allAnchorFigures();
  const benchmarks = j.benchmarks.map((b) => {
    const t = timers.find((f) => KIT_OP[f.op] === b.op && f.figure.command.endsWith(` ${b.args}`));
    if (!t) throw new Error(`${file}: no anchor timer for ${b.op} ${b.args} in data/anchor/h200-anchor-timers.json`);
    return { ...b, anchorTimerS: t.figure.runsS };
  });
  return { ...j, benchmarks, deviceShort: j.device.split(' (')[0].replace(/^NVIDIA /, '') };
}
