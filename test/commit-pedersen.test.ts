// Row-wise Pedersen commitments against sums computed with @noble/curves: the int32 path (signed,
// with 0 and the int32 extremes) and the field path (0, 1, p−1 and random elements), several row
// lengths and tensor lengths (padding included), agreement of the two paths, and homomorphism.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commitments, info, g1, TensorCommitment } from '../src';
import { G1, NPoint, enc, hex, nmul, IDENTITY_BYTES } from './helpers/g1ref';
import { P, mod, FR_SPECIALS } from './helpers/field';
import { Rng } from './helpers/rng';

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-commit-'));
  process.env.ZKLLM_CACHE_DIR = tmp;
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LABEL = 'zkllm-test-pedersen';
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const genCache = new Map<number, NPoint[]>();
function gens(w: number): NPoint[] {
  if (!genCache.has(w)) genCache.set(w, commitments.generators(LABEL, w).g.map((b) => G1.fromBytes(b)));
  return genCache.get(w)!;
}

/** Σ t[r·w + c]·g_c per row, with noble; values as integers taken mod p. */
function reference(values: readonly bigint[], w: number): string[] {
  const g = gens(w);
  const rows: string[] = [];
  for (let r = 0; r * w < values.length; r++) {
    let acc = G1.ZERO;
    for (let c = 0; c < w && r * w + c < values.length; c++) acc = acc.add(nmul(g[c], mod(values[r * w + c])));
    rows.push(hex(enc(acc)));
  }
  return rows;
}

function sameRows(got: TensorCommitment, want: string[], what: string): void {
  assert.equal(got.rows.length, want.length, `${what}: ${got.rows.length} rows, expected ${want.length}`);
  got.rows.forEach((row, i) => {
    assert.ok(row instanceof Uint8Array && row.length === 96, `${what}: row ${i} is not 96 bytes`);
    if (hex(row) !== want[i]) assert.fail(`${what}: row ${i}\n  got      ${hex(row)}\n  expected ${want[i]}`);
  });
}

function randomInt32(rng: Rng, bits: number): number {
  const mag = bits >= 32 ? rng.u32() : rng.int(2 ** bits);
  return rng.chance(0.5) ? -(mag | 0) | 0 : mag | 0;
}

// Shapes: n below w, equal to w, one past, several rows, and a ragged last row.
const SHAPES: [number, number][] = [
  [1, 1], [1, 5], [2, 1], [2, 3], [4, 4], [8, 7], [8, 8], [8, 9], [8, 29], [16, 50], [64, 64], [64, 100], [256, 300],
];

describe('pedersen commit: int32 path against noble', () => {
  for (const [w, n] of SHAPES) {
    test(`w = ${w}, n = ${n}`, () => {
      const rng = new Rng(`commit.int32.${w}.${n}`);
      const bits = rng.pick([2, 8, 17, 31, 32]);
      const t = new Int32Array(n);
      for (let i = 0; i < n; i++) t[i] = randomInt32(rng, bits);
      // edge values in fixed places when they fit
      const edges = [0, -1, 1, INT32_MIN, INT32_MAX, 0];
      edges.forEach((v, k) => {
        if (k < n && rng.chance(0.7)) t[(k * 7) % n] = v;
      });
      const c = commitments.commit(t, { genDim: w, label: LABEL });
      assert.equal(c.path, 'int32');
      assert.equal(c.length, n);
      assert.equal(c.genDim, w);
      sameRows(c, reference(Array.from(t, BigInt), w), `int32 w=${w} n=${n} bits=${bits} ${rng.tag}`);
    });
  }

  test('small magnitudes spread over several threads\' column chunks (one row, one window)', () => {
    const rng = new Rng('commit.int32.chunks');
    const t = Int32Array.from({ length: 256 }, () => rng.int(7) - 3);
    sameRows(commitments.commit(t, { genDim: 256, label: LABEL }), reference(Array.from(t, BigInt), 256), `chunks ${rng.tag}`);
  });

  test('all-zero tensors commit to the identity in every row', () => {
    const c = commitments.commit(new Int32Array(20), { genDim: 8, label: LABEL });
    assert.equal(c.rows.length, 3);
    for (const r of c.rows) assert.equal(hex(r), hex(IDENTITY_BYTES));
    const f = commitments.commit(Array(9).fill(0n), { genDim: 4, label: LABEL });
    for (const r of f.rows) assert.equal(hex(r), hex(IDENTITY_BYTES));
  });

  test('t and −t commit to negated points', () => {
    const rng = new Rng('commit.int32.negate');
    const t = Int32Array.from({ length: 40 }, () => randomInt32(rng, 31));
    const neg = t.map((v) => -v);
    const a = commitments.commit(t, { genDim: 16, label: LABEL });
    const b = commitments.commit(neg, { genDim: 16, label: LABEL });
    a.rows.forEach((r, i) => assert.ok(G1.fromBytes(r).negate().equals(G1.fromBytes(b.rows[i])), `row ${i} ${rng.tag}`));
  });
});

