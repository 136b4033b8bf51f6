// bench() (src/benchmark/): every field of a result present and sane at tiny sizes on the CPU,
// verified proofs, the phase table, the anchor's figures, the roofline, and refusals before work.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { bench, BenchParamError, HostMemoryError, BenchResult, BenchSpec } from '../src';
import { splitPhases, phaseRole, commitNote } from '../src/benchmark/phase-roles';
import { anchorFigure } from '../src/benchmark/anchor-timers';
import { floorOf, workTerms } from '../src/benchmark/roofline';
import { renderBenchmarksMarkdown, readBenchResults } from '../src/benchmark/markdown';
import { formatBenchResult } from '../src/benchmark/format-table';
import { parseByteSize } from '../src/benchmark/host-memory';
import { median } from '../src/benchmark';

const positive = (x: unknown, what: string) => assert.ok(typeof x === 'number' && Number.isFinite(x) && x > 0, `${what} = ${String(x)}`);

/** Every field of a finished, verified result. */
function checkResult(r: BenchResult, spec: BenchSpec): void {
  assert.equal(r.kind, 'zkllm-bench');
  assert.equal(r.version, 1);
  assert.equal(r.op, spec.op);
  assert.equal(r.kitOp, { tlookup: 'tlookup-range', hadamard: 'hadamard', matmul: 'matmul', com: 'opening' }[spec.op]);
  for (const k of ['num', 'dim', 'low', 'len', 'dim0', 'dim1', 'dim2'] as const) if (spec[k] !== undefined) assert.equal(r.params[k], spec[k], k);
  assert.equal(r.params.seed, spec.seed ?? 0);
  assert.equal(r.params.repeat, spec.repeat ?? 1);
  assert.equal(r.params.commit, spec.op === 'com' || spec.commit === true);
  assert.match(r.command, new RegExp(`^zkllm bench ${spec.op} --num ${spec.num} `));
  assert.ok(!Number.isNaN(Date.parse(r.date)));
  assert.match(r.gitCommit, /^([0-9a-f]{40}(-dirty)?|unknown)$/);
  assert.equal(r.device.backend, 'cpu');
  assert.ok(r.device.name.length > 0 && r.device.cpuThreads >= 1);
  assert.equal(r.interrupted, false);
  assert.equal(r.repeats.length, spec.repeat ?? 1);
  for (const rep of r.repeats) {
    assert.ok(rep.phases.length >= 2, 'phases');
    positive(rep.wallMs, 'wallMs');
    // the phases are disjoint parts of the prove() call
    const sum = rep.phases.reduce((s, p) => s + p.ms, 0);
    assert.ok(sum <= rep.wallMs + 1e-6, `phases ${sum} ms within the call's ${rep.wallMs} ms`);
    assert.ok(Math.abs(rep.witnessMs + rep.commitMs + rep.completeMs - sum) < 1e-6);
  }
  assert.deepEqual(Object.keys(r.phasesMs), r.repeats[0].phases.map((p) => p.name));
  positive(r.complete.ms, 'complete');
  positive(r.anchorComparable.ms, 'anchor-comparable');
  assert.ok((r.anchorComparable.ms as number) <= (r.complete.ms as number) + 1e-9, 'anchor-comparable ≤ complete');
  assert.ok(r.anchorComparable.phases.every((p) => r.complete.phases.includes(p)), 'anchor phases are proof phases');
  assert.ok(r.anchorComparable.note.includes('zkllm-reference.md'));
  assert.equal(r.anchorComparable.anchor, null, 'no anchor figure at tiny sizes');
  assert.equal(r.anchorComparable.ratio, null);
  assert.ok(r.witness.ms !== null && r.witness.ms >= 0);
  if (spec.op === 'com') {
    assert.deepEqual(r.commitments.phases, ['commit']);
    positive(r.commitments.ms, 'commitments');
  } else if (!spec.commit) {
    assert.deepEqual(r.commitments.phases, []);
    assert.equal(r.commitments.ms, null);
  }
  assert.ok(r.verify, 'verified');
  assert.equal(r.verify.valid, true, r.verify.reason);
  positive(r.verify.ms, 'verify ms');
  positive(r.proofBytes, 'proof bytes');
  const c = r.roofline.ceilings;
  positive(c.frMulPerSecond, 'Fr mul/s');
  positive(c.copyBytesPerSecond, 'copy B/s');
  for (const f of [r.roofline.complete, r.roofline.anchorComparable]) {
    positive(f.bytes, 'bytes');
    positive(f.frMuls, 'Fr products');
    positive(f.floorMs, 'floor');
    positive(f.achieved, 'achieved');
    assert.equal(f.floorMs, Math.max(f.memoryMs, f.computeMs));
    assert.ok(Math.abs((f.achieved as number) - f.floorMs / (f.measuredMs as number)) < 1e-12);
  }
  assert.ok(r.roofline.complete.frMuls >= r.roofline.anchorComparable.frMuls);
  positive(r.memory.estimatedBytes, 'estimated memory');
  positive(r.memory.availableBytes, 'available memory');
  assert.ok(Array.isArray(r.notes));
}

