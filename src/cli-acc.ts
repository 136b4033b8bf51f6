// `zkllm acc`: the accuracy experiment from the command line (acc/experiment.ts).
import * as fs from 'node:fs';
import type { ExperimentProgress } from '../acc/experiment';
import type { Backend } from './backend';

export const ACC_HELP =
  'float vs fixed-point perplexity and tlookup counts and costs  --model <dir> --seq-len N --samples N ' +
  '[--data heldout|<c4-*.json.gz>|<file .txt .jsonl[.gz] .u16 .u32 .tokens.json>] [--format lines|paragraphs|jsonl|tokens-u16|tokens-u32|tokens-json|c4] ' +
  '[--text-field text] [--documents N] [--bos document|once|window|none] [--joiner " "] ' +
  '[--windowing chunks|chunks-plus-one|sliding|random] [--stride N] [--seed N] ' +
  '[--config <preset,...|sweep|json|file>] [--max-dppl 0.1] [--cost-model <json>] [--backend cpu|cuda|auto] [--json] [--out file]';

function intFlag(flags: Map<string, string | true>, name: string, fallback?: number): number {
  const v = flags.get(name);
  if (v === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required`);
    return fallback;
  }
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${String(v)}'`);
  return n;
}

function nonNegativeIntFlag(flags: Map<string, string | true>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${String(v)}'`);
  return n;
}

function stringFlag(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  if (v === true) throw new Error(`--${name} needs a value`);
  return v;
}

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

export async function cmdAcc(flags: Map<string, string | true>): Promise<void> {
  const model = stringFlag(flags, 'model');
  if (!model) throw new Error('--model <dir> is required (the stand-in is data/models/standin)');
  const backend = stringFlag(flags, 'backend') ?? 'auto';
  if (!['auto', 'cpu', 'cuda'].includes(backend)) throw new Error(`--backend must be auto, cpu or cuda, got '${backend}'`);
  // Loaded on use, so other commands do not load the tokenizer and model code.
  const { runAccuracyExperiment, formatExperiment } = await import('../acc/experiment');
  const { WINDOWING_MODES } = await import('../acc/windowing');
  const { BOS_POLICIES } = await import('../acc/eval-data');
  const { CORPUS_FORMATS } = await import('../acc/corpus-files');
  const { parseCostModel } = await import('../acc/tlookup-cost');
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const v = stringFlag(flags, name);
    if (v !== undefined && !allowed.includes(v as T)) throw new Error(`--${name} must be one of ${allowed.join(', ')}, got '${v}'`);
    return v as T | undefined;
  };
  const windowing = oneOf('windowing', WINDOWING_MODES) ?? 'chunks';
  const stride = windowing === 'sliding' ? intFlag(flags, 'stride') : undefined;
  const seed = windowing === 'random' ? (nonNegativeIntFlag(flags, 'seed') ?? 0) : undefined;
  if (windowing !== 'sliding' && flags.has('stride')) throw new Error('--stride applies to --windowing sliding');
  if (windowing !== 'random' && flags.has('seed')) throw new Error('--seed applies to --windowing random');
  const maxDppl = stringFlag(flags, 'max-dppl');
  if (maxDppl !== undefined && !(Number(maxDppl) >= 0)) throw new Error(`--max-dppl must be a number >= 0, got '${maxDppl}'`);
  const costModel = stringFlag(flags, 'cost-model');
  const result = await runAccuracyExperiment({
    modelDir: model,
    data: stringFlag(flags, 'data') ?? 'heldout',
    format: oneOf('format', [...CORPUS_FORMATS, 'c4' as const]),
    textField: stringFlag(flags, 'text-field'),
    documents: flags.has('documents') ? intFlag(flags, 'documents') : undefined,
    bos: oneOf('bos', BOS_POLICIES),
    // \n and \t as escapes, so a shell user can give a blank line.
    joiner: stringFlag(flags, 'joiner')?.replace(/\\(n|t|\\)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\')),
    windowing,
    stride,
    seed,
    seqLen: intFlag(flags, 'seq-len'),
    samples: intFlag(flags, 'samples'),
    configs: [stringFlag(flags, 'config') ?? 'anchor-attn'],
    maxDeltaPpl: maxDppl === undefined ? undefined : Number(maxDppl),
    costModel: costModel === undefined ? undefined : parseCostModel(costModel),
    backend: backend as Backend,
    onProgress: flags.has('quiet') ? undefined : progressPrinter(),
  });
  const out = stringFlag(flags, 'out');
  if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(flags.has('json') ? JSON.stringify(result, null, 2) : formatExperiment(result));
}
