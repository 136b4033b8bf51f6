// Fr arithmetic (native) against plain bigint arithmetic mod p.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fr, FR_MODULUS } from '../src';
import { Rng } from './helpers/rng';
import { P, mod, modpow, frCase, frNonzero, FR_SPECIALS, bigToHex } from './helpers/field';

const RANDOM_CASES = 10_000;
const h = bigToHex;

type Bin = 'add' | 'sub' | 'mul';
const REF: Record<Bin, (a: bigint, b: bigint) => bigint> = {
  add: (a, b) => mod(a + b),
  sub: (a, b) => mod(a - b),
  mul: (a, b) => mod(a * b),
};

/** Every ordered pair of specials, then RANDOM_CASES random pairs. */
function binaryCases(rng: Rng): [bigint, bigint][] {
  const cases: [bigint, bigint][] = [];
  for (const a of FR_SPECIALS) for (const b of FR_SPECIALS) cases.push([a, b]);
  for (let i = 0; i < RANDOM_CASES; i++) cases.push([frCase(rng), frCase(rng)]);
  return cases;
}

describe('fr: the modulus', () => {
  test('fr.modulus and FR_MODULUS equal the order of G1 published by @noble/curves', () => {
    assert.equal(FR_MODULUS, P);
    assert.equal(fr.modulus, P);
  });
  test('the edge values include 0, 1, p−1 and p−2', () => {
    for (const v of [0n, 1n, P - 1n, P - 2n]) assert.ok(FR_SPECIALS.includes(v));
  });
});

describe('fr: add/sub/mul against bigint arithmetic mod p', () => {
  for (const op of ['add', 'sub', 'mul'] as const) {
    test(`fr.${op}: all pairs of edge values and ${RANDOM_CASES} random pairs`, () => {
      const rng = new Rng(`fr.${op}`);
      const cases = binaryCases(rng);
      assert.ok(cases.length >= RANDOM_CASES);
      for (const [a, b] of cases) {
        const got = fr[op](a, b);
        const want = REF[op](a, b);
        if (got !== want) assert.fail(`fr.${op}(${h(a)}, ${h(b)}) = ${h(got)}, expected ${h(want)} ${rng.tag}`);
      }
    });
  }

  test('add/sub/mul identities: a+0=a, a−a=0, a·1=a, a·0=0, a+(p−a)=0, (a−b)+b=a', () => {
    const rng = new Rng('fr.identities');
    for (let i = 0; i < 2000; i++) {
      const a = frCase(rng);
      const b = frCase(rng);
      const m = `a=${h(a)} b=${h(b)} ${rng.tag}`;
      assert.equal(fr.add(a, 0n), a, m);
      assert.equal(fr.sub(a, a), 0n, m);
      assert.equal(fr.mul(a, 1n), a, m);
      assert.equal(fr.mul(a, 0n), 0n, m);
      assert.equal(fr.add(a, mod(-a)), 0n, m);
      assert.equal(fr.add(fr.sub(a, b), b), a, m);
      assert.equal(fr.mul(a, b), fr.mul(b, a), m);
    }
  });
});

describe('fr: inversion', () => {
  test(`fr.inv: every nonzero edge value and ${RANDOM_CASES} random values; x·inv(x) = 1 and inv(x) = x^(p−2)`, () => {
    const rng = new Rng('fr.inv');
    const xs = FR_SPECIALS.filter((x) => x !== 0n);
    for (let i = 0; i < RANDOM_CASES; i++) xs.push(frNonzero(rng));
    for (const x of xs) {
      const y = fr.inv(x);
      if (!(y >= 0n && y < P)) assert.fail(`fr.inv(${h(x)}) = ${h(y)} is not in [0, p) ${rng.tag}`);
      if (mod(x * y) !== 1n) assert.fail(`fr.inv(${h(x)}) = ${h(y)}, but x·y mod p = ${h(mod(x * y))} ${rng.tag}`);
      const want = modpow(x, P - 2n);
      if (y !== want) assert.fail(`fr.inv(${h(x)}) = ${h(y)}, expected x^(p−2) = ${h(want)} ${rng.tag}`);
    }
  });

  test('fr.inv(0) throws', () => {
    assert.throws(() => fr.inv(0n), /zero|inverse/i);
  });

  test('fr.inv(1) = 1 and fr.inv(p−1) = p−1', () => {
    assert.equal(fr.inv(1n), 1n);
    assert.equal(fr.inv(P - 1n), P - 1n);
  });
});