describe('bench(): tiny sizes on the CPU', () => {
  const specs: BenchSpec[] = [
    { op: 'tlookup', num: 2, dim: 300, low: -7, len: 64, repeat: 2 },
    { op: 'hadamard', num: 3, dim: 200, seed: 5 },
    { op: 'matmul', num: 2, dim0: 8, dim1: 16, dim2: 4 },
    { op: 'com', num: 3, dim: 256, genDim: 64 },
  ];
  for (const spec of specs)
    test(`${spec.op}: every field, verified`, async () => {
      const r = await bench({ ...spec, backend: 'cpu' });
      checkResult(r, spec);
      if (spec.op === 'tlookup') assert.equal(r.medianOver, 'repeats 2..2 (the first is a warm-up)');
      if (spec.op === 'com') assert.ok(r.notes.some((n) => n.includes('G1')), 'com floor says it leaves out G1');
      const text = formatBenchResult(r);
      for (const word of ['anchor-comparable', 'complete', 'commitments', 'verify', 'proof size', 'roofline']) assert.ok(text.includes(word), word);
      // JSON-safe, and readable back for BENCHMARKS.md
      const back = readBenchResults(JSON.stringify(r), 'r.json');
      assert.deepEqual(back[0], JSON.parse(JSON.stringify(r)));
    });

  test('commit mode: committed proof verifies; a prover without a commit phase is noted', async () => {
    const spec: BenchSpec = { op: 'hadamard', num: 2, dim: 64, commit: true, genDim: 16 };
    const r = await bench({ ...spec, backend: 'cpu' });
    checkResult(r, spec);
    assert.equal(r.params.genDim, 16);
    if (r.commitments.phases.length === 0) assert.ok(r.notes.some((n) => n.includes("no 'commit' phase")));
  });

  test('an abort stops after the proof in progress, without verifying', async () => {
    const stop = new AbortController();
    const stages: string[] = [];
    const r = await bench(
      { op: 'hadamard', num: 2, dim: 64, repeat: 50, backend: 'cpu' },
      {
        signal: stop.signal,
        onProgress: (p) => {
          stages.push(`${p.stage}${p.repeat}`);
          if (p.stage === 'prove' && p.repeat === 2) stop.abort();
        },
      },
    );
    assert.equal(r.interrupted, true);
    assert.equal(r.repeats.length, 2);
    assert.equal(r.verify, null);
    assert.deepEqual(stages, ['calibrate0', 'prove1', 'prove2']);
    positive(r.complete.ms, 'complete of the measured repeats');
    assert.ok(r.notes.some((n) => n.startsWith('interrupted')));
  });
});

