// Pedersen generators: hashed to G1 from a label (checked against an independent model and
// @noble/curves), distinct, deterministic, label-dependent; the disk cache round-trips and any
// damaged cache file is detected and regenerated.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { commitments, info } from '../src';
import { G1, enc, hex, randomCurvePoint } from './helpers/g1ref';
import { refGenerator } from './helpers/hash-to-g1-ref';
import { Rng } from './helpers/rng';

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-gens-'));
  // Anything that falls back to the default cache folder stays out of the user's home.
  process.env.ZKLLM_CACHE_DIR = path.join(tmp, 'env-default');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const NO_CACHE = { memory: false, disk: false } as const;
const HEADER = 8 + 4 + 4 + 32 + 8;

function freshLabel(rng: Rng, stem: string): string {
  return `${stem}-${hex(rng.bytes(6))}`;
}

describe('commit generators: the map', () => {
  test('g_i and Q are on the curve, in the prime-order subgroup, and not the identity', () => {
    const gens = commitments.generators('zkllm-test-subgroup', 64, NO_CACHE);
    assert.equal(gens.g.length, 64);
    for (const [i, b] of [...gens.g, gens.q].entries()) {
      const p = G1.fromBytes(b);
      p.assertValidity();
      assert.ok(p.isTorsionFree(), `generator ${i} is not in G1`);
      assert.ok(!p.is0(), `generator ${i} is the identity`);
    }
  });

  test('equal to an independent model of the documented map (SHA-256, try-and-increment, h_eff)', () => {
    const rng = new Rng('commit.generators.model');
    for (const label of ['zkllm-kit-pedersen-v1', freshLabel(rng, 'model'), 'ünïcode label/with spaces']) {
      const gens = commitments.generators(label, 16, NO_CACHE);
      for (let i = 0; i < 16; i++)
        assert.equal(hex(gens.g[i]), hex(enc(refGenerator(label, 0, i))), `g_${i} for label '${label}' ${rng.tag}`);
      assert.equal(hex(gens.q), hex(enc(refGenerator(label, 1, 0))), `Q for label '${label}'`);
    }
  });

  test('the model\'s h_eff is noble\'s cofactor clearing: it maps curve points outside G1 into G1', () => {
    const rng = new Rng('commit.generators.cofactor');
    for (let i = 0; i < 4; i++) {
      const { x, y } = randomCurvePoint(rng);
      const p = G1.fromAffine({ x, y });
      const cleared = p.multiplyUnsafe(0xd201000000010001n);
      assert.ok(cleared.equals(p.clearCofactor()), `h_eff differs from noble's clearCofactor ${rng.tag}`);
      assert.ok(cleared.isTorsionFree());
    }
  });

  test('all w generators and Q are distinct (w = 1024)', () => {
    const gens = commitments.generators('zkllm-test-distinct', 1024, NO_CACHE);
    const seen = new Set([...gens.g, gens.q].map(hex));
    assert.equal(seen.size, 1025);
  });

  test('deterministic: derived twice, the same bytes', () => {
    const a = commitments.generators('zkllm-test-determinism', 256, NO_CACHE);
    const b = commitments.generators('zkllm-test-determinism', 256, NO_CACHE);
    assert.equal(a.source.origin, 'derived');
    assert.equal(b.source.origin, 'derived');
    assert.deepEqual(a.g.map(hex), b.g.map(hex));
    assert.equal(hex(a.q), hex(b.q));
  });

  test('label-dependent: two labels share no point', () => {
    const rng = new Rng('commit.generators.labels');
    const l1 = freshLabel(rng, 'one');
    const l2 = l1 + 'x';
    const a = commitments.generators(l1, 128, NO_CACHE);
    const b = commitments.generators(l2, 128, NO_CACHE);
    const sa = new Set([...a.g, a.q].map(hex));
    for (const p of [...b.g, b.q]) assert.ok(!sa.has(hex(p)), `labels '${l1}' and '${l2}' share a point ${rng.tag}`);
  });

  test('g_i does not depend on w: a smaller set is a prefix of a larger one', () => {
    const small = commitments.generators('zkllm-test-prefix', 8, NO_CACHE);
    const large = commitments.generators('zkllm-test-prefix', 512, NO_CACHE);
    assert.deepEqual(small.g.map(hex), large.g.slice(0, 8).map(hex));
    assert.equal(hex(small.q), hex(large.q));
    // and the in-process copy of the large set serves the small one
    const memo = commitments.generators('zkllm-test-prefix', 32, { disk: false });
    assert.equal(memo.source.origin, 'memory');
    assert.deepEqual(memo.g.map(hex), large.g.slice(0, 32).map(hex));
  });
});

