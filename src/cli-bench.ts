// zkllm bench <tlookup|hadamard|matmul|com>: the anchor's benchmark programs, with their
// arguments, run as complete verified kit proofs (src/benchmark/). Exit codes: 0 verified, 1 a
// runtime failure or a proof that did not verify, 2 a usage error (found before any work),
// 130 interrupted (Ctrl-C: the proof in progress finishes, what was measured is printed).
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { bench, BenchProgress, BenchResult } from './benchmark/run-bench';
import { BENCH_OPS, BenchOp, BenchSpec, OP_SIZES, flagOf } from './benchmark/bench-params';
import { parseByteSize } from './benchmark/host-memory';
import { formatBenchResult, formatMs } from './benchmark/format-table';
import { readBenchResults, renderBenchmarksMarkdown } from './benchmark/markdown';
import { isBackendName } from './environment';
import { EXTRA_SUMMARIES } from './cli-extra';

/** One line for `zkllm --help` (kept in cli-extra.ts, which lists the command without loading it). */
export const BENCH_SUMMARY = EXTRA_SUMMARIES.bench;

export const BENCH_HELP = `usage: zkllm bench <op> [sizes] [options]
       zkllm bench --markdown <results.json>...

${BENCH_SUMMARY}.

ops and their sizes (the anchor programs' arguments):
  tlookup   --num N --dim D --low L --len T     N instances of D values in the table [L, L+T), T a power of two
  hadamard  --num N --dim D                     N instances of a∘b over D elements
  matmul    --num N --dim0 I --dim1 J --dim2 K  N instances of (I×J)·(J×K)
  com       --num N --dim D --gen-dim W         a batched opening of N committed tensors of D, rows of W (W divides D)
sizes take decimals or 2^k.

options:
  --seed S             seed of the random witness (default 0)
  --backend B          auto, cpu or cuda (default auto)
  --repeat R           proofs to run (default 1); with more, the first is a warm-up left out of the medians
  --commit             commit to the witness and open every claim (needs --gen-dim; always on for com)
  --gen-dim W          row length of the commitments, a power of two up to 2^20
  --device-budget B    CUDA: the most device memory the prover's tensors may take (bytes, or 8GiB)
  --memory-limit B     the most host memory the benchmark may use (also ZKLLM_MEMORY_LIMIT)
  --git-commit SHA     the commit to record where the code has no git checkout
  --json               one JSON object on stdout (errors too: {"error", "exitCode"})
  --progress           show progress on stderr even when it is not a terminal
  --markdown           render BENCHMARKS.md on stdout from saved --json results (the files given)
  -h, --help           this help

Each result holds every prover phase; the anchor-comparable figure (the phases that do what the
anchor's timer holds) beside the anchor's own figure when the arguments are the anchor's; the
complete figure (after the inputs are resident, up to a finished proof, commitments apart); the
commitments; verify time and result; proof size; device; git commit; and the roofline (bytes and
Fr products against this machine's calibrate ceilings). Ctrl-C stops after the proof in progress
and prints what was measured (exit code 130).
exit codes: 0 verified, 1 failure or not verified, 2 usage error, 130 interrupted`;

const OPTIONS = {
  num: { type: 'string' },
  dim: { type: 'string' },
  low: { type: 'string' },
  len: { type: 'string' },
  dim0: { type: 'string' },
  dim1: { type: 'string' },
  dim2: { type: 'string' },
  'gen-dim': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  repeat: { type: 'string' },
  commit: { type: 'boolean' },
  'device-budget': { type: 'string' },
  'memory-limit': { type: 'string' },
  'git-commit': { type: 'string' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  markdown: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {
  readonly exitCode = 2;
}

/** "4194304", "2^22" → the integer, or a usage error naming the flag. */
function integer(flag: string, text: string): number {
  const m = /^2\^(\d+)$/.exec(text.trim());
  const v = m ? 2 ** Number(m[1]) : /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v)) throw new UsageError(`--${flag} must be an integer (decimal or 2^k), got '${text}'`);
  return v;
}

function bytes(flag: string, text: string): number {
  const v = parseByteSize(text);
  if (v === undefined) throw new UsageError(`--${flag} must be a size in bytes (e.g. 1073741824 or 8GiB), got '${text}'`);
  return v;
}

