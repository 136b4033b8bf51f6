// `zkllm report` as a function: read results files (bad lines reported, not fatal), merge them
// (each point once), build the page and write it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeRecords, readResults, type LineProblem } from '../sweep/results-file';
import { buildReportData, type ReportData } from './report-data';
import { renderReportPage } from './report-page';

export interface WriteReportOptions {
  out: string;
  title?: string;
  maxDppl?: number;
  reproduce?: string[];
  onProblem?: (p: LineProblem) => void;
}

export function writeReport(files: readonly string[], o: WriteReportOptions): { data: ReportData; problems: LineProblem[]; duplicates: number; bytes: number } {
  const problems: LineProblem[] = [];
  const lists = files.map((f) => {
    if (!fs.existsSync(f)) throw new Error(`results file not found: ${f}`);
    const r = readResults(f);
    for (const p of r.problems) {
      problems.push(p);
      o.onProblem?.(p);
    }
    return r.records;
  });
  const { records, duplicates } = mergeRecords(lists);
  const data = buildReportData(records, { maxDppl: o.maxDppl });
  const html = renderReportPage(data, { title: o.title, reproduce: o.reproduce, problems });
  fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  fs.writeFileSync(o.out, html);
  return { data, problems, duplicates, bytes: Buffer.byteLength(html) };
}
