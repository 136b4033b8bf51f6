// G1 (native) against @noble/curves: encodings, add/double/mul, MSM and the elementwise batches.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { g1, G1_POINT_BYTES } from '../src';
import { Rng } from './helpers/rng';
import { P, mod, frCase, bigToHex } from './helpers/field';
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { G1, NPoint, IDENTITY_BYTES, enc, dec, nmul, randomPoint, RefPoint, hex, rawPoint } from './helpers/g1ref';

/** Byte-equality with a readable message. */
function sameBytes(got: Uint8Array, want: Uint8Array, what: string): void {
  assert.ok(got instanceof Uint8Array, `${what}: result is not a Uint8Array`);
  assert.equal(got.length, G1_POINT_BYTES, `${what}: result has ${got.length} bytes`);
  if (hex(got) !== hex(want)) assert.fail(`${what}:\n  got      ${hex(got)}\n  expected ${hex(want)}`);
}

const ID = G1.ZERO;
const ref = (pt: NPoint): RefPoint => ({ pt, bytes: enc(pt) });

describe('g1: encodings', () => {
  test('generator() is the standard generator, byte-equal to noble BASE', () => {
    sameBytes(g1.generator(), enc(G1.BASE), 'g1.generator()');
    assert.ok(dec(g1.generator()).equals(G1.BASE));
  });
  test('noble encodes the identity as 0x40 followed by 95 zero bytes', () => {
    sameBytes(enc(ID), IDENTITY_BYTES, 'noble identity');
  });
  test('random points round-trip through the kit unchanged (P + O = P)', () => {
    const rng = new Rng('g1.roundtrip');
    for (let i = 0; i < 10; i++) {
      const p = randomPoint(rng);
      sameBytes(g1.add(p.bytes, IDENTITY_BYTES), p.bytes, `P + O for P=${hex(p.bytes)} ${rng.tag}`);
    }
  });
});

