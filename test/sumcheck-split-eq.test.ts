// The eq-weighted sumchecks (Hadamard's eq·a·b, the lookup's α·eq·A·S + αβ·eq·A + A) run split-eq:
// the eq table is never formed and each round sums one degree less, but the prover still sends
// g_j(0..3), the values the full table gives. So:
//  - their proof bytes are those of the prover before split-eq (digests pinned from a270e3a, which
//    formed and folded the eq table), also with no variables (1 × 1) and odd, padded sizes;
//  - on a GPU, the CUDA store (split-eq, binds fused into the next round) and the CUDA engine
//    streaming host tensors through a small device budget give the CPU's bytes: that is checked on
//    the GPU machine by bench/gpu-protocols.ts (CI has no GPU, and a skipped test checks nothing).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { prove, verify } from '../src';
import type { ProveSpec } from '../src';

const digest = (proof: Uint8Array) => createHash('sha256').update(Buffer.from(proof)).digest('hex');

const pinned: [ProveSpec, string][] = [
  [{ op: 'hadamard', num: 4, dim: 1000, seed: 12 }, '4890d1fb59be1b3027607d68f3fe587e5f827e5e92ea3487fe62cb5461776af8'],
  [{ op: 'hadamard', num: 1, dim: 1, seed: 19 }, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  [
    {
      op: 'hadamard',
      num: 3,
      dim: 5,
      tensors: {
        a: Array.from({ length: 15 }, (_, i) => i * 7 - 20),
        b: Array.from({ length: 15 }, (_, i) => 3 - i),
        c: Array.from({ length: 15 }, (_, i) => (i * 7 - 20) * (3 - i)),
      },
    },
    '287d54a69481ba49c3bd5a73d4fe3210dd19ec733e8a13b146186c3c357b9fbf',
  ],
  [{ op: 'tlookup-range', num: 4, dim: 1000, low: -100, len: 300, seed: 14 }, '19baaaed7d002a4c4fe2490377c4a02e664df971f372b485bee272667439ed48'],
  [{ op: 'tlookup-range', num: 1, dim: 1, low: 0, len: 4, seed: 4 }, '54eac08c90f651eda7d9528e7a221a6717d86234a01aeb11b6bde7d284ea28c4'],
  [{ op: 'tlookup-map', num: 3, dim: 500, low: 3, len: 256, seed: 15 }, '5850e5d2904fc9d08cf6a62ca32972139582a8f588305943006a9d3bae8db681'],
];

describe('split-eq sumchecks', () => {
  test('give the proof bytes of the full eq table (pinned before split-eq), and verify', () => {
    for (const [spec, want] of pinned) {
      const r = prove({ ...spec, backend: 'cpu' });
      assert.equal(digest(r.proof), want, `${spec.op} ${JSON.stringify({ ...spec, tensors: undefined })}`);
      assert.ok(verify(r.statement, r.proof), `${spec.op} verifies`);
    }
  });
});
