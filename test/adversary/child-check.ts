// Runs checkProof (or any snippet) in a fresh Node process, so that a crash cannot take the test
// runner down and the process's generator memo starts empty. The snippet sees `kit` (the built
// library) and `input` (JSON passed through a file) and must print one JSON line last.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ChildRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON, when it is JSON. */
  result?: Record<string, unknown>;
}

const KIT = path.resolve(__dirname, '../../src/index.js');

export function runInChild(snippet: string, input: unknown, env: Record<string, string> = {}, timeoutMs = 120_000): ChildRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'zkllm-adv-child-'));
  const inputFile = path.join(dir, 'input.json');
  writeFileSync(inputFile, JSON.stringify(input));
  const code = `const kit = require(${JSON.stringify(KIT)});\nconst input = JSON.parse(require('fs').readFileSync(${JSON.stringify(inputFile)}, 'utf8'));\n${snippet}`;
  const r = spawnSync(process.execPath, ['-e', code], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs });
  const out: ChildRun = { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  const last = out.stdout.trim().split('\n').pop() ?? '';
  try {
    out.result = JSON.parse(last);
  } catch {
    /* not JSON: the caller reports stdout */
  }
  return out;
}

/** Snippet: checkProof of input.statement with input.proof (hex), printing {valid, reason}. */
export const CHECK_SNIPPET = `const r = kit.checkProof(input.statement, Uint8Array.from(Buffer.from(input.proof, 'hex')), input.opts);
console.log(JSON.stringify({ valid: r.valid, reason: r.reason, verdict: r.valid ? 'accepted' : 'rejected' }));`;
