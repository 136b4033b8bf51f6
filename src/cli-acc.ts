// `zkllm acc`: the accuracy experiment from the command line (acc/experiment.ts). Everything that
// can be checked is checked before the experiment starts: flags, --out, the configurations against
// the model, the model's tensors against its config.json, and the memory it needs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExperimentProgress, ExperimentResult } from '../acc/experiment';
import { WINDOWING_MODES } from '../acc/windowing';
import { BOS_POLICIES } from '../acc/eval-data';
import { CORPUS_FORMATS } from '../acc/corpus-files';
import { defineCommand, EXIT, UsageError, CliError } from './cli-args';
import { BACKEND_NAMES } from './environment';

function progressPrinter(): (p: ExperimentProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastWindow = -1;
  return (p) => {
    const s = (p.elapsedMs / 1000).toFixed(1);
    if (tty) {
      const width = 24;
      const filled = Math.round((width * p.window) / p.windows);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] window ${Math.min(p.window + 1, p.windows)}/${p.windows} ${p.stage.padEnd(14)} ${s} s  `);
      if (p.stage === 'done') process.stderr.write('\n');
    } else if (p.window !== lastWindow) {
      lastWindow = p.window;
      process.stderr.write(p.stage === 'done' ? `acc: done in ${s} s\n` : `acc: window ${p.window + 1}/${p.windows} (${s} s)\n`);
    }
  };
}

/**
 * Checks that `out` can be written, before the experiment: the folder exists and a file can be
 * created in it (a probe file, removed at once), and `out` is not a folder or a read-only file.
 */
export function checkOutputPath(out: string, flag = '--out'): string {
  if (out.trim() === '') throw new UsageError(`${flag} needs a file name, got an empty string`);
  const file = path.resolve(out);
  const dir = path.dirname(file);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new UsageError(`${flag} ${out}: the folder ${dir} does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`${flag} ${out}: ${dir} is not a folder`);
  if (fs.existsSync(file)) {
    if (fs.statSync(file).isDirectory()) throw new UsageError(`${flag} ${out} is a folder; give a file name`);
    try {
      fs.accessSync(file, fs.constants.W_OK);
    } catch {
      throw new UsageError(`${flag} ${out}: the file exists and cannot be written`);
    }
  }
  const probe = path.join(dir, `.${path.basename(file)}.${process.pid}.probe`);
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
    fs.unlinkSync(probe);
  } catch (e) {
    throw new UsageError(`${flag} ${out}: cannot create a file in ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return file;
}

/** Writes through a temporary file in the same folder, so a failed write leaves no half file. */
export function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

const BACKENDS = BACKEND_NAMES;

export const accCommand = defineCommand({
  name: 'acc',
  summary: 'float vs fixed-point perplexity of a LLaMA checkpoint, with tlookup counts and costs per quantization configuration',
  usage: '--model <dir> --seq-len N --samples N [options]',
  options: {
    model: { type: 'string', valueName: 'dir', required: true, help: 'Hugging Face LLaMA folder: config.json, model.safetensors (or shards), tokenizer.json (the stand-in: data/models/standin)' },
    'seq-len': { type: 'integer', min: 2, required: true, help: 'tokens per window' },
    samples: { type: 'integer', min: 1, required: true, help: 'windows (at most this many; --windowing random: exactly)' },
    data: { type: 'string', valueName: 'heldout|file', default: 'heldout', help: 'the shipped held-out split, a C4 shard (c4-*.json.gz), or a .txt .jsonl[.gz] .u16 .u32 .tokens.json file' },
    format: { type: 'string', choices: [...CORPUS_FORMATS, 'c4'], help: "how to read --data (default: guessed from the file)" },
    'text-field': { type: 'string', valueName: 'name', help: 'JSON lines: the field holding the text (default text)' },
    documents: { type: 'integer', min: 1, help: 'read only the first N documents (C4 default 1100)' },
    bos: { type: 'string', choices: BOS_POLICIES, help: 'where BOS goes (default: by data format, acc/README.md)' },
    joiner: { type: 'string', valueName: 'text', help: String.raw`joins documents for --bos once|window; \n and \t are understood (default " ")` },
    windowing: { type: 'string', choices: WINDOWING_MODES, default: 'chunks', help: 'how the token stream is cut into windows' },
    stride: { type: 'integer', min: 1, help: '--windowing sliding: tokens between window starts (required there, 1 <= S < seq-len)' },
    seed: { type: 'integer', min: 0, help: '--windowing random: the seed of the window starts (default 0)' },
    config: { type: 'string', valueName: 'presets|sweep|json|file', default: 'anchor-attn', help: 'comma-separated presets, sweep, a JSON object ({"preset": "zk-12", "valueBits": 10}) or a JSON file' },
    'max-dppl': { type: 'number', min: 0, help: 'the frontier\'s perplexity budget (default 0.1)' },
    'cost-model': { type: 'string', valueName: 'json', help: 'tlookup prices, e.g. {"perEntry": 3.1e-9, "perTableRow": 2.4e-9, "unit": "s"}' },
    backend: { type: 'string', choices: BACKENDS, help: "where the forwards run (default: ZKLLM_BACKEND, else auto)" },
    out: { type: 'string', valueName: 'file', help: 'also write the JSON result to this file (checked before the experiment starts)' },
    json: { type: 'boolean', help: 'print the result (and errors) as JSON' },
    quiet: { type: 'boolean', help: 'no progress lines on stderr' },
  },
  details: [
    'Every configuration is resolved and checked against the model, the model\'s tensors against its',
    'config.json (none missing, none left over), --out and the memory needed, before the first forward.',
    'Exit code 1 when any configuration failed (its row says why); the others are still reported.',
    'Details and data formats: acc/README.md.',
  ].join('\n'),
  async run({ values: v, given }, ctx) {
    // Flags that only make sense together.
    if (v.windowing === 'sliding' && v.stride === undefined) throw new UsageError('--stride is required with --windowing sliding', 'acc');
    if (v.windowing !== 'sliding' && given.has('stride')) throw new UsageError('--stride applies to --windowing sliding only', 'acc');
    if (v.windowing !== 'random' && given.has('seed')) throw new UsageError('--seed applies to --windowing random only', 'acc');
    if (v.stride !== undefined && v.stride >= v['seq-len']!) throw new UsageError(`--stride must be below --seq-len (${v['seq-len']}), got ${v.stride}`, 'acc');
    const out = v.out !== undefined ? checkOutputPath(v.out) : undefined;

    const { runAccuracyExperiment, formatExperiment, expandConfigs, validateConfigs } = await import('../acc/experiment');
    const { parseCostModel } = await import('../acc/tlookup-cost');
    const { parseLlamaConfig } = await import('../acc/llama-config');
    let costModel;
    try {
      costModel = v['cost-model'] === undefined ? undefined : parseCostModel(v['cost-model']);
    } catch (e) {
      throw new UsageError(`--cost-model: ${(e as Error).message}`, 'acc');
    }
    let configs: ReturnType<typeof expandConfigs>;
    try {
      configs = expandConfigs([v.config!]);
    } catch (e) {
      throw new UsageError(`--config: ${(e as Error).message}`, 'acc');
    }
    const modelDir = v.model!;
    if (!fs.existsSync(modelDir)) throw new UsageError(`--model ${modelDir}: no such folder`, 'acc');
    if (!fs.statSync(modelDir).isDirectory()) throw new UsageError(`--model ${modelDir} is not a folder`, 'acc');
    const configFile = path.join(modelDir, 'config.json');
    if (!fs.existsSync(configFile)) throw new UsageError(`--model ${modelDir}: no config.json (a Hugging Face LLaMA folder is needed)`, 'acc');
    let modelConfig;
    try {
      modelConfig = parseLlamaConfig(JSON.parse(fs.readFileSync(configFile, 'utf8')));
    } catch (e) {
      throw new CliError(`${configFile}: ${(e as Error).message}`);
    }
    const forwardLen = v.windowing === 'chunks-plus-one' ? v['seq-len']! + 1 : v['seq-len']!;
    if (forwardLen > modelConfig.maxPositionEmbeddings)
      throw new UsageError(`--seq-len: windows of ${forwardLen} tokens exceed the model's max_position_embeddings ${modelConfig.maxPositionEmbeddings}`, 'acc');
    try {
      validateConfigs(configs, modelConfig);
    } catch (e) {
      throw new UsageError(`--config: ${(e as Error).message}`, 'acc');
    }
    if (v.data !== 'heldout' && !fs.existsSync(v.data!)) throw new UsageError(`--data ${v.data}: no such file`, 'acc');

    const result: ExperimentResult = await runAccuracyExperiment({
      modelDir,
      data: v.data,
      format: v.format as never,
      textField: v['text-field'],
      documents: v.documents,
      bos: v.bos as never,
      // \n and \t as escapes, so a shell user can give a blank line.
      joiner: v.joiner?.replace(/\\(n|t|\\)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\')),
      windowing: v.windowing as never,
      stride: v.stride,
      seed: v.windowing === 'random' ? (v.seed ?? 0) : undefined,
      seqLen: v['seq-len']!,
      samples: v.samples!,
      configs: [v.config!],
      maxDeltaPpl: v['max-dppl'],
      costModel,
      backend: v.backend as never,
      onProgress: v.quiet ? undefined : progressPrinter(),
    });
    const text = JSON.stringify(result, null, 2);
    console.log(ctx.json ? text : formatExperiment(result));
    if (out) {
      try {
        writeAtomically(out, text + '\n');
      } catch (e) {
        throw new CliError(`--out ${v.out}: the result could not be written (${(e as Error).message})${ctx.json ? '' : '; rerun with --json to print it'}`);
      }
    }
    const failed = result.configs.filter((c) => c.error !== undefined);
    if (failed.length > 0) {
      const list = failed.map((c) => `${c.config.name} (${c.error})`).join('; ');
      const msg = `${failed.length} of ${result.configs.length} configuration${result.configs.length > 1 ? 's' : ''} failed: ${list}`;
      if (!ctx.json) process.stderr.write(`zkllm acc: ${msg}\n`);
      return EXIT.failure;
    }
    return EXIT.ok;
  },
});