describe('g1: add/double/mul against noble', () => {
  let pool: RefPoint[] = [];
  before(() => {
    const rng = new Rng('g1.pool');
    pool = Array.from({ length: 24 }, () => randomPoint(rng));
  });

  test('add: 150 random pairs', () => {
    const rng = new Rng('g1.add');
    for (let i = 0; i < 150; i++) {
      const a = rng.pick(pool);
      // mix in fresh points so pairs are not only from the pool
      const b = i % 3 === 0 ? randomPoint(rng) : rng.pick(pool);
      const want = enc(a.pt.add(b.pt));
      sameBytes(g1.add(a.bytes, b.bytes), want, `add(${hex(a.bytes)}, ${hex(b.bytes)}) ${rng.tag}`);
    }
  });

  test('add: special cases — identity either side, P + (−P), P + P, P + 2P, −P + P', () => {
    const rng = new Rng('g1.add.special');
    sameBytes(g1.add(IDENTITY_BYTES, IDENTITY_BYTES), IDENTITY_BYTES, 'O + O');
    const G = enc(G1.BASE);
    for (const p of [ref(G1.BASE), ...Array.from({ length: 8 }, () => randomPoint(rng))]) {
      const m = `P=${hex(p.bytes)} ${rng.tag}`;
      const neg = enc(p.pt.negate());
      sameBytes(g1.add(p.bytes, IDENTITY_BYTES), p.bytes, `P + O, ${m}`);
      sameBytes(g1.add(IDENTITY_BYTES, p.bytes), p.bytes, `O + P, ${m}`);
      sameBytes(g1.add(p.bytes, neg), IDENTITY_BYTES, `P + (−P), ${m}`);
      sameBytes(g1.add(neg, p.bytes), IDENTITY_BYTES, `(−P) + P, ${m}`);
      const dbl = enc(p.pt.double());
      sameBytes(g1.add(p.bytes, p.bytes), dbl, `P + P, ${m}`);
      sameBytes(g1.add(p.bytes, p.bytes), g1.double(p.bytes), `P + P = double(P), ${m}`);
      sameBytes(g1.add(p.bytes, dbl), enc(p.pt.multiply(3n)), `P + 2P, ${m}`);
      sameBytes(g1.add(dbl, p.bytes), enc(p.pt.multiply(3n)), `2P + P, ${m}`);
      sameBytes(g1.add(neg, neg), enc(p.pt.negate().double()), `(−P) + (−P), ${m}`);
      sameBytes(g1.add(p.bytes, G), enc(p.pt.add(G1.BASE)), `P + G, ${m}`);
    }
  });

  test('add is commutative and associative on random points', () => {
    const rng = new Rng('g1.add.laws');
    for (let i = 0; i < 20; i++) {
      const [a, b, c] = [rng.pick(pool), rng.pick(pool), rng.pick(pool)];
      const m = rng.tag;
      sameBytes(g1.add(a.bytes, b.bytes), g1.add(b.bytes, a.bytes), `a+b = b+a ${m}`);
      sameBytes(g1.add(g1.add(a.bytes, b.bytes), c.bytes), g1.add(a.bytes, g1.add(b.bytes, c.bytes)), `(a+b)+c ${m}`);
    }
  });

  test('double: 60 random points, the generator and the identity', () => {
    const rng = new Rng('g1.double');
    sameBytes(g1.double(IDENTITY_BYTES), IDENTITY_BYTES, 'double(O)');
    sameBytes(g1.double(enc(G1.BASE)), enc(G1.BASE.double()), 'double(G)');
    for (let i = 0; i < 60; i++) {
      const a = i % 2 ? rng.pick(pool) : randomPoint(rng);
      sameBytes(g1.double(a.bytes), enc(a.pt.double()), `double(${hex(a.bytes)}) ${rng.tag}`);
    }
    // repeated doubling: 2^k·P for k up to 40
    let acc = pool[0].bytes;
    let want = pool[0].pt;
    for (let k = 1; k <= 40; k++) {
      acc = g1.double(acc);
      want = want.double();
      sameBytes(acc, enc(want), `2^${k}·P ${rng.tag}`);
    }
  });

  test('mul: 100 random (point, scalar) pairs, scalars biased to edge values', () => {
    const rng = new Rng('g1.mul');
    for (let i = 0; i < 100; i++) {
      const a = rng.pick(pool);
      const k = frCase(rng);
      sameBytes(g1.mul(a.bytes, k), enc(nmul(a.pt, k)), `mul(${hex(a.bytes)}, ${bigToHex(k)}) ${rng.tag}`);
    }
  });

  test('mul of the generator by random scalars equals noble BASE.multiply', () => {
    const rng = new Rng('g1.mul.base');
    const G = g1.generator();
    for (let i = 0; i < 30; i++) {
      const k = 1n + rng.below(P - 1n);
      sameBytes(g1.mul(G, k), enc(G1.BASE.multiply(k)), `mul(G, ${bigToHex(k)}) ${rng.tag}`);
    }
  });

  test('mul: special scalars 0, 1, 2, 3, p−1, p−2, (p−1)/2, and the identity point', () => {
    const rng = new Rng('g1.mul.special');
    for (const p of [ref(G1.BASE), ...Array.from({ length: 4 }, () => randomPoint(rng))]) {
      const m = `P=${hex(p.bytes)} ${rng.tag}`;
      sameBytes(g1.mul(p.bytes, 0n), IDENTITY_BYTES, `0·P, ${m}`);
      sameBytes(g1.mul(p.bytes, 1n), p.bytes, `1·P, ${m}`);
      sameBytes(g1.mul(p.bytes, 2n), enc(p.pt.double()), `2·P, ${m}`);
      sameBytes(g1.mul(p.bytes, 3n), enc(p.pt.multiply(3n)), `3·P, ${m}`);
      sameBytes(g1.mul(p.bytes, P - 1n), enc(p.pt.negate()), `(p−1)·P = −P, ${m}`);
      sameBytes(g1.mul(p.bytes, P - 2n), enc(p.pt.double().negate()), `(p−2)·P = −2P, ${m}`);
      sameBytes(g1.mul(p.bytes, (P - 1n) / 2n), enc(p.pt.multiply((P - 1n) / 2n)), `((p−1)/2)·P, ${m}`);
    }
    for (const k of [0n, 1n, 2n, P - 1n, 1n + rng.below(P - 1n)])
      sameBytes(g1.mul(IDENTITY_BYTES, k), IDENTITY_BYTES, `${bigToHex(k)}·O ${rng.tag}`);
  });

  test('mul is linear: a·P + b·P = (a+b)·P and a·(b·P) = (ab)·P', () => {
    const rng = new Rng('g1.mul.linear');
    for (let i = 0; i < 15; i++) {
      const p = rng.pick(pool).bytes;
      const a = frCase(rng);
      const b = frCase(rng);
      const m = `a=${bigToHex(a)} b=${bigToHex(b)} ${rng.tag}`;
      sameBytes(g1.add(g1.mul(p, a), g1.mul(p, b)), g1.mul(p, mod(a + b)), `a·P + b·P, ${m}`);
      sameBytes(g1.mul(g1.mul(p, b), a), g1.mul(p, mod(a * b)), `a·(b·P), ${m}`);
    }
  });
});

