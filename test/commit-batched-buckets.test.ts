// Sizes at which the CPU bucket method batches its additions in affine form (a thousand buckets or
// more per window: rows of 2^12 to 2^14 columns, MSMs of thousands of points), against @noble/curves: row
// commitments on both paths, and MSMs whose buckets receive the same point again (a doubling) or
// its negation (a cancellation), the cases a batched affine addition cannot take.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commitments, g1 } from '../src';
import { G1, NPoint, enc, hex, nmul } from './helpers/g1ref';
import { P, mod } from './helpers/field';
import { Rng } from './helpers/rng';

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-buckets-'));
  process.env.ZKLLM_CACHE_DIR = tmp;
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LABEL = 'zkllm-test-batched-buckets';
const W = 2 ** 12;
const W_INT = 2 ** 14;

/** The generators as noble points, read without noble's subgroup check (0.8 ms a point); the
 *  generator tests check membership on smaller sets. */
function noblePoints(packed: G1Point[]): NPoint[] {
  return packed.map((b) => {
    const big = (o: number) => BigInt('0x' + Buffer.from(b.subarray(o, o + 48)).toString('hex'));
    return G1.fromAffine({ x: big(0), y: big(48) });
  });
}
type G1Point = Uint8Array;

describe('batched buckets: long rows', () => {
  let g: NPoint[] = [];
  before(() => {
    g = noblePoints(commitments.generators(LABEL, W_INT).g);
  });

  // 21-bit digits over 2^14 columns: two windows of 11 bits, 2047 buckets each.
  test('int32 path, 2^14 columns, 20-bit signed values, a full row and a ragged one', () => {
    const rng = new Rng('buckets.int32');
    const n = W_INT + 77;
    const t = Int32Array.from({ length: n }, () => rng.int(1 << 21) - (1 << 20));
    const c = commitments.commit(t, { genDim: W_INT, label: LABEL });
    assert.equal(c.rows.length, 2);
    for (let r = 0; r < 2; r++) {
      let acc = G1.ZERO;
      for (let k = 0; k < W_INT && r * W_INT + k < n; k++) {
        const v = t[r * W_INT + k];
        if (v !== 0) acc = acc.add(v > 0 ? g[k].multiplyUnsafe(BigInt(v)) : g[k].multiplyUnsafe(BigInt(-v)).negate());
      }
      assert.equal(hex(c.rows[r]), hex(enc(acc)), `row ${r} ${rng.tag}`);
    }
  });

  // 255-bit digits over 2^12 columns: windows of 10 bits, 1023 buckets each.
  test('field path, 2^12 columns, full-width values: p − k for small k, and some uniform elements', () => {
    const rng = new Rng('buckets.field');
    const t: bigint[] = Array.from({ length: W }, () => P - 1n - rng.bits(20));
    const uniform = new Set<number>();
    while (uniform.size < 24) uniform.add(rng.int(W));
    for (const i of uniform) t[i] = rng.below(P);
    const c = commitments.commit(t, { genDim: W, label: LABEL });
    let acc = G1.ZERO;
    for (let k = 0; k < W; k++)
      acc = acc.add(uniform.has(k) ? nmul(g[k], t[k]) : g[k].multiplyUnsafe(P - t[k]).negate());
    assert.equal(hex(c.rows[0]), hex(enc(acc)), rng.tag);
  });
});

describe('batched buckets: MSMs with repeated and opposite points', () => {
  test('6000 points drawn from four points and their negations, random scalars', () => {
    const rng = new Rng('buckets.repeated');
    const pool = Array.from({ length: 4 }, () => G1.BASE.multiply(1n + rng.below(P - 1n)));
    const choices = [...pool, ...pool.map((p) => p.negate())];
    const picks = Array.from({ length: 6000 }, () => rng.int(choices.length));
    const ks = picks.map(() => rng.below(P));
    // Σ kᵢ·Pᵢ grouped by pool point: the negations subtract.
    const coef = pool.map(() => 0n);
    picks.forEach((c, i) => {
      coef[c % 4] = mod(coef[c % 4] + (c < 4 ? ks[i] : -ks[i]));
    });
    const want = coef.reduce((acc, k, j) => acc.add(nmul(pool[j], k)), G1.ZERO);
    const got = g1.msm(picks.map((c) => enc(choices[c])), ks, { backend: 'cpu' });
    assert.equal(hex(got), hex(enc(want)), rng.tag);
  });

  test('one point 5000 times: k·P summed, and k, −k pairs cancelling to the identity', () => {
    const rng = new Rng('buckets.single');
    const p = G1.BASE.multiply(1n + rng.below(P - 1n));
    const ks = Array.from({ length: 5000 }, () => rng.below(P));
    const sum = ks.reduce((a, k) => mod(a + k), 0n);
    const pts = Array(5000).fill(enc(p));
    assert.equal(hex(g1.msm(pts, ks, { backend: 'cpu' })), hex(enc(nmul(p, sum))), rng.tag);
    const pairs = ks.slice(0, 2500).flatMap((k) => [k, mod(-k)]);
    assert.equal(hex(g1.msm(pts, pairs, { backend: 'cpu' })), hex(enc(G1.ZERO)), rng.tag);
  });
});
