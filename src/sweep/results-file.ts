// Results as JSON lines: one record per finished point, appended as soon as it finishes, so a
// killed sweep loses at most the point it was running. Reading never fails on a bad line: a line
// cut short by a kill, or edited by hand, is reported with its file and line number and skipped.
import * as fs from 'node:fs';
import type { SweepPoint } from './sweep-spec';

export interface RecordEnv {
  /** What ran it: "CPU, 2 threads" or the GPU's name. */
  device: string;
  cpuThreads: number;
  gpus: string[];
  commit: string | null;
  node: string;
  host: string;
}

export interface ResultRecord {
  v: 1;
  key: string;
  kind: SweepPoint['kind'];
  point: SweepPoint;
  ok: boolean;
  error?: string;
  /** Kind-specific: see run-point.ts. */
  result?: unknown;
  env: RecordEnv;
  /** When the point finished (ISO 8601) and how long it took, whole. */
  at: string;
  ms: number;
  /** The command line that produced it. */
  command: string;
}

export interface LineProblem {
  file: string;
  line: number;
  message: string;
}

const KINDS = ['prove', 'acc', 'calibrate'];

function checkRecord(x: unknown): string | null {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return 'not a JSON object';
  const r = x as Record<string, unknown>;
  if (r.v !== 1) return `unknown record version ${JSON.stringify(r.v)}`;
  if (typeof r.key !== 'string' || !/^[0-9a-f]{16}$/.test(r.key)) return 'no valid key';
  if (!KINDS.includes(r.kind as string)) return `unknown kind ${JSON.stringify(r.kind)}`;
  if (!r.point || typeof r.point !== 'object') return 'no point';
  if (typeof r.ok !== 'boolean') return 'no ok flag';
  if (r.ok && r.result === undefined) return 'ok but no result';
  return null;
}

/** Reads one results file; bad lines go to `problems` (1-based line numbers), never thrown. */
export function readResults(file: string): { records: ResultRecord[]; problems: LineProblem[] } {
  const records: ResultRecord[] = [];
  const problems: LineProblem[] = [];
  if (!fs.existsSync(file)) return { records, problems };
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    let x: unknown;
    try {
      x = JSON.parse(text);
    } catch (e) {
      problems.push({ file, line: i + 1, message: `not JSON (${(e as Error).message})${i === lines.length - 1 ? '; the last line, probably cut short by a kill' : ''}` });
      return;
    }
    const bad = checkRecord(x);
    if (bad) problems.push({ file, line: i + 1, message: bad });
    else records.push(x as ResultRecord);
  });
  return { records, problems };
}

/** Appends one record as one write. A file that does not end in a newline (a line cut short by a
 *  kill) gets one first, so the new record starts a line of its own. */
export function appendResult(file: string, r: ResultRecord): void {
  let prefix = '';
  if (fs.existsSync(file)) {
    const size = fs.statSync(file).size;
    if (size > 0) {
      const fd = fs.openSync(file, 'r');
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      fs.closeSync(fd);
      if (last[0] !== 0x0a) prefix = '\n';
    }
  }
  fs.appendFileSync(file, prefix + JSON.stringify(r) + '\n');
}

/** Merges records from several files (shards, reruns): each key once. A successful record wins
 *  over a failed one; among equals the first read wins, so merging is stable in file order. */
export function mergeRecords(lists: readonly ResultRecord[][]): { records: ResultRecord[]; duplicates: number } {
  const byKey = new Map<string, ResultRecord>();
  let duplicates = 0;
  for (const list of lists)
    for (const r of list) {
      const had = byKey.get(r.key);
      if (had) {
        duplicates++;
        if (!had.ok && r.ok) byKey.set(r.key, r);
      } else byKey.set(r.key, r);
    }
  return { records: [...byKey.values()], duplicates };
}
