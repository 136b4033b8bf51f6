// Every bad input reaches JS as an Error whose message says what was wrong, and the process
// (and the addon) survive it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fr, g1, Transcript, info, calibrate, setDefaultBackend, getDefaultBackend } from '../src';
import type { Backend } from '../src';
import { Rng } from './helpers/rng';
import { P, Q, mod } from './helpers/field';
import { G1, IDENTITY_BYTES, enc, rawPoint, randomCurvePoint, hex, randomPoint } from './helpers/g1ref';
import { bad, throwsWith } from './helpers/assertions';

/** Bypasses the TypeScript signature to pass a value JS callers could pass. */
const G = enc(G1.BASE);
const GX = G1.BASE.toAffine().x;
const GY = G1.BASE.toAffine().y;
const withByte = (b: Uint8Array, i: number, f: (x: number) => number): Uint8Array => {
  const c = b.slice();
  c[i] = f(c[i]);
  return c;
};

describe('errors: Fr values', () => {
  test('values ≥ p are refused by fr.add/sub/mul/inv, naming the argument', () => {
    for (const v of [P, P + 1n, (1n << 255n), (1n << 256n) - 1n]) {
      for (const op of ['add', 'sub', 'mul'] as const) {
        throwsWith(() => fr[op](v, 1n), /\ba\b/, /not below|>= p|≥ p|modulus/);
        throwsWith(() => fr[op](1n, v), /\bb\b/, /not below|>= p|≥ p|modulus/);
      }
      throwsWith(() => fr.inv(v), /\ba\b/, /not below|>= p|modulus/);
    }
  });

  test('values of 2^256 and above are refused', () => {
    for (const v of [1n << 256n, (1n << 300n) + 5n]) {
      throwsWith(() => fr.add(v, 1n), /\ba\b/, /not below|wider|range/);
      throwsWith(() => fr.mul(2n, v), /\bb\b/, /not below|wider|range/);
    }
  });

  test('negative values are refused', () => {
    throwsWith(() => fr.add(-1n, 1n), /\ba\b/, /negative/);
    throwsWith(() => fr.sub(1n, -P), /\bb\b/, /negative/);
    throwsWith(() => fr.inv(-5n), /negative/);
  });

  test('non-bigint values are refused with a TypeError', () => {
    for (const v of [1, '1', 1.5, null, undefined, {}, [1n]]) {
      assert.throws(() => fr.add(bad(v), 1n), (e: unknown) => e instanceof TypeError && /\ba\b.*bigint/.test(e.message));
      assert.throws(() => fr.mul(1n, bad(v)), (e: unknown) => e instanceof TypeError && /\bb\b.*bigint/.test(e.message));
      assert.throws(() => fr.inv(bad(v)), /bigint/);
    }
  });

  test('batch inputs: values ≥ p, negative, non-bigint and non-arrays name the element', () => {
    throwsWith(() => fr.batchInverse([1n, 2n, P], { backend: 'cpu' }), /xs\[2\]/, />= p|not below|canonical|range/);
    throwsWith(() => fr.batchInverse([1n, -2n], { backend: 'cpu' }), /xs\[1\]/, /range|negative/);
    throwsWith(() => fr.batchInverse([1n, 1n << 256n], { backend: 'cpu' }), /xs\[1\]/, /range|wide/);
    throwsWith(() => fr.batchInverse([1n, bad(2)], { backend: 'cpu' }), /xs\[1\]/, /bigint/);
    throwsWith(() => fr.batchInverse(bad('12')), /xs/, /array/);
    throwsWith(() => fr.elementwise('mul', [1n, 2n, 3n, 4n], [1n, 1n, 1n, P + 7n], { backend: 'cpu' }), /\[3\]/, />= p|not below|canonical/);
    throwsWith(() => fr.elementwise('inv', [P - 1n, P], null, { backend: 'cpu' }), /\[1\]/, />= p|not below|canonical/);
  });

  test('inverting zero: fr.inv(0) and a zero inside batchInverse (naming its index)', () => {
    throwsWith(() => fr.inv(0n), /zero/);
    throwsWith(() => fr.batchInverse([0n], { backend: 'cpu' }), /xs\[0\]/, /zero/);
    throwsWith(() => fr.batchInverse([3n, 1n, 4n, 1n, 5n, 0n, 9n], { backend: 'cpu' }), /xs\[5\]/, /zero/);
  });

  test('elementwise: mismatched lengths and unknown ops', () => {
    throwsWith(() => fr.elementwise('add', [1n, 2n], [1n], { backend: 'cpu' }), /2/, /1/, /element/);
    throwsWith(() => fr.elementwise(bad('pow'), [1n], [1n], { backend: 'cpu' }), /unknown op/, /pow/);
  });
});