describe('bench(): refusals before any work', () => {
  // Sizes whose proofs would take minutes here: a refusal that comes back at all came before work.
  const bad: [BenchSpec, string, RegExp][] = [
    [{ op: 'com', num: 64, dim: 4194304, genDim: 3 }, 'genDim', /power of two/],
    [{ op: 'com', num: 64, dim: 4194304 - 1, genDim: 65536 }, 'genDim', /must divide --dim/],
    [{ op: 'tlookup', num: 64, dim: 4194304, low: 0, len: 65535 }, 'len', /power of two/],
    [{ op: 'hadamard', num: 0, dim: 4194304 }, 'num', /at least 1/],
    [{ op: 'hadamard', num: 64, dim: -1 }, 'dim', /at least 1/],
    [{ op: 'matmul', num: 40, dim0: 2048, dim1: 128 }, 'dim2', /required/],
    [{ op: 'hadamard', num: 64, dim: 4194304, len: 8 }, 'len', /does not apply/],
    [{ op: 'hadamard', num: 64, dim: 4194304, commit: true }, 'genDim', /required with --commit/],
    [{ op: 'hadamard', num: 64, dim: 4194304, repeat: 0 }, 'repeat', /1 to 10000/],
    [{ op: 'hadamard', num: 2 ** 20, dim: 2 ** 22 }, 'dim', /2\^36/],
  ];
  for (const [spec, param, message] of bad)
    test(`${JSON.stringify(spec)} → ${param}`, async () => {
      await assert.rejects(bench(spec), (e: unknown) => {
        assert.ok(e instanceof BenchParamError, String(e));
        assert.equal(e.param, param);
        assert.equal(e.exitCode, 2);
        assert.match(e.message, message);
        assert.ok(e.message.includes(`${param} (--`), 'names the API field and the flag');
        return true;
      });
    });

  test('more host memory than the machine has, or than the limit given', async () => {
    await assert.rejects(bench({ op: 'hadamard', num: 2 ** 12, dim: 2 ** 22 }), (e: unknown) => {
      assert.ok(e instanceof HostMemoryError, String(e));
      assert.match(e.message, /needs about .* TiB of host memory/);
      return true;
    });
    await assert.rejects(bench({ op: 'tlookup', num: 64, dim: 2 ** 22, low: 0, len: 65536, memoryLimit: 2 ** 30 }), (e: unknown) => {
      assert.ok(e instanceof HostMemoryError);
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /limit given \(1\.0 GiB\)/);
      return true;
    });
  });
});

