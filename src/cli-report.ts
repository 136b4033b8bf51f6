// `zkllm report <results.jsonl...>`: one self-contained HTML report from any results files
// (shards merged, each point once; bad lines reported with their line number and skipped).
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeReport } from './report/write-report';
import { summarizeReport } from './report/report-summary';

export const REPORT_HELP = `usage: zkllm report <results.jsonl...> [--out reports/index.html] [--title T] [--max-dppl 0.1]

Builds one HTML file (plotly inlined: it opens with no network) from the results of zkllm sweep:
tables, charts, the environment and the commands behind every number. Shards and reruns are
merged: each point counts once.`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { out: { type: 'string' }, title: { type: 'string' }, 'max-dppl': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(REPORT_HELP);
    return 0;
  }
  if (positionals.length === 0) {
    console.error(`zkllm report: give at least one results file\n${REPORT_HELP}`);
    return 2;
  }
  const maxDppl = values['max-dppl'] === undefined ? undefined : Number(values['max-dppl']);
  if (maxDppl !== undefined && !(maxDppl >= 0)) throw new Error(`--max-dppl must be a number >= 0, got '${values['max-dppl']}'`);
  const out = values.out ?? path.join('reports', 'index.html');
  const r = writeReport(positionals, {
    out,
    title: values.title,
    maxDppl,
    reproduce: [`npx zkllm report ${positionals.join(' ')} --out ${out}`],
    onProblem: (p) => console.error(`zkllm report: ${p.file}:${p.line}: skipped (${p.message})`),
  });
  console.log(`zkllm report: ${r.data.records} point(s)${r.duplicates ? ` (${r.duplicates} duplicate record(s) merged)` : ''}${r.problems.length ? `, ${r.problems.length} bad line(s) skipped` : ''}`);
  console.log(summarizeReport(r.data));
  console.log(`report written to ${path.resolve(out)} (${(r.bytes / 2 ** 20).toFixed(1)} MiB, self-contained)`);
  return 0;
}