describe('errors: G1 point encodings', () => {
  test('wrong lengths and non-Uint8Array points', () => {
    for (const len of [0, 1, 48, 95, 97, 192]) {
      throwsWith(() => g1.add(new Uint8Array(len), G), new RegExp(`\\b${len}\\b`), /96/);
      throwsWith(() => g1.double(new Uint8Array(len)), new RegExp(`\\b${len}\\b`), /96/);
      throwsWith(() => g1.mul(new Uint8Array(len), 1n), new RegExp(`\\b${len}\\b`), /96/);
      throwsWith(() => g1.msm([G, new Uint8Array(len)], [1n, 1n], { backend: 'cpu' }), /points\[1\]/, /96/);
    }
    throwsWith(() => g1.add(G, bad(Array.from(G))), /Uint8Array/);
    throwsWith(() => g1.double(bad('00')), /Uint8Array/);
    throwsWith(() => g1.msm(bad(G), [1n]), /array/);
    throwsWith(() => g1.msm([G, bad(Array.from(G))], [1n, 2n]), /points\[1\]/, /Uint8Array/);
  });

  test('the compressed flag (0x80) is refused, for the identity too', () => {
    throwsWith(() => g1.double(withByte(G, 0, (x) => x | 0x80)), /compressed/);
    throwsWith(() => g1.double(withByte(IDENTITY_BYTES, 0, (x) => x | 0x80)), /compressed/);
    // the 48-byte compressed encoding itself is a length error
    throwsWith(() => g1.double(G1.BASE.toBytes(true)), /48/, /96/);
  });

  test('the sort flag (0x20) is refused on an uncompressed point', () => {
    throwsWith(() => g1.double(withByte(G, 0, (x) => x | 0x20)), /sort flag/);
  });

  test('the infinity flag with any nonzero byte is refused', () => {
    const rng = new Rng('errors.infinity');
    const positions = [0, 1, 47, 48, 95, ...Array.from({ length: 5 }, () => 1 + rng.int(95))];
    for (const i of positions) {
      const b = withByte(IDENTITY_BYTES, i, (x) => x | (i === 0 ? 0x01 : 1 + rng.int(255)));
      throwsWith(() => g1.double(b), /infinity/, /not zero|nonzero|non-zero/);
    }
    // infinity flag on top of a real point's coordinates
    throwsWith(() => g1.double(withByte(G, 0, (x) => x | 0x40)), /infinity/);
  });

  test('coordinates ≥ q are refused (x = q, x = 2^381 − 1, y = q, y = G.y + q)', () => {
    // x has 381 bits below the three flag bits; y has all 384 bits of its 48 bytes.
    const xs = [Q, Q + 1n, (1n << 381n) - 1n, GX + Q].filter((x) => x < 1n << 381n);
    const cases = [...xs.map((x) => rawPoint(x, GY)), rawPoint(GX, Q), rawPoint(GX, GY + Q), rawPoint(GX, (1n << 384n) - 1n)];
    assert.ok(cases.length >= 5);
    for (const b of cases) throwsWith(() => g1.double(b), /not below|>= q|≥ q|modulus q|base-field/);
  });

  test('points not on y² = x³ + 4 are refused: (1, 1), (0, 0) without the flag, G with y + 1, random bytes', () => {
    const rng = new Rng('errors.offcurve');
    throwsWith(() => g1.double(rawPoint(1n, 1n)), /not .*on the curve|curve/);
    throwsWith(() => g1.double(new Uint8Array(96)), /not .*on the curve|curve/);
    throwsWith(() => g1.add(G, rawPoint(GX, mod(GY + 1n, Q))), /\bQ\b/, /curve/);
    for (let i = 0; i < 5; i++) {
      const x = rng.below(Q);
      const y = rng.below(Q);
      if (mod(y * y - x * x * x - 4n, Q) === 0n) continue;
      throwsWith(() => g1.double(rawPoint(x, y)), /curve/);
    }
  });

  test('on-curve points outside the prime-order subgroup are refused, as noble does', () => {
    const rng = new Rng('errors.subgroup');
    // (0, 2) is on the curve (2² = 0³ + 4) and has order 3, which does not divide p.
    const order3 = rawPoint(0n, 2n);
    const pts: Uint8Array[] = [order3];
    for (let i = 0; i < 5; i++) {
      const { x, y } = randomCurvePoint(rng);
      assert.equal(mod(y * y, Q), mod(x * x * x + 4n, Q), 'constructed point must be on the curve');
      pts.push(rawPoint(x, y));
    }
    for (const b of pts) {
      const m = `point ${hex(b)} ${rng.tag}`;
      assert.throws(() => G1.fromBytes(b), /subgroup/, `noble must reject it as outside the subgroup: ${m}`);
      throwsWith(() => g1.double(b), /subgroup/);
      throwsWith(() => g1.add(G, b), /\bQ\b/, /subgroup/);
      throwsWith(() => g1.mul(b, 0n), /subgroup/);
      throwsWith(() => g1.msm([G, G, b], [1n, 1n, 0n], { backend: 'cpu' }), /points\[2\]/, /subgroup/);
      throwsWith(() => g1.elementwise('double', [G, b], null, { backend: 'cpu' }), /\[1\]/, /subgroup/);
    }
  });
});