describe('bench building blocks', () => {
  test('phase roles: witness, commit and proof phases; the anchor-timer phases; renamed phases', () => {
    assert.equal(phaseRole('witness'), 'witness');
    assert.equal(phaseRole('witness and multiplicities'), 'witness');
    assert.equal(phaseRole('commit'), 'commit');
    assert.equal(phaseRole('multiplicities'), 'proof');
    const s = splitPhases('tlookup', { witness: 5, multiplicities: 1, commit: 7, inverses: 2, 'values sumcheck': 3, 'table sumcheck': 1, openings: 0.5 });
    assert.deepEqual([s.witnessMs, s.commitMs, s.completeMs, s.anchorComparableMs], [5, 7, 7.5, 3]);
    assert.equal(commitNote(true, s), undefined);
    const old = splitPhases('hadamard', { witness: 1, 'claim and eq table': 2, sumcheck: 3, openings: 4 });
    assert.equal(old.anchorComparableMs, 5);
    assert.match(commitNote(true, old) ?? '', /inside 'claim and eq table'/);
    const renamed = splitPhases('matmul', { witness: 1, folds: 2, sumcheck: 3 });
    assert.equal(renamed.anchorComparableMs, null);
    assert.deepEqual(renamed.missingAnchorPhases, ['fold operands']);
  });

  test("the anchor's figures only for its exact arguments", () => {
    const t = anchorFigure({ op: 'tlookup', num: 64, dim: 4194304, low: 0, len: 65536 });
    assert.deepEqual(t?.runsS, [0.51, 0.526]);
    assert.equal(t?.device, 'NVIDIA H200');
    assert.ok(Math.abs((t?.meanS ?? 0) - 0.518) < 1e-12);
    assert.deepEqual(anchorFigure({ op: 'com', num: 64, dim: 4194304, genDim: 65536 })?.runsS, [0.314, 0.31]);
    assert.deepEqual(anchorFigure({ op: 'matmul', num: 40, dim0: 2048, dim1: 128, dim2: 2048 })?.runsS, [0.085, 0.098]);
    assert.equal(anchorFigure({ op: 'tlookup', num: 64, dim: 4194304, low: 1, len: 65536 }), null);
    assert.equal(anchorFigure({ op: 'hadamard', num: 32, dim: 4194304 }), null);
  });

  test('roofline: floor = max(bytes / copy rate, products / Fr-mul rate) over the phases asked', () => {
    const terms = workTerms('hadamard', { num: 16, dim: 2 ** 22 }, false);
    const c = { backend: 'cuda' as const, device: 'x', frMulPerSecond: 1e9, copyBytesPerSecond: 1e11, method: '' };
    const f = floorOf(terms, ['claim and eq table', 'sumcheck'], c, 1000);
    const n = 2 ** 26;
    // split-eq: a table of n/2 (n/2 products); rounds ≈ 2 × (n/2 pairs × (5 products + 2 folds)) = 7n
    assert.ok(Math.abs(f.frMuls / n - 7.5) < 1e-3, `${f.frMuls / n} products per element`);
    assert.equal(f.computeMs, (1e3 * f.frMuls) / 1e9);
    assert.equal(f.boundBy, 'compute');
    assert.equal(f.achieved, f.floorMs / 1000);
    assert.equal(floorOf(terms, ['openings'], c, null).frMuls, 0);
    // tlookup's multiplicities are counted only once the prover reports them as a phase
    const tl = workTerms('tlookup', { num: 1, dim: 1024, len: 256 }, false);
    assert.ok(tl.some((t) => t.phase === 'multiplicities'));
    // the values' inverses are gathered from the table's: only the 256 table rows are inverted
    assert.ok(floorOf(tl, ['inverses'], c, null).frMuls === 3 * 256);
  });

  test('byte sizes and medians', () => {
    assert.equal(parseByteSize('8GiB'), 8 * 2 ** 30);
    assert.equal(parseByteSize('512M'), 512e6); // SI; MiB is binary
    assert.equal(parseByteSize('512MiB'), 512 * 2 ** 20);
    assert.equal(parseByteSize('1000'), 1000);
    assert.equal(parseByteSize('lots'), undefined);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
  });

  test('BENCHMARKS.md: a CPU section labelled as such, the anchor table with commands', async () => {
    const r = await bench({ op: 'hadamard', num: 2, dim: 64, backend: 'cpu' });
    const md = renderBenchmarksMarkdown([r], ['cpu.json']);
    assert.match(md, /^## CPU: /m);
    assert.match(md, /\*\*Measured on the CPU\*\*/);
    assert.match(md, /\| hadamard `2 64` \| — \|/);
    assert.match(md, /`python tlookup-bm.py 64 4194304 0 65536` \| 0.510 s \| 0.526 s \| `zkllm bench tlookup --num 64 --dim 4194304 --low 0 --len 65536 --backend cuda/);
    assert.throws(() => readBenchResults('{"kind":"other"}', 'x.json'), /x.json: not a zkllm bench --json result/);
    // a ratio to the anchor keeps two significant digits, however small
    for (const [ratio, shown] of [[0.04231, '0.042'], [0.1049, '0.1'], [1.234, '1.2'], [23.4, '23']] as const) {
      const withRatio = { ...r, anchorComparable: { ...r.anchorComparable, ratio } };
      assert.match(renderBenchmarksMarkdown([withRatio], ['x.json']), new RegExp(`\\(${shown.replace('.', '\\.')}× the anchor\\)`), `${ratio}`);
    }
  });
});