describe('g1.msm (cpu) against noble Σ kᵢ·Pᵢ', () => {
  let distinct: RefPoint[] = [];
  before(() => {
    const rng = new Rng('g1.msm.pool');
    distinct = Array.from({ length: 700 }, () => randomPoint(rng));
  });

  /** n points: mostly distinct random points, with repeats, negations, the generator and the
   *  identity planted; scalars from the edge-biased mix plus 0, 1 and p−1 planted. */
  function instance(rng: Rng, n: number): { pts: NPoint[]; bytes: Uint8Array[]; ks: bigint[] } {
    const refs: RefPoint[] = Array.from({ length: n }, (_, i) => distinct[(i * 7 + rng.int(distinct.length)) % distinct.length]);
    const ks = Array.from({ length: n }, () => frCase(rng));
    if (n >= 3) {
      const plant = (what: () => void, times: number) => {
        for (let t = 0; t < times; t++) what();
      };
      const few = Math.max(1, Math.floor(n / 20));
      plant(() => (ks[rng.int(n)] = 0n), few);
      plant(() => (ks[rng.int(n)] = 1n), few);
      plant(() => (ks[rng.int(n)] = P - 1n), few);
      plant(() => (refs[rng.int(n)] = { pt: G1.ZERO, bytes: IDENTITY_BYTES }), few);
      plant(() => (refs[rng.int(n)] = refs[rng.int(n)]), few); // repeated points
      plant(() => {
        const src = refs[rng.int(n)];
        refs[rng.int(n)] = ref(src.pt.negate());
      }, few);
      refs[rng.int(n)] = ref(G1.BASE);
    }
    return { pts: refs.map((r) => r.pt), bytes: refs.map((r) => r.bytes), ks };
  }

  function nobleMsm(pts: NPoint[], ks: bigint[]): Uint8Array {
    let acc = G1.ZERO;
    for (let i = 0; i < pts.length; i++) acc = acc.add(nmul(pts[i], ks[i]));
    return enc(acc);
  }

  for (const n of [1, 2, 3, 5, 17, 100, 257, 1000]) {
    test(`${n} point${n > 1 ? 's' : ''}`, () => {
      const rng = new Rng(`g1.msm/${n}`);
      const { pts, bytes, ks } = instance(rng, n);
      const got = g1.msm(bytes, ks, { backend: 'cpu' });
      sameBytes(got, nobleMsm(pts, ks), `msm of ${n} ${rng.tag}`);
    });
  }

  test('1 point with scalars 0, 1, 2, p−1, and random', () => {
    const rng = new Rng('g1.msm/1-special');
    const p = rng.pick(distinct);
    for (const k of [0n, 1n, 2n, P - 1n, P - 2n, frCase(rng)])
      sameBytes(g1.msm([p.bytes], [k], { backend: 'cpu' }), enc(nmul(p.pt, k)), `msm([P], [${bigToHex(k)}]) ${rng.tag}`);
    sameBytes(g1.msm([IDENTITY_BYTES], [5n], { backend: 'cpu' }), IDENTITY_BYTES, 'msm([O], [5])');
  });

  test('empty MSM is the identity', () => {
    sameBytes(g1.msm([], [], { backend: 'cpu' }), IDENTITY_BYTES, 'msm([], [])');
  });

  test('cancelling sums give the identity', () => {
    const rng = new Rng('g1.msm/cancel');
    for (const n of [2, 16, 200]) {
      const half = n / 2;
      const ps = Array.from({ length: half }, () => rng.pick(distinct));
      const ks = Array.from({ length: half }, () => frCase(rng));
      // Σ k·P + Σ (p−k)·P = O
      const bytes = [...ps.map((p) => p.bytes), ...ps.map((p) => p.bytes)];
      const scal = [...ks, ...ks.map((k) => mod(-k))];
      sameBytes(g1.msm(bytes, scal, { backend: 'cpu' }), IDENTITY_BYTES, `Σk·P + Σ(−k)·P, n=${n} ${rng.tag}`);
      // Σ k·P + Σ k·(−P) = O
      const bytes2 = [...ps.map((p) => p.bytes), ...ps.map((p) => enc(p.pt.negate()))];
      sameBytes(g1.msm(bytes2, [...ks, ...ks], { backend: 'cpu' }), IDENTITY_BYTES, `Σk·P + Σk·(−P), n=${n} ${rng.tag}`);
    }
  });

  test('all-zero scalars and all-identity points give the identity', () => {
    const rng = new Rng('g1.msm/zeros');
    for (const n of [1, 7, 300]) {
      const ps = Array.from({ length: n }, () => rng.pick(distinct).bytes);
      sameBytes(g1.msm(ps, new Array<bigint>(n).fill(0n), { backend: 'cpu' }), IDENTITY_BYTES, `zero scalars, n=${n}`);
      const ks = Array.from({ length: n }, () => frCase(rng));
      sameBytes(
        g1.msm(new Array<Uint8Array>(n).fill(IDENTITY_BYTES), ks, { backend: 'cpu' }),
        IDENTITY_BYTES,
        `identity points, n=${n} ${rng.tag}`,
      );
    }
  });

  test('the same point n times: Σ kᵢ·P = (Σ kᵢ)·P (all scalars p−1, and random)', () => {
    const rng = new Rng('g1.msm/same-point');
    const p = rng.pick(distinct);
    for (const n of [2, 64, 513]) {
      const all = new Array<bigint>(n).fill(P - 1n);
      sameBytes(g1.msm(new Array(n).fill(p.bytes), all, { backend: 'cpu' }), enc(nmul(p.pt, mod(-BigInt(n)))), `n·(p−1)·P, n=${n}`);
      const ks = Array.from({ length: n }, () => frCase(rng));
      const sum = ks.reduce((a, b) => mod(a + b), 0n);
      sameBytes(g1.msm(new Array(n).fill(p.bytes), ks, { backend: 'cpu' }), enc(nmul(p.pt, sum)), `Σk·P, n=${n} ${rng.tag}`);
    }
  });

  test('default and auto backends agree with cpu', () => {
    const rng = new Rng('g1.msm/backends');
    const { bytes, ks } = instance(rng, 64);
    const cpu = g1.msm(bytes, ks, { backend: 'cpu' });
    sameBytes(g1.msm(bytes, ks), cpu, `default backend ${rng.tag}`);
    sameBytes(g1.msm(bytes, ks, { backend: 'auto' }), cpu, `auto backend ${rng.tag}`);
  });
});

