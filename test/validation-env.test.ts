// Issue 12 item 1 and the environment switches: a bad ZKLLM_BACKEND never makes require() throw;
// it is reported (one line, no stack trace) when a backend is picked and by info; every switch the
// kit reads is checked.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { environmentProblems, parseByteSize } from '../src/environment';
import { node, noStack, shown, zkllm } from './helpers/cli';

describe('issue 12 item 1: ZKLLM_BACKEND=gpu', () => {
  test("require('zkllm-kit') does not throw, and a call that picks the default backend says what is wrong", () => {
    const r = node(
      `const out = { loaded: typeof kit.prove };
       try { kit.fr.batchInverse([1n]); out.batch = 'ran'; } catch (e) { out.batch = e.message; }
       out.explicit = kit.fr.batchInverse([2n], { backend: 'cpu' }).length;
       out.info = { defaultBackend: kit.info().defaultBackend, problems: kit.info().problems };
       kit.setDefaultBackend('cpu');
       out.afterSet = kit.fr.batchInverse([3n]).length;
       console.log(JSON.stringify(out));`,
      { ZKLLM_BACKEND: 'gpu' },
    );
    assert.equal(r.status, 0, shown(r));
    const out = JSON.parse(r.stdout);
    assert.equal(out.loaded, 'function');
    assert.equal(out.batch, "ZKLLM_BACKEND='gpu' is not a backend (expected auto, cpu or cuda)");
    assert.equal(out.explicit, 1, 'an explicit backend does not need the default');
    assert.deepEqual(out.info, { defaultBackend: null, problems: ["ZKLLM_BACKEND='gpu' is not a backend (expected auto, cpu or cuda)"] });
    assert.equal(out.afterSet, 1, 'setDefaultBackend replaces the bad default');
  });

  test('zkllm info prints what it found, then the problem in one line, and exits 2 (no stack trace)', () => {
    const r = zkllm(['info'], { ZKLLM_BACKEND: 'gpu' });
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stdout, /compiled backends/, shown(r));
    assert.match(r.stdout, /default backend\s+: none/, shown(r));
    assert.equal(r.stderr, "zkllm info: ZKLLM_BACKEND='gpu' is not a backend (expected auto, cpu or cuda)\n");
    assert.ok(noStack(r), shown(r));
    const j = zkllm(['info', '--json'], { ZKLLM_BACKEND: 'gpu' });
    assert.equal(j.status, 2, shown(j));
    const parsed = JSON.parse(j.stdout);
    assert.equal(parsed.defaultBackend, null);
    assert.equal(parsed.exitCode, 2);
    assert.match(parsed.error, /ZKLLM_BACKEND='gpu'/);
  });

  test('other commands refuse to start, with the same line', () => {
    const r = zkllm(['calibrate', '--backend', 'cpu'], { ZKLLM_BACKEND: 'gpu' });
    assert.equal(r.status, 2, shown(r));
    assert.equal(r.stderr, "zkllm calibrate: ZKLLM_BACKEND='gpu' is not a backend (expected auto, cpu or cuda)\n");
    assert.equal(r.stdout, '');
  });
});

describe('every run-time switch is checked', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-env-')), 'a-file');
  fs.writeFileSync(file, 'x');
  const cases: [Record<string, string>, RegExp][] = [
    [{ ZKLLM_THREADS: 'abc' }, /ZKLLM_THREADS='abc' is not a positive integer/],
    [{ ZKLLM_THREADS: '0' }, /ZKLLM_THREADS='0'/],
    [{ ZKLLM_THREADS: '4x' }, /ZKLLM_THREADS='4x'/],
    [{ ZKLLM_CACHE_DIR: file }, /ZKLLM_CACHE_DIR='.*a-file' is not a folder/],
    [{ ZKLLM_MEMORY_LIMIT: 'lots' }, /ZKLLM_MEMORY_LIMIT='lots' is not a size/],
    [{ ZKLLM_TRACE: '0' }, /ZKLLM_TRACE='0' turns tracing on/],
    [{ ZKLLM_BACKEND: 'CPU' }, /ZKLLM_BACKEND='CPU' is not a backend/],
    [{ ZKLLM_TEST_ZKATTN_FAULT: 'shiftt' }, /ZKLLM_TEST_ZKATTN_FAULT='shiftt' is not a deviation/],
  ];
  test('environmentProblems names each bad switch and accepts the good ones', () => {
    for (const [env, re] of cases) {
      const p = environmentProblems(env);
      assert.equal(p.length, 1, `${JSON.stringify(env)}: ${JSON.stringify(p)}`);
      assert.match(p[0], re);
    }
    const good = { ZKLLM_BACKEND: 'cpu', ZKLLM_THREADS: '3', ZKLLM_CACHE_DIR: os.tmpdir(), ZKLLM_MEMORY_LIMIT: '3GiB', ZKLLM_TRACE: '1', ZKLLM_TEST_ZKATTN_FAULT: 'digit' };
    assert.deepEqual(environmentProblems(good), []);
    assert.deepEqual(environmentProblems({}), []);
  });

  test('byte sizes: units and refusals', () => {
    assert.equal(parseByteSize('3GiB'), 3 * 2 ** 30);
    assert.equal(parseByteSize('512M'), 512e6);
    assert.equal(parseByteSize('1000'), 1000);
    assert.equal(parseByteSize('1.5 kib'), 1536);
    for (const bad of ['', '0', '-5', 'GiB', '3 parsecs', '1e400']) assert.equal(parseByteSize(bad), undefined, bad);
  });

  test('the CLI refuses each bad switch with exit code 2 and its one line; the API when a backend is picked', () => {
    for (const [env, re] of cases.slice(0, 1).concat(cases.slice(3, 6))) {
      const r = zkllm(['calibrate', '--backend', 'cpu'], env);
      assert.equal(r.status, 2, shown(r));
      assert.match(r.stderr, re, shown(r));
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
    }
    const api = node(`try { kit.prove({ op: 'hadamard', num: 1, dim: 2, backend: 'cpu' }); console.log('ran'); } catch (e) { console.log(e.code, e.message); }`, { ZKLLM_THREADS: 'abc' });
    assert.match(api.stdout, /^ZKLLM_ENV ZKLLM_THREADS='abc' is not a positive integer/, shown(api));
  });
});
