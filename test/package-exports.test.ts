// The package's entry points by name: 'zkllm-kit', 'zkllm-kit/acc', 'zkllm-kit/report' and
// 'zkllm-kit/sweep', from a checkout (Node's self-reference through "exports"), from a folder in it
// (notebooks/), from ESM, once installed in another project, and for TypeScript ("node10"
// resolution, what tslab uses: typesVersions and the node_modules self-link).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CJS = `const k = require('zkllm-kit'); const a = require('zkllm-kit/acc'); const r = require('zkllm-kit/report'); const s = require('zkllm-kit/sweep');
if (typeof k.prove !== 'function' || typeof k.proveAsync !== 'function' || typeof a.runAccuracyExperiment !== 'function' || typeof r.writeReport !== 'function' || typeof s.runSweep !== 'function') throw new Error('missing exports');
console.log('ok', k.verify(k.prove({ op: 'hadamard', num: 1, dim: 8, seed: 1 }).statement, k.prove({ op: 'hadamard', num: 1, dim: 8, seed: 1 }).proof));`;

function node(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

describe('package entry points', () => {
  test('require by name from the checkout root and from notebooks/', () => {
    for (const cwd of [ROOT, path.join(ROOT, 'notebooks')]) {
      const r = node(['-e', CJS], cwd);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'ok true');
    }
  });

  test('import by name from ESM', () => {
    const r = node(['--input-type=module', '-e', "import { prove, verify } from 'zkllm-kit'; import { QUANT_PRESETS } from 'zkllm-kit/acc'; const p = prove({ op: 'hadamard', num: 1, dim: 8, seed: 2 }); console.log(verify(p.statement, p.proof), 'anchor-attn' in QUANT_PRESETS);"], ROOT);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'true true');
  });

  test('once installed in another project (node_modules/zkllm-kit), deep dist paths are not exported', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-consumer-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'zkllm-kit'), 'dir');
    const r = node(['--preserve-symlinks', '-e', CJS], dir);
    assert.equal(r.status, 0, r.stderr);
    const deep = node(['--preserve-symlinks', '-e', "require('zkllm-kit/dist/src/proof')"], dir);
    assert.notEqual(deep.status, 0);
    assert.match(deep.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  test('TypeScript with "node10" resolution (tslab\'s) finds the types of every entry point', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'notebooks', '.types-check-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'check.ts'),
        `import { prove, type ProofResult } from 'zkllm-kit';\nimport { runAccuracyExperiment, type ExperimentResult } from 'zkllm-kit/acc';\nimport { dfd, charts } from 'zkllm-kit/report';\nimport { runSweep } from 'zkllm-kit/sweep';\n` +
          `const p: ProofResult = prove({ op: 'hadamard', num: 1, dim: 8 });\nconst f: (o: Parameters<typeof runAccuracyExperiment>[0]) => Promise<ExperimentResult> = runAccuracyExperiment;\nconst df = new dfd.DataFrame([{ a: 1 }]);\nexport const used = [p, f, df.shape, charts.paretoFront, runSweep];\n` +
          `// @ts-expect-error a wrong op is a type error: the types are really there\nprove({ op: 'nope', num: 1 });\n`,
      );
      const tsc = require.resolve('typescript/bin/tsc');
      const r = node([tsc, '--noEmit', '--strict', '--skipLibCheck', '--moduleResolution', 'node10', '--module', 'commonjs', '--target', 'es2022', '--esModuleInterop', path.join(dir, 'check.ts')], ROOT);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