describe('errors: G1 operations', () => {
  test('g1.mul: scalars ≥ p, negative or not bigints', () => {
    throwsWith(() => g1.mul(G, P), /\bk\b/, /not below|modulus/);
    throwsWith(() => g1.mul(G, 1n << 256n), /\bk\b/, /not below|wider/);
    throwsWith(() => g1.mul(G, -1n), /\bk\b/, /negative/);
    throwsWith(() => g1.mul(G, bad(3)), /\bk\b/, /bigint/);
  });

  test('g1.msm: mismatched lengths and bad scalars', () => {
    throwsWith(() => g1.msm([G, G], [1n, 2n, 3n], { backend: 'cpu' }), /2 points/, /3 scalars/);
    throwsWith(() => g1.msm([G, G, G], [1n], { backend: 'cpu' }), /3 points/, /1 scalar/);
    throwsWith(() => g1.msm([], [1n], { backend: 'cpu' }), /0 points/, /1 scalar/);
    throwsWith(() => g1.msm([G, G, G], [1n, P, 2n], { backend: 'cpu' }), /scalars\[1\]/, />= p|not below|canonical/);
    throwsWith(() => g1.msm([G, G], [1n, -1n], { backend: 'cpu' }), /scalars\[1\]/, /range|negative/);
    throwsWith(() => g1.msm([G, G], [1n, bad(1)], { backend: 'cpu' }), /scalars\[1\]/, /bigint/);
  });

  test('g1.elementwise: mismatched lengths, bad scalars and unknown ops', () => {
    throwsWith(() => g1.elementwise('add', [G, G], [G], { backend: 'cpu' }), /2/, /1/, /element|operand/);
    throwsWith(() => g1.elementwise('mul', [G], [1n, 2n], { backend: 'cpu' }), /1/, /2/, /element|operand/);
    throwsWith(() => g1.elementwise('mul', [G, G], [1n, P], { backend: 'cpu' }), /\[1\]/, />= p|not below|canonical/);
    throwsWith(() => g1.elementwise(bad('neg'), [G], null, { backend: 'cpu' }), /unknown op/, /neg/);
    throwsWith(() => g1.elementwise('add', [G, withByte(G, 0, (x) => x | 0x80)], [G, G], { backend: 'cpu' }), /\[1\]/, /compressed/);
  });
});

