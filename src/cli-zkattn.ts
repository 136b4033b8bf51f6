// `zkllm zkattn`: proves a model's attention under a quantization configuration (src/zkattn/).
// Exit codes: 0 every proof verified, 1 a runtime failure, a proof that did not verify, a lookup
// count or proven output that disagrees, 2 a usage error (found before any work), 130 interrupted.
import * as fs from 'node:fs';
import { defineCommand, EXIT, UsageError, CliError } from './cli-args';
import { checkOutputPath, writeAtomically } from './cli-acc';
import { BACKEND_NAMES, environmentProblems, parseByteSize } from './environment';
import { EXTRA_SUMMARIES } from './cli-extra';
import { CORPUS_FORMATS } from '../acc/corpus-files';
import { BOS_POLICIES } from '../acc/eval-data';
import type { ZkattnProgress, ZkattnResult } from './zkattn/run-zkattn';
import { ZKATTN_WINDOWING, type ZkattnSpec } from './zkattn/zkattn-spec';

function bytes(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = parseByteSize(text);
  if (v === undefined || v < 1) throw new UsageError(`${flag} must be a size in bytes (e.g. 1073741824 or 8GiB), got '${text}'`, 'zkattn');
  return v;
}

function progressPrinter(): (p: ZkattnProgress) => void {
  const t0 = performance.now();
  return (p) => {
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    const what = p.stage === 'forward' ? 'the forward with the chosen layers captured' : `${p.stage === 'prove' ? 'proving' : 'verifying'} ${p.proof}/${p.of} (layer ${p.layer}, heads ${p.heads?.join(',')})`;
    process.stderr.write(`zkattn: ${what} (${s} s)\n`);
  };
}