describe('commit generators: disk cache', () => {
  const W = 32;
  let file = '';
  let reference: string[] = [];
  let dir = '';
  let label = '';

  before(() => {
    dir = path.join(tmp, 'cache');
    label = freshLabel(new Rng('commit.generators.cache'), 'cache');
    const g = commitments.generators(label, W, NO_CACHE);
    reference = [...g.g, g.q].map(hex);
  });

  const load = () => commitments.generators(label, W, { cacheDir: dir, memory: false });
  const bytesOf = (r: ReturnType<typeof load>) => [...r.g, r.q].map(hex);

  test('made once, then read back byte for byte', () => {
    const first = load();
    assert.equal(first.source.origin, 'derived');
    assert.equal(first.source.cacheNote, '');
    file = first.source.cacheFile;
    assert.equal(file, path.join(dir, 'generators', `${label}-${W}.bin`));
    assert.equal(fs.statSync(file).size, HEADER + (W + 1) * 96 + 32);
    const second = load();
    assert.equal(second.source.origin, 'disk');
    assert.deepEqual(bytesOf(second), reference);
    assert.deepEqual(bytesOf(first), reference);
  });

  test('the file holds the points in the ZCash encoding, after a header, with a SHA-256 trailer', () => {
    const b = fs.readFileSync(file);
    assert.equal(b.subarray(0, 8).toString('latin1'), 'ZKLLMGEN');
    for (let i = 0; i <= W; i++) assert.equal(b.subarray(HEADER + 96 * i, HEADER + 96 * (i + 1)).toString('hex'), reference[i]);
    const sum = createHash('sha256').update(b.subarray(0, b.length - 32)).digest('hex');
    assert.equal(b.subarray(b.length - 32).toString('hex'), sum);
  });

  // Each damage is written over a good file; the next load must notice, regenerate the right
  // bytes, and leave a good file behind.
  const damages: { name: string; reason: RegExp; apply: (b: Buffer) => Buffer }[] = [
    { name: 'a flipped bit in a point', reason: /checksum/, apply: (b) => { b[HEADER + 96 * 5 + 40] ^= 0x04; return b; } },
    { name: 'a flipped bit in the trailer', reason: /checksum/, apply: (b) => { b[b.length - 1] ^= 1; return b; } },
    { name: 'truncated by one byte', reason: /bytes, expected/, apply: (b) => b.subarray(0, b.length - 1) },
    { name: 'truncated to the header', reason: /bytes, expected/, apply: (b) => b.subarray(0, HEADER) },
    { name: 'an extra byte', reason: /more than/, apply: (b) => Buffer.concat([b, Buffer.of(0)]) },
    { name: 'empty', reason: /0 bytes/, apply: () => Buffer.alloc(0) },
    { name: 'garbage of the right length', reason: /magic/, apply: (b) => Buffer.from(new Rng('garbage').bytes(b.length)) },
    {
      name: 'another label\'s digest (checksum recomputed)',
      reason: /another label/,
      apply: (b) => {
        b[16] ^= 0xff;
        return reseal(b);
      },
    },
    {
      name: 'another count in the header (checksum recomputed)',
      reason: /another number/,
      apply: (b) => {
        b[48] ^= 1;
        return reseal(b);
      },
    },
    {
      name: 'a coordinate that is not on the curve (checksum recomputed)',
      reason: /not a curve point/,
      apply: (b) => {
        b[HEADER + 96 * 7 + 95] ^= 1;
        return reseal(b);
      },
    },
    {
      name: 'g_0 and g_(w-1) swapped: valid curve points, fresh checksum',
      reason: /differs from its derivation/,
      apply: (b) => {
        const first = Buffer.from(b.subarray(HEADER, HEADER + 96));
        b.copy(b, HEADER, HEADER + 96 * (W - 1), HEADER + 96 * W);
        first.copy(b, HEADER + 96 * (W - 1));
        return reseal(b);
      },
    },
    {
      name: 'Q replaced by g_1 (fresh checksum)',
      reason: /Q differs/,
      apply: (b) => {
        b.copy(b, HEADER + 96 * W, HEADER + 96, HEADER + 192);
        return reseal(b);
      },
    },
  ];
  function reseal(b: Buffer): Buffer {
    createHash('sha256').update(b.subarray(0, b.length - 32)).digest().copy(b, b.length - 32);
    return b;
  }

  for (const d of damages) {
    test(`detected and regenerated: ${d.name}`, () => {
      if (!fs.existsSync(file)) load();
      const good = fs.readFileSync(file);
      fs.writeFileSync(file, d.apply(Buffer.from(good)));
      const r = load();
      assert.equal(r.source.origin, 'derived', `a damaged file was used (${d.name})`);
      assert.match(r.source.cacheNote, /^regenerated: /);
      assert.match(r.source.cacheNote, d.reason);
      assert.deepEqual(bytesOf(r), reference);
      assert.deepEqual(fs.readFileSync(file), good, 'the cache file was not rewritten');
      assert.equal(load().source.origin, 'disk');
    });
  }

  test('a cache folder that cannot be written: the set is still returned, with a note', () => {
    const blocker = path.join(tmp, 'not-a-dir');
    fs.writeFileSync(blocker, 'a file where the cache folder should be');
    const r = commitments.generators(label, W, { cacheDir: blocker, memory: false });
    assert.equal(r.source.origin, 'derived');
    assert.match(r.source.cacheNote, /not cached/);
    assert.deepEqual(bytesOf(r), reference);
  });

  test('ZKLLM_CACHE_DIR is the default cache folder', () => {
    const r = commitments.generators(label, 4, { memory: false });
    assert.equal(r.source.cacheFile, path.join(process.env.ZKLLM_CACHE_DIR!, 'generators', `${label}-4.bin`));
    assert.ok(fs.existsSync(r.source.cacheFile));
    assert.deepEqual([...r.g.map(hex)], reference.slice(0, 4));
  });

  test('a label that is not a plain file name stays inside generators/ (sanitised, with a digest suffix)', () => {
    for (const l of ['../../escape', 'a/b', 'x'.repeat(100), '.', 'with space']) {
      const r = commitments.generators(l, 2, { cacheDir: dir, memory: false });
      const f = r.source.cacheFile;
      assert.equal(path.dirname(f), path.join(dir, 'generators'), `label '${l}' -> ${f}`);
      assert.match(path.basename(f), /^[A-Za-z0-9._~-]+-2\.bin$/);
      assert.ok(fs.existsSync(f));
    }
    const a = commitments.generators('a/b', 2, { cacheDir: dir, memory: false }).source.cacheFile;
    const b = commitments.generators('a_b', 2, { cacheDir: dir, memory: false }).source.cacheFile;
    assert.notEqual(a, b);
  });
});

describe('commit generators: bad input', () => {
  test('genDim not a power of two, zero, above 2^20, not an integer, not a number', () => {
    for (const w of [0, 3, 6, 1000, 2 ** 21, 2 ** 20 + 1, 1.5, -4, NaN, Infinity])
      assert.throws(() => commitments.generators('bad', w, NO_CACHE), /genDim/, `genDim ${w}`);
    assert.throws(() => commitments.generators('bad', '8' as unknown as number, NO_CACHE), /genDim/);
    assert.throws(() => commitments.generators('bad', 2 ** 21, NO_CACHE), /maximum 2\^20/);
  });
  test('label empty or not a string', () => {
    assert.throws(() => commitments.generators('', 8, NO_CACHE), /label/);
    assert.throws(() => commitments.generators(7 as unknown as string, 8, NO_CACHE), /label/);
  });
  test('backend cuda without a GPU, and an unknown backend', () => {
    if (info().devices.length === 0)
      assert.throws(() => commitments.generators('bad', 8, { backend: 'cuda', ...NO_CACHE }), /no GPU is usable/);
    assert.throws(() => commitments.generators('bad', 8, { backend: 'gpu' as 'cuda', ...NO_CACHE }), /unknown backend/);
  });
});
