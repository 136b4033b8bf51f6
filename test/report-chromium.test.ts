// The HTML report in a real browser (Debian's chromium, headless): every chart drew plot elements,
// every table has rows, nothing was logged as an error, and the page needs no network.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSweep, type SweepSpec } from '../src/sweep';
import { writeReport } from '../src/report';
import { stopProofWorker } from '../src';
import { findChromium, runChromium } from './helpers/chromium';

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = findChromium();
const SPEC: SweepSpec = {
  name: 'report-test',
  repeats: 2,
  prove: [
    { op: 'tlookup-range', num: 1, dim: [256, 1024], len: [64, 1024] },
    { op: 'hadamard', num: 1, dim: [256, 1024] },
    { op: 'matmul', num: 1, dim0: [8, 16], dim1: 8, dim2: 8 },
    { op: 'opening', num: 1, dim: [64, 256], genDim: 16 },
  ],
  acc: [{ model: path.join(ROOT, 'data', 'models', 'standin'), seqLen: 16, samples: 1, configs: ['zk-12-clamp', 'readme-5', 'anchor-acc', { preset: 'readme-5', name: 'readme-5 at 2^10', valueBits: 10, weightBits: 10 }] }],
};

describe('the HTML report in headless chromium', { skip: CHROMIUM ? false : 'chromium is not installed (apt-get install chromium; .ci/run installs it): the browser test is skipped' }, () => {
  let html = '';
  let dom = '';
  let stderr = '';
  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-report-'));
    const results = path.join(dir, 'r.jsonl');
    await runSweep(SPEC, { out: results, quiet: true });
    await stopProofWorker();
    html = path.join(dir, 'index.html');
    writeReport([results], { out: html });
    const r = runChromium(CHROMIUM as string, html, ['--dump-dom']);
    dom = r.stdout;
    stderr = r.stderr;
    assert.equal(r.status, 0, r.stderr.slice(-2000));
  });

  test('the page is self-contained: no external script, stylesheet or image', () => {
    const page = fs.readFileSync(html, 'utf8');
    assert.doesNotMatch(page, /<script[^>]+src=/i);
    assert.doesNotMatch(page, /<link[^>]+href=/i);
    assert.doesNotMatch(page, /<img[^>]+src="?https?:/i);
  });

  test('every chart rendered plot elements', () => {
    const charts = [...dom.matchAll(/<div class="zk-chart[^"]*"[^>]*>/g)].map((m) => m[0]);
    assert.ok(charts.length >= 10, `expected the report's charts, found ${charts.length}`);
    for (const c of charts) {
      const n = /data-rendered-points="(\d+)"/.exec(c);
      assert.ok(n, `chart not drawn: ${c}`);
      assert.ok(Number(n[1]) > 0, `chart with no plot elements: ${c}`);
    }
    // plotly drew one SVG root per chart
    assert.ok((dom.match(/class="main-svg"/g) ?? []).length >= charts.length);
  });

  test('every table has rows', () => {
    const tables = dom.split('<table class="zk-table"').slice(1);
    assert.ok(tables.length >= 6, `expected the report's tables, found ${tables.length}`);
    for (const t of tables) {
      const body = t.slice(t.indexOf('<tbody>'), t.indexOf('</tbody>'));
      assert.ok((body.match(/<tr/g) ?? []).length > 0, `empty table: ${t.slice(0, 200)}`);
    }
  });

  test('the console shows no errors', () => {
    const m = /data-console-errors="([^"]*)"/.exec(dom);
    assert.ok(m, 'the page did not finish its self-check');
    assert.equal(m[1].replace(/&quot;/g, '"'), '[]');
    const consoleErrors = stderr.split('\n').filter((l) => /CONSOLE|Uncaught/.test(l) && !/:INFO:CONSOLE/.test(l));
    assert.deepEqual(consoleErrors, []);
  });

  test('the numbers are this run\'s: the trade-off names a configuration and prices tlookups in seconds', () => {
    assert.match(dom, /has the fewest tlookups/);
    assert.match(dom, /ns per looked-up entry/);
    assert.match(dom, /zkAttn proof s \/ head \(measured\)/);
  });
});