describe('g1.elementwise (cpu) against noble', () => {
  const N = 50;
  let pool: RefPoint[] = [];
  before(() => {
    const rng = new Rng('g1.elementwise.pool');
    pool = Array.from({ length: 30 }, () => randomPoint(rng));
  });
  const O: RefPoint = { pt: G1.ZERO, bytes: IDENTITY_BYTES };

  test(`add over ${N} pairs (with O, P+P and P+(−P) pairs)`, () => {
    const rng = new Rng('g1.elementwise/add');
    const ps: RefPoint[] = [];
    const qs: RefPoint[] = [];
    for (let i = 0; i < N; i++) {
      const a = rng.pick(pool);
      const kind = i % 6;
      const b = kind === 1 ? O : kind === 2 ? a : kind === 3 ? ref(a.pt.negate()) : rng.pick(pool);
      ps.push(kind === 4 ? O : a);
      qs.push(b);
    }
    const got = g1.elementwise('add', ps.map((p) => p.bytes), qs.map((q) => q.bytes), { backend: 'cpu' });
    assert.equal(got.length, N);
    for (let i = 0; i < N; i++) sameBytes(got[i], enc(ps[i].pt.add(qs[i].pt)), `elementwise add[${i}] ${rng.tag}`);
  });

  test(`double over ${N} points (with O)`, () => {
    const rng = new Rng('g1.elementwise/double');
    const ps = Array.from({ length: N }, (_, i) => (i % 7 === 3 ? O : rng.pick(pool)));
    const got = g1.elementwise('double', ps.map((p) => p.bytes), null, { backend: 'cpu' });
    assert.equal(got.length, N);
    for (let i = 0; i < N; i++) sameBytes(got[i], enc(ps[i].pt.double()), `elementwise double[${i}] ${rng.tag}`);
  });

  test(`mul over ${N} (point, scalar) pairs (with O and scalars 0, 1, p−1)`, () => {
    const rng = new Rng('g1.elementwise/mul');
    const ps = Array.from({ length: N }, (_, i) => (i % 9 === 4 ? O : rng.pick(pool)));
    const ks = Array.from({ length: N }, (_, i) => [0n, 1n, P - 1n][i % 11] ?? frCase(rng));
    const got = g1.elementwise('mul', ps.map((p) => p.bytes), ks, { backend: 'cpu' });
    assert.equal(got.length, N);
    for (let i = 0; i < N; i++)
      sameBytes(got[i], enc(nmul(ps[i].pt, ks[i])), `elementwise mul[${i}] k=${bigToHex(ks[i])} ${rng.tag}`);
  });

  test('empty batches give empty results', () => {
    assert.deepEqual(g1.elementwise('add', [], [], { backend: 'cpu' }), []);
    assert.deepEqual(g1.elementwise('double', [], null, { backend: 'cpu' }), []);
    assert.deepEqual(g1.elementwise('mul', [], [], { backend: 'cpu' }), []);
  });
});

