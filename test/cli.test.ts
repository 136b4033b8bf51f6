// The zkllm CLI, the package entry point, and what info() reports about the build.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { info } from '../src';
import { ROOT } from './helpers/cli';

const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');

function zkllm(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return r;
}
const shown = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe('cli: zkllm info', () => {
  test('info --json parses and reports cudaCompiled, devices and defaultBackend', () => {
    const r = zkllm(['info', '--json']);
    assert.equal(r.status, 0, shown(r));
    const j = JSON.parse(r.stdout);
    assert.equal(typeof j.cudaCompiled, 'boolean', shown(r));
    assert.ok(Array.isArray(j.devices), shown(r));
    for (const d of j.devices) {
      assert.equal(typeof d.name, 'string');
      assert.ok(d.memoryBytes > 0);
      assert.match(String(d.computeCapability), /^\d+\.\d+$/);
    }
    assert.ok(['auto', 'cpu', 'cuda'].includes(j.defaultBackend), shown(r));
    assert.ok(['cpu', 'cuda'].includes(j.autoBackend), shown(r));
    assert.equal(j.autoBackend, j.devices.length > 0 ? 'cuda' : 'cpu');
    assert.ok(Number.isInteger(j.cpuThreads) && j.cpuThreads >= 1, shown(r));
    // the same facts as the in-process API
    const i = info();
    assert.equal(j.cudaCompiled, i.cudaCompiled);
    assert.equal(j.devices.length, i.devices.length);
  });

  test('ZKLLM_BACKEND sets the default backend reported by info', () => {
    const r = zkllm(['info', '--json'], { ZKLLM_BACKEND: 'cpu' });
    assert.equal(r.status, 0, shown(r));
    assert.equal(JSON.parse(r.stdout).defaultBackend, 'cpu');
  });

  test('an unknown ZKLLM_BACKEND fails with a message naming it', () => {
    const r = zkllm(['info'], { ZKLLM_BACKEND: 'quantum' });
    assert.notEqual(r.status, 0, shown(r));
    assert.match(r.stderr, /ZKLLM_BACKEND/, shown(r));
    assert.match(r.stderr, /quantum/, shown(r));
  });

  test('info in plain text exits 0 and names the backends', () => {
    const r = zkllm(['info']);
    assert.equal(r.status, 0, shown(r));
    assert.match(r.stdout, /cpu/, shown(r));
    assert.match(r.stdout, /default backend/, shown(r));
  });
});

describe('cli: usage and bad commands', () => {
  test('an unknown command exits non-zero and prints the usage', () => {
    const r = zkllm(['frobnicate']);
    assert.notEqual(r.status, 0, shown(r));
    assert.match(r.stderr, /unknown command/, shown(r));
    assert.match(r.stderr, /frobnicate/, shown(r));
    assert.match(r.stderr, /usage/i, shown(r));
    assert.match(r.stderr, /info/, shown(r));
    assert.match(r.stderr, /calibrate/, shown(r));
  });

  test('no command exits non-zero with the usage; --help exits 0 with the usage', () => {
    const none = zkllm([]);
    assert.notEqual(none.status, 0, shown(none));
    assert.match(none.stdout + none.stderr, /usage/i, shown(none));
    const help = zkllm(['info', '--help']);
    assert.equal(help.status, 0, shown(help));
    assert.match(help.stdout, /usage/i, shown(help));
  });

  test('calibrate with a bad --backend exits non-zero naming it', () => {
    const r = zkllm(['calibrate', '--backend', 'tpu']);
    assert.notEqual(r.status, 0, shown(r));
    assert.match(r.stderr, /backend/, shown(r));
    assert.match(r.stderr, /tpu/, shown(r));
  });

  test('calibrate --backend cuda without a GPU exits non-zero saying so', (t) => {
    if (info().devices.length > 0) {
      t.skip('a GPU is present');
      return;
    }
    const r = zkllm(['calibrate', '--backend', 'cuda']);
    assert.notEqual(r.status, 0, shown(r));
    assert.match(r.stderr, /no GPU/, shown(r));
  });
});

