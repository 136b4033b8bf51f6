// The README's first script runs as written on a CPU-only machine (by package name, ESM, with
// top-level await), from the checkout root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

test('the README\'s first API example runs as written', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const api = readme.slice(readme.indexOf('## API'));
  const m = /```ts\n([\s\S]*?)```/.exec(api);
  assert.ok(m, 'no ts block under ## API');
  const code = m[1];
  assert.match(code, /from 'zkllm-kit'/);
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 180_000, env: { ...process.env, ZKLLM_BACKEND: 'cpu' } });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.ok(['cpu', 'cuda'].includes(lines[0]), lines[0]);
  assert.match(lines[1], /^true /);
  assert.ok(lines.includes('true'), 'verifyAsync printed true');
  assert.match(lines[lines.length - 1], /^\d+\.\d+ -?\d/);
});