/** `--low -5` as `--low=-5`: parseArgs would take a value that starts with a dash for a flag. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    const o = (OPTIONS as Record<string, { type: string }>)[name];
    if (o?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

function specOf(argv: string[]): { spec?: BenchSpec; markdown?: string[]; help?: true; progress: boolean } {
  const { values, positionals, tokens } = parseArgs({ args: joinNegativeValues(argv), options: OPTIONS, strict: true, allowPositionals: true, tokens: true });
  const seen = new Set<string>();
  for (const t of tokens ?? [])
    if (t.kind === 'option') {
      if (seen.has(t.name)) throw new UsageError(`--${t.name} is given twice`);
      seen.add(t.name);
    }
  const progress = values.progress === true;
  if (values.help) return { help: true, progress };
  if (values.markdown) {
    const others = [...seen].filter((f) => f !== 'markdown' && f !== 'json');
    if (others.length) throw new UsageError(`--markdown takes only result files, not --${others[0]}`);
    if (!positionals.length) throw new UsageError('--markdown needs at least one results file (saved zkllm bench --json output)');
    return { markdown: positionals, progress };
  }
  if (!positionals.length) throw new UsageError(`an op is required: zkllm bench <${BENCH_OPS.join('|')}> (see zkllm bench --help)`);
  if (positionals.length > 1) throw new UsageError(`one op at a time, got '${positionals.join(' ')}' (sizes are flags: ${OP_SIZES.tlookup.map(flagOf).join(' ')} ...)`);
  const op = positionals[0] as BenchOp;
  if (!BENCH_OPS.includes(op)) throw new UsageError(`unknown op '${positionals[0]}' (expected ${BENCH_OPS.join(', ')})`);
  const spec: BenchSpec = { op, num: NaN };
  const ints = ['num', 'dim', 'low', 'len', 'dim0', 'dim1', 'dim2', 'gen-dim', 'seed', 'repeat'] as const;
  for (const f of ints) {
    const v = values[f];
    if (v !== undefined) (spec as unknown as Record<string, number>)[f === 'gen-dim' ? 'genDim' : f] = integer(f, v);
  }
  if (values.num === undefined) throw new UsageError(`--num is required for ${op} (it takes ${OP_SIZES[op].map(flagOf).join(' ')})`);
  if (values.backend !== undefined) {
    if (!isBackendName(values.backend)) throw new UsageError(`--backend must be auto, cpu or cuda, got '${values.backend}'`);
    spec.backend = values.backend as BenchSpec['backend'];
  }
  if (values.commit) spec.commit = true;
  if (values['device-budget'] !== undefined) spec.deviceBudget = bytes('device-budget', values['device-budget']);
  if (values['memory-limit'] !== undefined) spec.memoryLimit = bytes('memory-limit', values['memory-limit']);
  if (values['git-commit'] !== undefined) spec.gitCommit = values['git-commit'];
  return { spec, progress };
}

/** Progress on stderr: one rewritten line on a terminal, plain lines otherwise (--progress). */
function progressWriter(op: string, tty: boolean): (p: BenchProgress) => void {
  return (p) => {
    const last = p.lastMs !== undefined ? ` (last ${formatMs(p.lastMs)})` : '';
    const text =
      p.stage === 'calibrate' ? `bench ${op}: calibrating the roofline ceilings` : p.stage === 'prove' ? `bench ${op}: repeat ${p.repeat}/${p.of} proving${last}` : `bench ${op}: verifying${last}`;
    process.stderr.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
  };
}

function exitCodeOf(e: unknown): number {
  const c = (e as { exitCode?: unknown })?.exitCode;
  if (typeof c === 'number') return c;
  return typeof (e as { code?: unknown })?.code === 'string' && String((e as { code: string }).code).startsWith('ERR_PARSE_ARGS') ? 2 : 1;
}

/** Runs `zkllm bench` with the arguments after 'bench'; resolves to the exit code, never throws. */
export async function runBench(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const tty = process.stderr.isTTY === true;
  let onSigint: (() => void) | undefined;
  try {
    const parsed = specOf(argv);
    if (parsed.help) {
      process.stdout.write(BENCH_HELP + '\n');
      return 0;
    }
    if (parsed.markdown) {
      const results = parsed.markdown.flatMap((f) => {
        if (!fs.existsSync(f)) throw new UsageError(`--markdown: no such file '${f}'`);
        return readBenchResults(fs.readFileSync(f, 'utf8'), f);
      });
      process.stdout.write(renderBenchmarksMarkdown(results, parsed.markdown));
      return 0;
    }
    const spec = parsed.spec as BenchSpec;
    // Ctrl-C: stop after the proof in progress (a native call cannot be cut short) and print what
    // was measured; a second Ctrl-C exits at once.
    const stop = new AbortController();
    onSigint = () => {
      if (stop.signal.aborted) process.exit(130);
      stop.abort();
      process.stderr.write(`${tty ? '\n' : ''}zkllm bench: interrupted; stopping after the proof in progress (Ctrl-C again to quit now)\n`);
    };
    process.on('SIGINT', onSigint);
    const show = tty || parsed.progress;
    const r: BenchResult = await bench(spec, { signal: stop.signal, onProgress: show ? progressWriter(spec.op, tty) : undefined });
    if (show && tty) process.stderr.write('\r\x1b[2K');
    process.stdout.write((json ? JSON.stringify(r, null, 2) : formatBenchResult(r)) + '\n');
    if (r.interrupted) return 130;
    return r.verify?.valid ? 0 : 1;
  } catch (e) {
    const code = exitCodeOf(e);
    const message = `zkllm bench: ${((e as Error)?.message ?? String(e)).replace(/^bench: /, '')}`;
    if (json) process.stdout.write(JSON.stringify({ error: message, exitCode: code }) + '\n');
    else process.stderr.write(`${message}${code === 2 ? '\n(zkllm bench --help for the options)' : ''}\n`);
    return code;
  } finally {
    if (onSigint) process.off('SIGINT', onSigint);
  }
}