describe('fr.batchInverse (cpu)', () => {
  for (const n of [0, 1, 2, 3, 1000, 5000, 5003]) {
    test(`size ${n}: equals the per-element inverse x^(p−2)`, () => {
      const rng = new Rng(`fr.batchInverse/${n}`);
      const xs = Array.from({ length: n }, () => frNonzero(rng));
      if (n >= 8) {
        // plant edge values and repeated elements at random positions
        xs[rng.int(n)] = 1n;
        xs[rng.int(n)] = P - 1n;
        xs[rng.int(n)] = xs[rng.int(n)];
      }
      const before = xs.slice();
      const got = fr.batchInverse(xs, { backend: 'cpu' });
      assert.deepEqual(xs, before, 'batchInverse must not modify its input');
      assert.equal(got.length, n, `length ${rng.tag}`);
      for (let i = 0; i < n; i++) {
        const want = modpow(xs[i], P - 2n);
        if (got[i] !== want)
          assert.fail(`batchInverse[${i}] of ${h(xs[i])} = ${h(got[i])}, expected ${h(want)} (n=${n}) ${rng.tag}`);
      }
    });
  }

  test('default and auto backends agree with cpu', () => {
    const rng = new Rng('fr.batchInverse/backends');
    const xs = Array.from({ length: 777 }, () => frNonzero(rng));
    const cpu = fr.batchInverse(xs, { backend: 'cpu' });
    assert.deepEqual(fr.batchInverse(xs), cpu, rng.tag);
    assert.deepEqual(fr.batchInverse(xs, { backend: 'auto' }), cpu, rng.tag);
  });

  test('a zero anywhere throws, naming its index', () => {
    const rng = new Rng('fr.batchInverse/zero');
    for (const n of [1, 2, 1000, 5000]) {
      const positions = [...new Set([0, n - 1, rng.int(n)])];
      for (const at of positions) {
        const xs = Array.from({ length: n }, () => frNonzero(rng));
        xs[at] = 0n;
        assert.throws(
          () => fr.batchInverse(xs, { backend: 'cpu' }),
          (e: unknown) => e instanceof Error && new RegExp(`\\[${at}\\]`).test(e.message) && /zero/i.test(e.message),
          `zero at index ${at} of ${n} ${rng.tag}`,
        );
      }
    }
  });
});

describe('fr.elementwise (cpu)', () => {
  const N = RANDOM_CASES + 7; // not a multiple of the thread count
  for (const op of ['add', 'sub', 'mul'] as const) {
    test(`${op} over ${N} random pairs with edge values`, () => {
      const rng = new Rng(`fr.elementwise/${op}`);
      const xs = Array.from({ length: N }, (_, i) => (i < FR_SPECIALS.length ? FR_SPECIALS[i] : frCase(rng)));
      const ys = Array.from({ length: N }, (_, i) =>
        i < FR_SPECIALS.length ? FR_SPECIALS[FR_SPECIALS.length - 1 - i] : frCase(rng),
      );
      const got = fr.elementwise(op, xs, ys, { backend: 'cpu' });
      assert.equal(got.length, N);
      for (let i = 0; i < N; i++) {
        const want = REF[op](xs[i], ys[i]);
        if (got[i] !== want)
          assert.fail(`elementwise ${op}[${i}](${h(xs[i])}, ${h(ys[i])}) = ${h(got[i])}, expected ${h(want)} ${rng.tag}`);
      }
    });
  }

  test(`inv over ${N} values maps 0 to 0 and x to x^(p−2)`, () => {
    const rng = new Rng('fr.elementwise/inv');
    const xs = Array.from({ length: N }, (_, i) => (i < FR_SPECIALS.length ? FR_SPECIALS[i] : frCase(rng)));
    xs[rng.int(N)] = 0n;
    const got = fr.elementwise('inv', xs, null, { backend: 'cpu' });
    assert.equal(got.length, N);
    for (let i = 0; i < N; i++) {
      const want = xs[i] === 0n ? 0n : modpow(xs[i], P - 2n);
      if (got[i] !== want) assert.fail(`elementwise inv[${i}](${h(xs[i])}) = ${h(got[i])}, expected ${h(want)} ${rng.tag}`);
    }
  });

  test('empty and single-element inputs', () => {
    for (const op of ['add', 'sub', 'mul'] as const) {
      assert.deepEqual(fr.elementwise(op, [], [], { backend: 'cpu' }), []);
      assert.deepEqual(fr.elementwise(op, [P - 1n], [2n], { backend: 'cpu' }), [REF[op](P - 1n, 2n)]);
    }
    assert.deepEqual(fr.elementwise('inv', [], null, { backend: 'cpu' }), []);
    assert.deepEqual(fr.elementwise('inv', [2n], null, { backend: 'cpu' }), [(P + 1n) / 2n]);
  });

  test('default and auto backends agree with cpu', () => {
    const rng = new Rng('fr.elementwise/backends');
    const xs = Array.from({ length: 513 }, () => frCase(rng));
    const ys = Array.from({ length: 513 }, () => frCase(rng));
    for (const op of ['add', 'sub', 'mul'] as const) {
      const cpu = fr.elementwise(op, xs, ys, { backend: 'cpu' });
      assert.deepEqual(fr.elementwise(op, xs, ys), cpu, rng.tag);
      assert.deepEqual(fr.elementwise(op, xs, ys, { backend: 'auto' }), cpu, rng.tag);
    }
  });
});