export const zkattnCommand = defineCommand({
  name: 'zkattn',
  summary: EXTRA_SUMMARIES.zkattn,
  usage: '--model <llama2-7b|llama2-13b|shape.json|dir> [options]\n       zkllm zkattn --markdown <results.json>...',
  options: {
    model: { type: 'string', valueName: 'llama2-7b|llama2-13b|shape.json|dir', help: 'a shape (LLaMa-2 by name, or a JSON file {"layers", "heads", "headDim"}: Q, K, V drawn at the configuration\'s scales) or a Hugging Face LLaMA folder (Q, K, V from its fixed-point forward on --data)' },
    config: { type: 'string', valueName: 'preset|json|file', default: 'anchor-attn', help: 'the quantization configuration: a preset, a JSON object ({"preset": "zk-12", "valueBits": 10}) or a JSON file; its softmax must be zkattn' },
    layers: { type: 'string', valueName: 'list', help: 'layers to prove, e.g. 0,2-3 or all (default 0)' },
    heads: { type: 'string', valueName: 'list', help: 'heads of each chosen layer, e.g. 0-7 or all (default 0)' },
    'seq-len': { type: 'integer', min: 1, help: 'query and key rows (default 2048, the anchor\'s README; a model folder: at least 2)' },
    full: { type: 'boolean', help: 'every head of every layer, several heads per proof (no extrapolation)' },
    'heads-per-proof': { type: 'integer', min: 1, help: 'at most this many heads per proof (default: as many as fit the memory and the device budget)' },
    commit: { type: 'boolean', help: 'commit to Q, K, V and every witness tensor, and open every claim (needs --gen-dim)' },
    'gen-dim': { type: 'integer', min: 1, help: 'row length of the commitments, a power of two up to 2^20' },
    backend: { type: 'string', choices: BACKEND_NAMES, help: 'where to prove (default: ZKLLM_BACKEND, else auto)' },
    'device-budget': { type: 'string', valueName: 'bytes', help: 'CUDA: the most device memory a proof may take (e.g. 64GiB); also caps the heads per proof' },
    'memory-limit': { type: 'string', valueName: 'bytes', help: 'the most host memory the proofs may use (also ZKLLM_MEMORY_LIMIT)' },
    seed: { type: 'integer', min: 0, help: 'shapes: seed of the drawn Q, K, V; proof i uses seed + i (default 0)' },
    data: { type: 'string', valueName: 'heldout|file', help: 'model folders: the corpus, as zkllm acc --data (default heldout)' },
    format: { type: 'string', choices: [...CORPUS_FORMATS, 'c4'], help: 'model folders: how to read --data (default: guessed)' },
    'text-field': { type: 'string', valueName: 'name', help: 'model folders, JSON lines: the text field (default text)' },
    documents: { type: 'integer', min: 1, help: 'model folders: read only the first N documents' },
    bos: { type: 'string', choices: BOS_POLICIES, help: 'model folders: where BOS goes (as zkllm acc)' },
    joiner: { type: 'string', valueName: 'text', help: String.raw`model folders: joins documents for --bos once|window; \n and \t understood` },
    windowing: { type: 'string', choices: ZKATTN_WINDOWING, help: 'model folders: how the corpus is cut into windows of --seq-len (default chunks)' },
    stride: { type: 'integer', min: 1, help: 'model folders, --windowing sliding: tokens between window starts' },
    window: { type: 'integer', min: 0, help: 'model folders: which window to prove (default 0, the first)' },
    'git-commit': { type: 'string', valueName: 'sha', help: 'the commit to record where the code has no git checkout' },
    out: { type: 'string', valueName: 'file', help: 'also write the JSON result to this file (checked before any work)' },
    json: { type: 'boolean', help: 'print the result (and errors) as JSON' },
    markdown: { type: 'boolean', help: 'render the zkAttn section of BENCHMARKS.md from saved --json results (the files given)' },
    quiet: { type: 'boolean', help: 'no progress lines on stderr' },
  },
  positionals: { name: 'results.json', max: 1000, help: 'with --markdown only: saved zkllm zkattn --json results' },
  details: [
    'Without --full, the chosen layers and heads are a sample: the whole layer and model are extrapolated',
    'linearly from the per-head figures (the result says so: extrapolated, sample size). The configuration\'s',
    'tlookups per zkAttn (acc/tlookup-accounting.ts) must equal the lookups the prover ran, and for a model',
    'folder the proven attention output must equal the forward\'s: either disagreeing is exit code 1.',
    'Beside the result: the anchor\'s README formula on its own H200 timers (src/zkattn/anchor-formula.ts).',
    'Example (CPU, seconds): zkllm zkattn --model data/models/standin --config zk-12-clamp --seq-len 16 --heads 0,1',
  ].join('\n'),
  async run({ values: v, positionals, given }, ctx) {
    if (v.markdown) {
      const others = [...given].filter((f) => f !== 'markdown' && f !== 'json');
      if (others.length) throw new UsageError(`--markdown takes only result files, not --${others[0]}`, 'zkattn');
      if (!positionals.length) throw new UsageError('--markdown needs at least one results file (saved zkllm zkattn --json output)', 'zkattn');
      const { readZkattnResults, renderZkattnMarkdown } = await import('./zkattn/format-zkattn');
      const results = positionals.flatMap((f) => {
        if (!fs.existsSync(f)) throw new UsageError(`--markdown: no such file '${f}'`, 'zkattn');
        try {
          return readZkattnResults(fs.readFileSync(f, 'utf8'), f);
        } catch (e) {
          throw new UsageError(`--markdown: ${(e as Error).message}`, 'zkattn');
        }
      });
      process.stdout.write(renderZkattnMarkdown(results, positionals));
      return EXIT.ok;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}': result files go with --markdown only`, 'zkattn');
    if (v.model === undefined) throw new UsageError('--model <llama2-7b|llama2-13b|shape.json|dir> is required', 'zkattn');
    const out = v.out !== undefined ? checkOutputPath(v.out) : undefined;
    const spec: ZkattnSpec = {
      model: v.model,
      config: v.config,
      layers: v.layers,
      heads: v.heads,
      seqLen: v['seq-len'],
      full: v.full,
      headsPerProof: v['heads-per-proof'],
      commit: v.commit,
      genDim: v['gen-dim'],
      backend: v.backend as ZkattnSpec['backend'],
      deviceBudget: bytes('--device-budget', v['device-budget']),
      memoryLimit: bytes('--memory-limit', v['memory-limit']),
      seed: v.seed,
      data: v.data,
      format: v.format as ZkattnSpec['format'],
      textField: v['text-field'],
      documents: v.documents,
      bos: v.bos as ZkattnSpec['bos'],
      // \n and \t as escapes, as zkllm acc takes them.
      joiner: v.joiner?.replace(/\\(n|t|\\)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\')),
      windowing: v.windowing as ZkattnSpec['windowing'],
      stride: v.stride,
      window: v.window,
      gitCommit: v['git-commit'],
    };
    for (const k of Object.keys(spec) as (keyof ZkattnSpec)[]) if (spec[k] === undefined) delete spec[k];
    const { zkattn } = await import('./zkattn/run-zkattn');
    const { formatZkattnResult } = await import('./zkattn/format-zkattn');
    // Ctrl-C: stop after the proof in progress and print what was measured; a second one quits.
    const stop = new AbortController();
    const onSigint = () => {
      if (stop.signal.aborted) process.exit(130);
      stop.abort();
      process.stderr.write('zkllm zkattn: interrupted; stopping after the proof in progress (Ctrl-C again to quit now)\n');
    };
    process.on('SIGINT', onSigint);
    let r: ZkattnResult;
    try {
      r = await zkattn(spec, { signal: stop.signal, onProgress: v.quiet ? undefined : progressPrinter() });
    } finally {
      process.off('SIGINT', onSigint);
    }
    const text = JSON.stringify(r, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2);
    console.log(ctx.json ? text : formatZkattnResult(r));
    if (out) {
      try {
        writeAtomically(out, text + '\n');
      } catch (e) {
        throw new CliError(`--out ${v.out}: the result could not be written (${(e as Error).message})`);
      }
    }
    if (r.interrupted) return 130;
    return r.verify.allValid ? EXIT.ok : EXIT.failure;
  },
});

/** Runs `zkllm zkattn` with the arguments after 'zkattn'; resolves to the exit code, never throws. */
export async function runZkattn(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    const problems = environmentProblems();
    if (problems.length && !argv.includes('--help') && !argv.includes('-h')) throw new UsageError(problems.join('; '), 'zkattn');
    return await zkattnCommand.invoke(argv, { json });
  } catch (e) {
    const c = (e as { exitCode?: unknown })?.exitCode;
    const code = typeof c === 'number' ? c : (e as { code?: unknown })?.code === 'ZKLLM_ENV' ? EXIT.usage : EXIT.failure;
    const message = `zkllm zkattn: ${((e as Error)?.message ?? String(e)).replace(/^zkattn: /, '')}`;
    if (json) process.stdout.write(JSON.stringify({ error: message, exitCode: code }) + '\n');
    else process.stderr.write(`${message}\n`);
    return code;
  }
}
