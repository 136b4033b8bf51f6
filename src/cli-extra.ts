// Subcommands that live in files of their own (each `(argv) => Promise<number>`, the exit code),
// dispatched from cli.ts by one line: bench, sweep, report, start.
import { sweepCommand } from './cli-sweep';
import { reportCommand } from './cli-report';
import { startCommand } from './cli-start';
import { BENCH_SUMMARY, runBench } from './cli-bench';

const EXTRA: Record<string, (argv: string[]) => Promise<number>> = {
  bench: runBench,
  sweep: sweepCommand,
  report: reportCommand,
  start: startCommand,
};

/** One line each for `zkllm --help` (each command's own --help has the details). */
export const EXTRA_SUMMARIES: Readonly<Record<string, string>> = {
  bench: BENCH_SUMMARY,
  sweep: 'run a resumable parameter sweep (JSON lines, --shard i/N)',
  report: 'build the self-contained HTML report from results files',
  start: 'the main job: a default sweep sized for this machine and its report',
};

/** The command `name` when it is one of these, else undefined. */
export function extraCommand(name: string): ((argv: string[]) => Promise<number>) | undefined {
  return Object.prototype.hasOwnProperty.call(EXTRA, name) ? EXTRA[name] : undefined;
}
