// `zkllm start` (what `npm start` runs): the default sweep for this machine (sweeps/cpu.json, or
// sweeps/gpu.json when a GPU is found), then the report, reports/index.html, and a short summary.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { info } from './system';
import { checkSweepSpec } from './sweep/sweep-spec';
import { runSweep } from './sweep/run-sweep';
import { formatDuration } from './sweep/progress';
import { writeReport } from './report/write-report';
import { summarizeReport } from './report/report-summary';
import { packageRoot } from './report/anchor-figures';

export const START_HELP = `usage: zkllm start [--sweep file.json] [--out reports/index.html] [--resume]

Runs the default sweep for this machine (sweeps/cpu.json: a few minutes on 2 CPU cores;
sweeps/gpu.json when a GPU is found), writes the results next to the report
(reports/index.results.jsonl) and the report itself. --resume keeps earlier results and runs only
the missing points; without it the results start afresh.`;

export async function startCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { sweep: { type: 'string' }, out: { type: 'string' }, resume: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(START_HELP);
    return 0;
  }
  const root = packageRoot();
  const i = info();
  const sweepFile = values.sweep ?? path.join(root, 'sweeps', i.devices.length > 0 ? 'gpu.json' : 'cpu.json');
  const spec = checkSweepSpec(JSON.parse(fs.readFileSync(sweepFile, 'utf8')));
  // Relative model paths in the shipped sweeps are relative to the package root.
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  for (const g of spec.acc ?? []) if (!fs.existsSync(g.model) && fs.existsSync(path.join(root, g.model))) g.model = rel(path.join(root, g.model));
  const out = values.out ?? path.join('reports', 'index.html');
  const results = out.replace(/\.html?$/, '') + '.results.jsonl';
  if (!values.resume) fs.rmSync(results, { force: true });
  console.log(`zkllm start: ${i.devices.length ? `GPU ${i.devices[0].name}` : `no GPU (${i.gpuStatus}), ${i.cpuThreads} CPU threads`}; sweep ${rel(sweepFile)} -> ${results}`);
  const command = `npx zkllm sweep ${rel(sweepFile)} --out ${results}`;
  const s = await runSweep(spec, { out: results, command, onProblem: (p) => console.error(`zkllm start: ${p.file}:${p.line}: skipped (${p.message})`) });
  const r = writeReport([results], {
    out,
    title: `zkllm-kit: proving cost and accuracy on ${i.devices.length ? i.devices[0].name : `this CPU (${i.cpuThreads} threads)`}`,
    maxDppl: spec.maxDppl,
    reproduce: ['npm start   # the same as:', command, `npx zkllm report ${results} --out ${out}`],
  });
  console.log(`zkllm start: ${s.ran} point(s) in ${formatDuration(s.ms)}${s.failed ? `, ${s.failed} FAILED` : ''}`);
  console.log(summarizeReport(r.data));
  console.log(`report: ${path.resolve(out)} (self-contained, open it in a browser)`);
  return s.failed ? 1 : 0;
}
