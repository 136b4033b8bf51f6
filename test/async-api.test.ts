// proveAsync / verifyAsync / commitAsync: the same bytes as the sync API, the event loop free while
// they run, and failures as rejections with the sync API's message. The worker loads the addon.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { prove, verify, commitments, proveAsync, verifyAsync, checkProofAsync, commitAsync, stopProofWorker } from '../src';
import type { AsyncProgress } from '../src';

after(() => stopProofWorker());

describe('async API (worker thread)', () => {
  test('proveAsync gives the same statement and proof bytes as prove, for plain and committed proofs', async () => {
    for (const spec of [
      { op: 'tlookup-range' as const, num: 2, dim: 1 << 10, low: 0, len: 1 << 8, seed: 5 },
      { op: 'hadamard' as const, num: 2, dim: 256, seed: 9, commit: true, genDim: 16 },
      { op: 'matmul' as const, num: 2, dim0: 8, dim1: 16, dim2: 8, seed: 2 },
    ]) {
      const sync = prove(spec);
      const events: AsyncProgress[] = [];
      const async_ = await proveAsync(spec, { onProgress: (e) => events.push(e) });
      assert.deepEqual(async_.statement, sync.statement, spec.op);
      assert.deepEqual(Buffer.from(async_.proof), Buffer.from(sync.proof), `${spec.op}: proof bytes differ`);
      assert.deepEqual(Object.keys(async_.prover.phasesMs), Object.keys(sync.prover.phasesMs));
      // progress: queued, started, one event per phase, done
      assert.deepEqual(events.map((e) => e.stage), ['queued', 'started', ...Object.keys(sync.prover.phasesMs).map(() => 'phase'), 'done']);
      assert.equal(await verifyAsync(async_.statement, async_.proof), true);
      assert.equal(verify(async_.statement, async_.proof), true);
    }
  });

  test('verifyAsync rejects a tampered proof with the sync reason', async () => {
    const { statement, proof } = prove({ op: 'tlookup-range', num: 1, dim: 256, low: 0, len: 64, seed: 1 });
    const bad = Uint8Array.from(proof);
    bad[40] ^= 1;
    assert.equal(await verifyAsync(statement, bad), false);
    const c = await checkProofAsync(statement, bad);
    assert.equal(c.valid, false);
    assert.ok(c.reason.length > 0);
  });

  test('commitAsync gives the same row commitments as commitments.commit', async () => {
    const values = Int32Array.from({ length: 300 }, (_, i) => (i * 7919) % 2001 - 1000);
    const sync = commitments.commit(values, { genDim: 64 });
    const a = await commitAsync(values, { genDim: 64 });
    assert.equal(a.rows.length, sync.rows.length);
    a.rows.forEach((r, i) => assert.deepEqual(Buffer.from(r), Buffer.from(sync.rows[i]), `row ${i}`));
    const big = [1n, 2n, 3n, 2n ** 200n];
    assert.deepEqual(Buffer.from((await commitAsync(big, { genDim: 4 })).rows[0]), Buffer.from(commitments.commit(big, { genDim: 4 }).rows[0]));
  });

  test('the event loop keeps running while a proof is computed', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t0 = Date.now();
    await proveAsync({ op: 'hadamard', num: 4, dim: 1 << 14, seed: 3 });
    clearInterval(timer);
    const ms = Date.now() - t0;
    // A sync prove would leave no tick at all; allow for a slow, shared machine.
    assert.ok(ticks >= Math.min(3, ms / 20), `only ${ticks} timer ticks during a ${ms} ms proof`);
  });

  test('invalid input rejects with the sync message', async () => {
    assert.throws(() => prove({ op: 'hadamard', num: 0, dim: 4 }), /'num' must be at least 1/);
    await assert.rejects(proveAsync({ op: 'hadamard', num: 0, dim: 4 }), /'num' must be at least 1/);
    await assert.rejects(commitAsync(new Int32Array(0), { genDim: 4 }), /empty tensor/);
  });
});
