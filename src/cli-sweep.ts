// `zkllm sweep <sweep.json>`: runs a sweep's points (or one shard of them), appending each result
// to a JSON-lines file as it finishes; a rerun resumes where a killed one stopped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkSweepSpec } from './sweep/sweep-spec';
import { parseShard } from './sweep/shard';
import { runSweep } from './sweep/run-sweep';
import { formatDuration } from './sweep/progress';

export const SWEEP_HELP = `usage: zkllm sweep <sweep.json> [--out results.jsonl] [--shard i/N] [--limit N] [--quiet]

Runs every point of the sweep (prove() benchmarks, accuracy runs, calibrate) and appends one JSON
line per finished point to --out (default: <sweep name>.results.jsonl, or
<name>.shard-i-of-N.results.jsonl with --shard). Points already in --out are skipped, so a killed
sweep resumes. --shard i/N runs the points k with k mod N = i - 1, the same split on every machine:
  sbatch --array=1-8 --wrap 'npx zkllm sweep sweeps/gpu.json --shard $SLURM_ARRAY_TASK_ID/8'
  npx zkllm report gpu.shard-*-of-8.results.jsonl --out reports/gpu.html
Examples of sweep files: sweeps/cpu.json, sweeps/gpu.json.`;

export async function sweepCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { out: { type: 'string' }, shard: { type: 'string' }, limit: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(SWEEP_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`zkllm sweep: give one sweep file\n${SWEEP_HELP}`);
    return 2;
  }
  const file = positionals[0];
  let spec;
  try {
    spec = checkSweepSpec(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    console.error(`zkllm sweep: ${file}: ${(e as Error).message}`);
    return 2;
  }
  const shard = values.shard ? parseShard(values.shard) : undefined;
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) throw new Error(`--limit must be a non-negative integer, got '${values.limit}'`);
  const name = spec.name ?? path.basename(file, '.json');
  const out = values.out ?? `${name}${shard ? `.shard-${shard.index}-of-${shard.count}` : ''}.results.jsonl`;
  const command = ['npx zkllm sweep', file, '--out', out, ...(shard ? ['--shard', `${shard.index}/${shard.count}`] : [])].join(' ');
  const s = await runSweep(spec, {
    out,
    shard,
    limit,
    command,
    quiet: values.quiet,
    onProblem: (p) => console.error(`zkllm sweep: ${p.file}:${p.line}: skipped (${p.message})`),
  });
  console.log(
    `zkllm sweep: ${s.ran} point(s) run, ${s.skipped} already done, ${s.points} in ${shard ? `shard ${shard.index}/${shard.count}` : 'the sweep'}${s.failed ? `, ${s.failed} FAILED` : ''} (${formatDuration(s.ms)}); results in ${out}`,
  );
  return s.failed ? 1 : 0;
}
