// `zkllm acc`: the accuracy experiment from the command line (acc/experiment.ts).
import * as fs from 'node:fs';
import type { ExperimentProgress } from '../acc/experiment';
import type { Backend } from './backend';

export const ACC_HELP =
  'float vs fixed-point perplexity and tlookup counts  --model <dir> [--data heldout|<c4.json.gz>] --seq-len N --samples N [--config <preset,...|sweep|json|file>] [--backend cpu|cuda|auto] [--json] [--out file]';

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
  const result = await runAccuracyExperiment({
    modelDir: model,
    data: stringFlag(flags, 'data') ?? 'heldout',
    seqLen: intFlag(flags, 'seq-len'),
    samples: intFlag(flags, 'samples'),
    configs: [stringFlag(flags, 'config') ?? 'anchor-attn'],
    backend: backend as Backend,
    onProgress: flags.has('quiet') ? undefined : progressPrinter(),
  });
  const out = stringFlag(flags, 'out');
  if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(flags.has('json') ? JSON.stringify(result, null, 2) : formatExperiment(result));
}