describe('pedersen commit: field path against noble', () => {
  for (const [w, n] of SHAPES) {
    test(`w = ${w}, n = ${n}`, () => {
      const rng = new Rng(`commit.field.${w}.${n}`);
      const kind = rng.pick(['full', 'small', 'mixed']);
      const t = Array.from({ length: n }, () =>
        kind === 'full' ? rng.below(P) : kind === 'small' ? rng.bits(12) : rng.chance(0.5) ? rng.below(P) : rng.bits(40),
      );
      [P - 1n, 0n, 1n, P - 2n].forEach((v, k) => {
        if (k < n) t[(k * 5) % n] = v;
      });
      const c = commitments.commit(t, { genDim: w, label: LABEL });
      assert.equal(c.path, 'field');
      sameRows(c, reference(t, w), `field w=${w} n=${n} kind=${kind} ${rng.tag}`);
    });
  }

  test('the special field values (powers of two, limb edges, Montgomery constants)', () => {
    const t = [...FR_SPECIALS];
    sameRows(commitments.commit(t, { genDim: 8, label: LABEL }), reference(t, 8), 'FR_SPECIALS');
  });
});

describe('pedersen commit: structure', () => {
  test('int32 and field paths agree (v and v mod p)', () => {
    const rng = new Rng('commit.paths');
    for (const [w, n] of [[8, 29], [32, 32], [16, 100]]) {
      const t = Int32Array.from({ length: n }, () => randomInt32(rng, rng.pick([4, 20, 32])));
      const a = commitments.commit(t, { genDim: w, label: LABEL });
      const b = commitments.commit(Array.from(t, (v) => mod(BigInt(v))), { genDim: w, label: LABEL });
      assert.deepEqual(a.rows.map(hex), b.rows.map(hex), `w=${w} n=${n} ${rng.tag}`);
    }
  });

  test('padding: a ragged tensor commits like its zero-padded version', () => {
    const rng = new Rng('commit.padding');
    for (const [w, n] of [[8, 13], [64, 65], [16, 31]]) {
      const t = Array.from({ length: n }, () => rng.below(P));
      const padded = [...t, ...Array((w - (n % w)) % w).fill(0n)];
      const a = commitments.commit(t, { genDim: w, label: LABEL });
      const b = commitments.commit(padded, { genDim: w, label: LABEL });
      assert.equal(a.rows.length, Math.ceil(n / w));
      assert.deepEqual(a.rows.map(hex), b.rows.map(hex), `w=${w} n=${n} ${rng.tag}`);
    }
  });

  test('homomorphism: commit(a) + commit(b) = commit(a + b), row by row, on both paths', () => {
    const rng = new Rng('commit.homomorphism');
    for (const [w, n] of [[4, 10], [32, 96], [128, 200]]) {
      const a = Array.from({ length: n }, () => rng.below(P));
      const b = Array.from({ length: n }, () => rng.below(P));
      const sum = a.map((x, i) => mod(x + b[i]));
      const ca = commitments.commit(a, { genDim: w, label: LABEL });
      const cb = commitments.commit(b, { genDim: w, label: LABEL });
      const cs = commitments.commit(sum, { genDim: w, label: LABEL });
      ca.rows.forEach((r, i) => assert.equal(hex(g1.add(r, cb.rows[i])), hex(cs.rows[i]), `field row ${i} w=${w} ${rng.tag}`));

      const ia = Int32Array.from({ length: n }, () => randomInt32(rng, 30));
      const ib = Int32Array.from({ length: n }, () => randomInt32(rng, 30));
      const is = ia.map((x, i) => x + ib[i]);  // |a + b| < 2^31
      const ka = commitments.commit(ia, { genDim: w, label: LABEL });
      const kb = commitments.commit(ib, { genDim: w, label: LABEL });
      const ks = commitments.commit(is, { genDim: w, label: LABEL });
      ka.rows.forEach((r, i) => assert.equal(hex(g1.add(r, kb.rows[i])), hex(ks.rows[i]), `int32 row ${i} w=${w} ${rng.tag}`));
    }
  });

  test('an Int32Array view into a larger buffer commits its own elements', () => {
    const rng = new Rng('commit.view');
    const whole = Int32Array.from({ length: 40 }, () => randomInt32(rng, 20));
    const view = whole.subarray(7, 30);
    const a = commitments.commit(view, { genDim: 8, label: LABEL });
    sameRows(a, reference(Array.from(view, BigInt), 8), `view ${rng.tag}`);
  });

  test('the label selects the generators: another label gives other commitments', () => {
    const t = Int32Array.of(1, 2, 3, 4);
    const a = commitments.commit(t, { genDim: 4, label: LABEL });
    const b = commitments.commit(t, { genDim: 4, label: LABEL + '-other' });
    assert.notEqual(hex(a.rows[0]), hex(b.rows[0]));
    const d = commitments.commit(t, { genDim: 4 });
    assert.equal(d.label, 'zkllm-kit-pedersen-v1');
  });
});

