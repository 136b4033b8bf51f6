// The anchor's (zkLLM's own benchmark code) H200 figures and the kit's on the same card, copied
// with their source into data/reference/anchor-h200.json: shown beside this machine's numbers,
// never mixed into them.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AnchorBenchmark {
  op: string;
  args: string;
  num: number;
  dim?: number;
  dim0?: number;
  dim1?: number;
  dim2?: number;
  len?: number;
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

/** The package root: the nearest folder above this file with a package.json. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`zkllm-kit: no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

export function loadAnchorFigures(file = path.join(packageRoot(), 'data', 'reference', 'anchor-h200.json')): AnchorFigures {
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<AnchorFigures, 'deviceShort'>;
  return { ...j, deviceShort: j.device.split(' (')[0].replace(/^NVIDIA /, '') };
}
