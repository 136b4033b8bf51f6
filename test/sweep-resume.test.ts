// zkllm sweep / zkllm report: a killed sweep resumes with exactly one result per point, shards run
// apart merge to the unsharded sweep's points, and a bad line in a results file is reported with
// its line number and skipped.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandSweep, pointKey, readResults, mergeRecords, runSweep, type SweepSpec } from '../src/sweep';
import { stopProofWorker } from '../src';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-sweep-'));

// 12 prove points of ~0.1-0.3 s each on 2 cores: long enough to kill the sweep in the middle.
const SPEC: SweepSpec = { name: 't', calibrate: false, repeats: 3, prove: [{ op: 'hadamard', num: 4, dim: [1 << 13, 1 << 14] }, { op: 'tlookup-range', num: 4, dim: [1 << 12, 1 << 13], len: 256 }] };
const SMALL: SweepSpec = { name: 's', calibrate: false, repeats: 2, prove: [{ op: 'hadamard', num: 1, dim: [64, 128, 256] }, { op: 'matmul', num: 1, dim0: 4, dim1: 4, dim2: [4, 8] }, { op: 'tlookup-range', num: 1, dim: 64, len: [16, 32] }] };

function countsByKey(file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of readResults(file).records) m.set(r.key, (m.get(r.key) ?? 0) + 1);
  return m;
}

function zkllm(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.error) throw r.error;
  return r;
}

describe('zkllm sweep: resume, shards, bad lines', { concurrency: false }, () => {
  test('a sweep killed halfway and restarted ends with exactly one result per point', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify(SPEC));
    const out = path.join(dir, 'r.jsonl');
    const keys = expandSweep(SPEC).map(pointKey);
    assert.equal(new Set(keys).size, 12);
    const child = spawn(process.execPath, [CLI, 'sweep', 'sweep.json', '--out', out, '--quiet'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let linesAtKill = 0;
    for (let waited = 0; waited < 120_000; waited += 10) {
      linesAtKill = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).length : 0;
      if (linesAtKill >= 3) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    const before = countsByKey(out);
    assert.ok(before.size >= 3 && before.size < 12, `the kill should land mid-sweep: ${before.size} of 12 points were done`);
    const r = zkllm(['sweep', 'sweep.json', '--out', out], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${12 - before.size} point\\(s\\) run, ${before.size} already done`));
    const after = countsByKey(out);
    assert.deepEqual([...after.keys()].sort(), [...keys].sort());
    for (const [k, n] of after) assert.equal(n, 1, `point ${k} has ${n} results`);
    // A third run has nothing left to do.
    assert.match(zkllm(['sweep', 'sweep.json', '--out', out], dir).stdout, /0 point\(s\) run, 12 already done/);
  });

  test('--limit stops early and the next run does only the rest', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'small.json'), JSON.stringify(SMALL));
    assert.match(zkllm(['sweep', 'small.json', '--limit', '4'], dir).stdout, /4 point\(s\) run, 0 already done, 14 in the sweep/);
    const r = zkllm(['sweep', 'small.json'], dir);
    assert.match(r.stdout, /10 point\(s\) run, 4 already done/);
    assert.ok(r.stdout.includes('s.results.jsonl'), 'default output file named after the sweep');
    const counts = countsByKey(path.join(dir, 's.results.jsonl'));
    assert.equal(counts.size, 14);
    assert.ok([...counts.values()].every((n) => n === 1));
  });

  test('shards 1/2 and 2/2 run apart and merged give the unsharded sweep\'s points, each once', async () => {
    const dir = tmp();
    const all = path.join(dir, 'all.jsonl');
    await runSweep(SMALL, { out: all, quiet: true });
    const s1 = path.join(dir, 's1.jsonl');
    const s2 = path.join(dir, 's2.jsonl');
    await runSweep(SMALL, { out: s1, quiet: true, shard: { index: 1, count: 2 } });
    await runSweep(SMALL, { out: s2, quiet: true, shard: { index: 2, count: 2 } });
    await stopProofWorker();
    const a = readResults(s1).records;
    const b = readResults(s2).records;
    assert.equal(a.length, 7);
    assert.equal(b.length, 7);
    assert.equal(a.filter((r) => b.some((x) => x.key === r.key)).length, 0, 'the shards share no point');
    // Merging the shards with the unsharded file too: every point once.
    const merged = mergeRecords([a, b, readResults(all).records]);
    assert.equal(merged.records.length, 14);
    assert.equal(merged.duplicates, 14);
    const keyPoint = (rs: { key: string; point: unknown }[]) => rs.map((r) => `${r.key} ${JSON.stringify(r.point)}`).sort();
    assert.deepEqual(keyPoint(mergeRecords([a, b]).records), keyPoint(readResults(all).records));
    // zkllm report merges shards the same way.
    const rep = zkllm(['report', s1, s2, all, '--out', path.join(dir, 'r.html')], dir);
    assert.equal(rep.status, 0, rep.stderr);
    assert.match(rep.stdout, /14 point\(s\) \(14 duplicate record\(s\) merged\)/);
    // And the CLI's --shard matches the library's.
    const c1 = zkllm(['sweep', path.join(dir, 'small.json'), '--shard', '2/2', '--out', path.join(dir, 'cli2.jsonl')], dir);
    assert.equal(c1.status, 2, 'no sweep file yet');
    fs.writeFileSync(path.join(dir, 'small.json'), JSON.stringify(SMALL));
    assert.equal(zkllm(['sweep', 'small.json', '--shard', '2/2', '--out', 'cli2.jsonl'], dir).status, 0);
    assert.deepEqual(keyPoint(readResults(path.join(dir, 'cli2.jsonl')).records), keyPoint(b));
  });

  test('a corrupt line is reported with its line number and skipped, not fatal', async () => {
    const dir = tmp();
    const file = path.join(dir, 'r.jsonl');
    await runSweep(SMALL, { out: file, quiet: true, limit: 3 });
    await stopProofWorker();
    const good = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    // line 2: not JSON; line 4: JSON but not a record; last line: cut short by a kill (no newline)
    fs.writeFileSync(file, [good[0], '{"v":1,"key":"oops', good[1], '{"hello": 1}', good[2].slice(0, 40)].join('\n'));
    const { records, problems } = readResults(file);
    assert.equal(records.length, 2);
    assert.deepEqual(problems.map((p) => p.line), [2, 4, 5]);
    assert.match(problems[0].message, /not JSON/);
    assert.match(problems[1].message, /version/);
    assert.match(problems[2].message, /cut short/);
    const rep = zkllm(['report', file, '--out', path.join(dir, 'r.html')], dir);
    assert.equal(rep.status, 0, rep.stderr);
    assert.match(rep.stderr, /r\.jsonl:2: skipped \(not JSON/);
    assert.match(rep.stderr, /r\.jsonl:5: skipped/);
    assert.match(rep.stdout, /2 point\(s\), 3 bad line\(s\) skipped/);
    assert.ok(fs.readFileSync(path.join(dir, 'r.html'), 'utf8').includes('Lines skipped in the results files'));
    // Resuming on that file: the cut point is run again and starts a line of its own.
    const s = zkllm(['sweep', path.join(dir, 'small.json'), '--out', file], dir);
    assert.equal(s.status, 2);
    fs.writeFileSync(path.join(dir, 'small.json'), JSON.stringify(SMALL));
    const resumed = zkllm(['sweep', 'small.json', '--out', file], dir);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, /r\.jsonl:5: skipped/);
    const after = readResults(file);
    assert.equal(after.records.length, 14);
    assert.deepEqual(after.problems.map((p) => p.line), [2, 4, 5]);
  });
});