describe('g1.msm (cpu) on larger inputs, checked through discrete logs', () => {
  // Points Pᵢ = (a + i·s)·G built with noble by repeated addition (cheap), so Σ kᵢ·Pᵢ = (Σ kᵢ·(a + i·s))·G.
  // Sizes past 4095 reach the MSM's other window-size branch.
  for (const n of [4100, 6000]) {
    test(`${n} points`, () => {
      const rng = new Rng(`g1.msm.dlog/${n}`);
      const a = 1n + rng.below(P - 1n);
      const s = 1n + rng.below(P - 1n);
      const S = G1.BASE.multiply(s);
      const proj: NPoint[] = [];
      let cur = G1.BASE.multiply(a);
      for (let i = 0; i < n; i++) {
        proj.push(cur);
        cur = cur.add(S);
      }
      const bytes = normalizeZ(G1, proj).map((p) => {
        const { x, y } = p.toAffine();
        return rawPoint(x, y);
      });
      // spot-check the hand encoding against noble's encoder
      for (let t = 0; t < 3; t++) {
        const i = rng.int(n);
        sameBytes(bytes[i], enc(proj[i]), `encoding of point ${i} ${rng.tag}`);
      }
      const ks = Array.from({ length: n }, () => frCase(rng));
      let dlog = 0n;
      for (let i = 0; i < n; i++) dlog = mod(dlog + ks[i] * mod(a + BigInt(i) * s));
      sameBytes(g1.msm(bytes, ks, { backend: 'cpu' }), enc(nmul(G1.BASE, dlog)), `msm of ${n} ${rng.tag}`);
    });
  }
});