describe('cli: zkllm calibrate', () => {
  test('calibrate --json --backend cpu gives positive rates', () => {
    const r = zkllm(['calibrate', '--json', '--backend', 'cpu']);
    assert.equal(r.status, 0, shown(r));
    const results = JSON.parse(r.stdout);
    assert.ok(Array.isArray(results) && results.length === 1, shown(r));
    const [c] = results;
    assert.equal(c.backend, 'cpu');
    assert.equal(typeof c.device, 'string');
    assert.equal(typeof c.method, 'string');
    assert.ok(Number.isFinite(c.frMulGPerSecond) && c.frMulGPerSecond > 0, shown(r));
    assert.ok(Number.isFinite(c.copyGBPerSecond) && c.copyGBPerSecond > 0, shown(r));
  });
});

describe('package entry point and build record', () => {
  test(`node -e "require('./')" from the repository root exposes the API`, () => {
    const script = `
      const k = require('./');
      const kinds = {};
      for (const n of ['fr', 'g1', 'Transcript', 'info', 'calibrate']) kinds[n] = typeof k[n];
      for (const n of ['add', 'sub', 'mul', 'inv', 'batchInverse']) kinds['fr.' + n] = typeof (k.fr && k.fr[n]);
      for (const n of ['add', 'double', 'mul', 'msm', 'generator']) kinds['g1.' + n] = typeof (k.g1 && k.g1[n]);
      kinds.works = String(k.fr.mul(2n, 3n) === 6n && k.g1.generator().length === 96);
      process.stdout.write(JSON.stringify(kinds));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, shown(r));
    assert.deepEqual(JSON.parse(r.stdout), {
      fr: 'object',
      g1: 'object',
      Transcript: 'function',
      info: 'function',
      calibrate: 'function',
      'fr.add': 'function',
      'fr.sub': 'function',
      'fr.mul': 'function',
      'fr.inv': 'function',
      'fr.batchInverse': 'function',
      'g1.add': 'function',
      'g1.double': 'function',
      'g1.mul': 'function',
      'g1.msm': 'function',
      'g1.generator': 'function',
      works: 'true',
    });
  });

  test('info().cudaCompiled and cudaArchs match build/Release/build-config.json', () => {
    const cfgPath = path.join(ROOT, 'build', 'Release', 'build-config.json');
    assert.ok(fs.existsSync(cfgPath), `${cfgPath} is missing`);
    const cfg = JSON.parse(fs.readFileSync(cfgPath, 'utf8')) as { cuda: boolean; archs: string[] };
    const i = info();
    assert.equal(i.cudaCompiled, cfg.cuda, `info() says cudaCompiled=${i.cudaCompiled}, build-config.json says cuda=${cfg.cuda}`);
    if (cfg.cuda) for (const a of cfg.archs) assert.ok(i.cudaArchs.includes(a), `cudaArchs '${i.cudaArchs}' lacks ${a}`);
    else assert.equal(i.cudaArchs, '');
    if (!cfg.cuda) {
      assert.equal(i.devices.length, 0, 'a CPU-only build cannot report GPUs');
      assert.equal(i.autoBackend, 'cpu');
    }
  });
});

describe('cli: messages name no internals (issue 12 item 10)', () => {
  test('calibrate --backend cuda without a GPU: one "calibrate:", and the driver wording', (t) => {
    if (info().devices.length > 0) {
      t.skip('a GPU is present');
      return;
    }
    const r = zkllm(['calibrate', '--backend', 'cuda']);
    assert.equal(r.status, 1, shown(r));
    assert.doesNotMatch(r.stderr, /calibrate: calibrate:/, shown(r));
    assert.doesNotMatch(r.stderr, /no usable GPU: no usable GPU/, shown(r));
    assert.match(r.stderr, /^zkllm calibrate: backend 'cuda' requested but no GPU is usable: /, shown(r));
  });

  test('info without a GPU says the driver is missing or too old, not only "driver version is insufficient"', (t) => {
    const i = info();
    if (i.devices.length > 0) {
      t.skip('a GPU is present');
      return;
    }
    if (/insufficient/.test(i.gpuStatus)) assert.match(i.gpuStatus, /^the CUDA driver is missing or too old \(/);
    const r = zkllm(['info']);
    assert.equal(r.status, 0, shown(r));
    assert.match(r.stdout, /GPUs\s+: none \(no usable GPU: /, shown(r));
    assert.doesNotMatch(r.stdout, /no usable GPU: no usable GPU/, shown(r));
  });
});