describe('pedersen commit: bad input', () => {
  const opts = { genDim: 8, label: LABEL };
  test('empty tensors', () => {
    assert.throws(() => commitments.commit([], opts), /empty tensor/);
    assert.throws(() => commitments.commit(new Int32Array(0), opts), /empty tensor/);
  });
  test('field values out of range or of the wrong type', () => {
    assert.throws(() => commitments.commit([1n, P], opts), /values\[1\] is not below the field modulus p/);
    assert.throws(() => commitments.commit([1n << 300n], opts), /values\[0\]/);
    assert.throws(() => commitments.commit([5n, -1n], opts), /values\[1\] is negative/);
    assert.throws(() => commitments.commit([1n, 2 as unknown as bigint], opts), /values\[1\] must be a bigint/);
  });
  test('values neither an Int32Array nor an array', () => {
    for (const v of [new Uint32Array(4), new Float64Array(4), new BigInt64Array(4), 'abc', 5, null, { length: 3 }])
      assert.throws(() => commitments.commit(v as unknown as bigint[], opts), /Int32Array or an array of bigints/, String(v));
  });
  test('genDim missing, not a power of two, or too large', () => {
    assert.throws(() => commitments.commit([1n], undefined as unknown as { genDim: number }), /genDim/);
    assert.throws(() => commitments.commit([1n], {} as { genDim: number }), /genDim/);
    for (const w of [0, 3, 12, 2 ** 21, 0.5]) assert.throws(() => commitments.commit([1n], { genDim: w }), /genDim/, `genDim ${w}`);
  });
  test('backend cuda without a GPU', () => {
    if (info().devices.length > 0) return;
    assert.throws(() => commitments.commit(Int32Array.of(1), { genDim: 1, backend: 'cuda' }), /no GPU is usable/);
  });
});
