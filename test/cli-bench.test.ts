// zkllm bench on the command line: --json output with every field, the readable table, usage
// errors (exit code 2, the flag named, before any proving), Ctrl-C, and --markdown.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');

// A refusal must come back long before any of these sizes could be proven (minutes here), so the
// timeout is what shows that no proof was attempted.
function zkllm(args: string[], timeout = 60_000): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [CLI, 'bench', ...args], { cwd: ROOT, encoding: 'utf8', timeout, env: { ...process.env, ZKLLM_MEMORY_LIMIT: '' } });
  if (r.error) throw r.error;
  return r;
}
const shown = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe('cli: zkllm bench', () => {
  let saved = '';
  test('--json: one object with every field, verified', () => {
    const r = zkllm(['tlookup', '--num', '2', '--dim', '2^8', '--low', '-3', '--len', '64', '--backend', 'cpu', '--repeat', '2', '--seed', '9', '--json']);
    assert.equal(r.status, 0, shown(r));
    const j = JSON.parse(r.stdout);
    for (const k of ['kind', 'version', 'op', 'kitOp', 'params', 'anchorArguments', 'command', 'date', 'gitCommit', 'device', 'interrupted', 'repeats', 'medianOver', 'phasesMs', 'witness', 'anchorComparable', 'complete', 'commitments', 'verify', 'proofBytes', 'roofline', 'memory', 'notes'])
      assert.ok(k in j, `field ${k}`);
    assert.deepEqual(j.params, { num: 2, dim: 256, low: -3, len: 64, seed: 9, backend: 'cpu', repeat: 2, commit: false });
    assert.equal(j.anchorArguments, '2 256 -3 64');
    assert.equal(j.repeats.length, 2);
    assert.equal(j.verify.valid, true);
    assert.ok(j.anchorComparable.ms > 0 && j.anchorComparable.ms <= j.complete.ms);
    assert.deepEqual(j.anchorComparable.phases, ['values sumcheck']);
    assert.ok(j.proofBytes > 0 && j.roofline.complete.floorMs > 0 && j.roofline.complete.achieved > 0);
    assert.ok(typeof j.gitCommit === 'string' && j.gitCommit.length > 0);
    assert.equal(r.stderr, '', 'no progress when stderr is not a terminal');
    saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-bench-')), 'tlookup.json');
    fs.writeFileSync(saved, r.stdout);
  });

  test('--markdown renders the saved results', () => {
    const r = zkllm(['--markdown', saved]);
    assert.equal(r.status, 0, shown(r));
    assert.match(r.stdout, /^# Benchmarks/);
    assert.match(r.stdout, /\| tlookup `2 256 -3 64` \|/);
    assert.match(r.stdout, /## CPU: /);
  });

  test('the readable table (matmul), and --progress lines on stderr', () => {
    const r = zkllm(['matmul', '--num', '2', '--dim0', '4', '--dim1', '8', '--dim2', '4', '--backend', 'cpu', '--progress']);
    assert.equal(r.status, 0, shown(r));
    for (const word of ['anchor-comparable', 'complete', 'commitments', 'verify', 'valid', 'proof size', 'roofline', 'floor', 'achieved']) assert.ok(r.stdout.includes(word), word);
    assert.match(r.stderr, /repeat 1\/1 proving/);
    assert.match(r.stderr, /verifying/);
  });

  const big = ['--num', '64', '--dim', '4194304'];
  const bad: [string[], string][] = [
    [['com', ...big, '--gen-dim', '3000'], '--gen-dim'], // not a power of two
    [['com', '--num', '64', '--dim', '4194303', '--gen-dim', '65536'], '--gen-dim'], // does not divide
    [['tlookup', ...big, '--low', '0', '--len', '65535'], '--len'], // not a power of two
    [['hadamard', '--num', '0', '--dim', '4194304'], '--num'],
    [['hadamard', '--num', '64', '--dim', '-4'], '--dim'],
    [['matmul', '--num', '40', '--dim0', '2048', '--dim1', '128', '--dim2', '0'], '--dim2'],
    [['hadamard', ...big, '--repeat', '-1'], '--repeat'],
    [['hadamard', ...big, '--nmu', '3'], '--nmu'], // unknown flag
    [['hadamard', ...big, '--len', '8'], '--len'], // not an argument of hadamard
    [['hadamard', ...big, '--dim', '8'], '--dim'], // given twice
    [['hadamard', '--num', 'x', '--dim', '8'], '--num'],
    [['hadamard', ...big, '--backend', 'gpu'], '--backend'],
    [['hadamard', ...big, '--commit'], '--gen-dim'],
    [['hadamard', '--num', '4096', '--dim', '4194304'], 'host memory'], // more than the machine
    [['tlookup', ...big, '--low', '0', '--len', '65536', '--memory-limit', '1GiB'], 'host memory'], // more than the limit
    [['hadamard', '--num', '1048576', '--dim', '4194304'], '--dim'], // beyond the prover's 2^36
    [['lookup', ...big], 'lookup'],
  ];
  for (const [args, flag] of bad)
    test(`usage error: ${args.join(' ')} → exit 2 naming ${flag}`, () => {
      const r = zkllm(args, 30_000);
      assert.equal(r.status, 2, shown(r));
      assert.equal(r.stdout, '', shown(r));
      assert.ok(r.stderr.includes(flag), shown(r));
      assert.equal(r.stderr.trim().split('\n').length, 2, 'one message and the help pointer');
      const j = zkllm([...args, '--json'], 30_000);
      assert.equal(j.status, 2, shown(j));
      const e = JSON.parse(j.stdout);
      assert.deepEqual(Object.keys(e), ['error', 'exitCode']);
      assert.equal(e.exitCode, 2);
      assert.ok(e.error.includes(flag), e.error);
    });

  test('Ctrl-C stops after the proof in progress, prints what was measured, exit 130', async () => {
    const child = spawn(process.execPath, [CLI, 'bench', 'hadamard', '--num', '2', '--dim', '64', '--backend', 'cpu', '--repeat', '10000', '--json', '--progress'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/repeat 3\/10000/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('close', (c) => resolve(c));
    });
    assert.equal(code, 130, `stderr:\n${stderr}`);
    assert.match(stderr, /interrupted/);
    const j = JSON.parse(stdout);
    assert.equal(j.interrupted, true);
    assert.ok(j.repeats.length >= 2 && j.repeats.length < 10000, `${j.repeats.length} repeats`);
    assert.equal(j.verify, null);
    assert.ok(j.complete.ms > 0);
  });
});
