// Subcommands that live in files of their own (each `(argv) => Promise<number>`, the exit code):
// bench, zkattn, sweep, report, start. Each module is loaded only when its command runs, so `zkllm bench`
// on a GPU machine never loads the report libraries (danfo, plotly, progress bars).
type Run = (argv: string[]) => Promise<number>;

const EXTRA: Record<string, () => Run> = {
  bench: () => (require('./cli-bench') as typeof import('./cli-bench')).runBench,
  zkattn: () => (require('./cli-zkattn') as typeof import('./cli-zkattn')).runZkattn,
  sweep: () => (require('./cli-sweep') as typeof import('./cli-sweep')).sweepCommand,
  report: () => (require('./cli-report') as typeof import('./cli-report')).reportCommand,
  start: () => (require('./cli-start') as typeof import('./cli-start')).startCommand,
};

/** One line each for `zkllm --help` (each command's own --help has the details). */
export const EXTRA_SUMMARIES: Readonly<Record<string, string>> = {
  bench: "the anchor's benchmarks (tlookup, hadamard, matmul, com) as complete verified proofs, with phases, roofline and the anchor's figures",
  zkattn: "prove a model's attention (zkAttn) under a quantization config: per phase, head, layer and model, beside the anchor's formula",
  sweep: 'run a resumable parameter sweep (JSON lines, --shard i/N)',
  report: 'build the self-contained HTML report from results files',
  start: 'the main job: a default sweep sized for this machine and its report',
};

/** The command `name` when it is one of these, else undefined. */
export function extraCommand(name: string): Run | undefined {
  return Object.prototype.hasOwnProperty.call(EXTRA, name) ? EXTRA[name]() : undefined;
}