describe('errors: backends', () => {
  test('an unknown backend name is refused by every batched call and by setDefaultBackend', () => {
    const opt = { backend: bad('gpu') as Backend };
    throwsWith(() => fr.batchInverse([1n], opt), /unknown backend/, /gpu/);
    throwsWith(() => fr.elementwise('add', [1n], [1n], opt), /unknown backend/, /gpu/);
    throwsWith(() => g1.msm([G], [1n], opt), /unknown backend/, /gpu/);
    throwsWith(() => g1.elementwise('double', [G], null, opt), /unknown backend/, /gpu/);
    const before = getDefaultBackend();
    throwsWith(() => setDefaultBackend(bad('CPU')), /unknown backend/, /CPU/);
    assert.equal(getDefaultBackend(), before, 'a refused default must not change the default');
  });

  test("backend 'cuda' with no usable GPU says so", (t) => {
    if (info().devices.length > 0) {
      t.skip('a GPU is present');
      return;
    }
    const cuda = { backend: 'cuda' as const };
    throwsWith(() => fr.batchInverse([1n, 2n], cuda), /no GPU/);
    throwsWith(() => fr.elementwise('mul', [1n], [2n], cuda), /no GPU/);
    throwsWith(() => g1.msm([G], [1n], cuda), /no GPU/);
    throwsWith(() => g1.elementwise('double', [G], null, cuda), /no GPU/);
    throwsWith(() => calibrate(['cuda']), /no GPU/);
    // setting it as the default is allowed; using it then fails the same way
    const before = getDefaultBackend();
    try {
      setDefaultBackend('cuda');
      throwsWith(() => fr.batchInverse([1n]), /no GPU/);
      throwsWith(() => g1.msm([G], [1n]), /no GPU/);
    } finally {
      setDefaultBackend(before);
    }
  });
});

describe('errors: transcript', () => {
  test('bad domain, label, data and scalar values', () => {
    throwsWith(() => new Transcript(bad(5)), /domain/, /string/);
    const t = new Transcript('errors');
    throwsWith(() => t.absorb('m', bad('bytes')), /data/, /Uint8Array/);
    throwsWith(() => t.absorb('m', bad([1, 2, 3])), /data/, /Uint8Array/);
    throwsWith(() => t.absorb(bad(7), new Uint8Array(1)), /label/, /string/);
    throwsWith(() => t.absorbScalar('s', P), /value/, /not below|modulus/);
    throwsWith(() => t.absorbScalar('s', -1n), /value/, /negative/);
    throwsWith(() => t.absorbScalar('s', bad(1)), /value/, /bigint/);
    throwsWith(() => t.challenge(bad(undefined)), /label/, /string/);
    throwsWith(() => t.challengeBytes(bad(null)), /label/, /string/);
  });

  test('a refused absorb leaves the transcript unchanged', () => {
    const a = new Transcript('errors');
    const b = new Transcript('errors');
    a.absorb('m', Uint8Array.of(1));
    b.absorb('m', Uint8Array.of(1));
    assert.throws(() => a.absorbScalar('s', P));
    assert.throws(() => a.absorb('m', bad('x')));
    assert.equal(a.challenge('c'), b.challenge('c'));
  });
});

describe('errors: the process and the addon survive', () => {
  test('after all the errors above, every operation still gives correct results', () => {
    const rng = new Rng('errors.survive');
    assert.equal(fr.mul(P - 1n, P - 1n), 1n);
    assert.equal(fr.inv(2n), (P + 1n) / 2n);
    assert.deepEqual(fr.batchInverse([1n, P - 1n], { backend: 'cpu' }), [1n, P - 1n]);
    const p = randomPoint(rng);
    assert.equal(hex(g1.mul(p.bytes, 5n)), hex(enc(p.pt.multiply(5n))), rng.tag);
    assert.equal(hex(g1.msm([p.bytes, G], [2n, 3n], { backend: 'cpu' })), hex(enc(p.pt.double().add(G1.BASE.multiply(3n)))), rng.tag);
    assert.equal(typeof new Transcript('alive').challenge('c'), 'bigint');
  });

  test('errors thrown in a loop do not leak into later calls (1000 mixed bad and good calls)', () => {
    const rng = new Rng('errors.loop');
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(4);
      if (k === 0) assert.throws(() => fr.add(P, 0n));
      else if (k === 1) assert.throws(() => g1.double(rawPoint(1n, 1n)));
      else if (k === 2) assert.throws(() => fr.batchInverse([1n, 0n], { backend: 'cpu' }));
      else {
        const a = rng.below(P);
        assert.equal(fr.add(a, 1n), mod(a + 1n), rng.tag);
      }
    }
  });
});
