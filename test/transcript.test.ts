// The Fiat–Shamir transcript: determinism, sensitivity to every input, range of the challenges,
// and agreement with an independent TypeScript model of its framing.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Transcript } from '../src';
import { Rng } from './helpers/rng';
import { P, frCase, bigToHex } from './helpers/field';
import { RefTranscript, scalarBytesLE } from './helpers/ref-transcript';

/** One step of a transcript script. */
type Step =
  | { kind: 'absorb'; label: string; data: Uint8Array }
  | { kind: 'scalar'; label: string; value: bigint }
  | { kind: 'challenge'; label: string }
  | { kind: 'bytes'; label: string };

interface Script {
  domain: string;
  steps: Step[];
}

const LABEL_CHARS = ['a', 'b', 'z', '/', ' ', '0', 'é', 'Ω', '𝔽', '\u0000', 'ü'];

function randomLabel(rng: Rng): string {
  const len = rng.chance(0.1) ? 0 : rng.int(24) + 1;
  let s = '';
  for (let i = 0; i < len; i++) s += rng.chance(0.8) ? String.fromCharCode(97 + rng.int(26)) : rng.pick(LABEL_CHARS);
  return s;
}

function randomData(rng: Rng): Uint8Array {
  const r = rng.int(10);
  const len = r === 0 ? 0 : r < 6 ? rng.int(80) + 1 : r < 9 ? rng.int(2000) : rng.int(70_000);
  return rng.bytes(len);
}

function randomScript(rng: Rng, maxSteps = 12): Script {
  const steps: Step[] = [];
  const n = rng.int(maxSteps) + 1;
  for (let i = 0; i < n; i++) {
    const r = rng.int(10);
    if (r < 5) steps.push({ kind: 'absorb', label: randomLabel(rng), data: randomData(rng) });
    else if (r < 7) steps.push({ kind: 'scalar', label: randomLabel(rng), value: frCase(rng) });
    else if (r < 9) steps.push({ kind: 'challenge', label: randomLabel(rng) });
    else steps.push({ kind: 'bytes', label: randomLabel(rng) });
  }
  steps.push({ kind: 'challenge', label: randomLabel(rng) });
  return { domain: rng.chance(0.1) ? '' : randomLabel(rng), steps };
}

type Outputs = (bigint | string)[];

/** Runs a script on any transcript with the kit's interface; returns every challenge produced. */
function run(t: Transcript | RefTranscript, s: Script): Outputs {
  const out: Outputs = [];
  for (const st of s.steps) {
    if (st.kind === 'absorb') t.absorb(st.label, st.data);
    else if (st.kind === 'scalar') t.absorbScalar(st.label, st.value);
    else if (st.kind === 'challenge') out.push(t.challenge(st.label));
    else out.push(Buffer.from(t.challengeBytes(st.label)).toString('hex'));
  }
  return out;
}
const native = (s: Script): Outputs => run(new Transcript(s.domain), s);
const reference = (s: Script): Outputs => run(new RefTranscript(s.domain), s);

function describeScript(s: Script): string {
  const steps = s.steps.map((st) =>
    st.kind === 'absorb'
      ? `absorb(${JSON.stringify(st.label)}, ${st.data.length} bytes)`
      : st.kind === 'scalar'
        ? `absorbScalar(${JSON.stringify(st.label)}, ${bigToHex(st.value)})`
        : `${st.kind === 'bytes' ? 'challengeBytes' : 'challenge'}(${JSON.stringify(st.label)})`,
  );
  return `domain ${JSON.stringify(s.domain)}: ${steps.join(', ')}`;
}

/** The final challenge of a transcript that absorbs `msgs` in order under `domain`. */
function finalChallenge(domain: string, msgs: [string, Uint8Array][], label = 'c'): bigint {
  const t = new Transcript(domain);
  for (const [l, d] of msgs) t.absorb(l, d);
  return t.challenge(label);
}

describe('transcript: agreement with an independent model of the framing', () => {
  test('200 random scripts give the same challenges natively and in the model', () => {
    const rng = new Rng('transcript.model');
    for (let i = 0; i < 200; i++) {
      const s = randomScript(rng);
      assert.deepEqual(native(s), reference(s), `script ${i}: ${describeScript(s)} ${rng.tag}`);
    }
  });

  test('edge cases: empty domain, empty labels, empty data, non-ASCII labels and domain', () => {
    const scripts: Script[] = [
      { domain: '', steps: [{ kind: 'challenge', label: '' }] },
      { domain: '', steps: [{ kind: 'absorb', label: '', data: new Uint8Array(0) }, { kind: 'challenge', label: '' }] },
      { domain: 'é𝔽', steps: [{ kind: 'absorb', label: 'Ωü', data: Uint8Array.of(0, 255) }, { kind: 'bytes', label: '𝔽' }] },
      { domain: 'd', steps: [{ kind: 'scalar', label: 's', value: P - 1n }, { kind: 'scalar', label: 's', value: 0n }, { kind: 'challenge', label: 'x' }] },
    ];
    for (const s of scripts) assert.deepEqual(native(s), reference(s), describeScript(s));
  });

  test('a long run of challenges with the same label matches the model (the ratchet)', () => {
    const t = new Transcript('ratchet');
    const r = new RefTranscript('ratchet');
    t.absorb('m', Uint8Array.of(1, 2, 3));
    r.absorb('m', Uint8Array.of(1, 2, 3));
    for (let i = 0; i < 100; i++) assert.equal(t.challenge('same'), r.challenge('same'), `challenge ${i}`);
  });
});

describe('transcript: determinism', () => {
  test('the same domain, absorbs and labels give the same challenges (100 random scripts)', () => {
    const rng = new Rng('transcript.determinism');
    for (let i = 0; i < 100; i++) {
      const s = randomScript(rng);
      assert.deepEqual(native(s), native(s), `script ${i}: ${describeScript(s)} ${rng.tag}`);
    }
  });

  test('interleaved transcripts do not disturb each other', () => {
    const rng = new Rng('transcript.interleave');
    const a = randomScript(rng);
    const b = randomScript(rng);
    const alone = [native(a), native(b)];
    const ta = new Transcript(a.domain);
    const tb = new Transcript(b.domain);
    const outs: Outputs[] = [[], []];
    const steps = Math.max(a.steps.length, b.steps.length);
    for (let i = 0; i < steps; i++) {
      if (i < a.steps.length) outs[0].push(...run(ta, { domain: a.domain, steps: [a.steps[i]] }));
      if (i < b.steps.length) outs[1].push(...run(tb, { domain: b.domain, steps: [b.steps[i]] }));
    }
    assert.deepEqual(outs, alone, rng.tag);
  });

  test('absorbScalar(x) equals absorbing the 32-byte little-endian encoding of x', () => {
    const rng = new Rng('transcript.scalar');
    for (let i = 0; i < 50; i++) {
      const x = frCase(rng);
      const a = new Transcript('s').absorbScalar('x', x).challenge('c');
      const b = new Transcript('s').absorb('x', scalarBytesLE(x)).challenge('c');
      assert.equal(a, b, `x=${bigToHex(x)} ${rng.tag}`);
    }
  });

  test('challenges(label, n) equals challenge(`label/i`) for i < n', () => {
    const t1 = new Transcript('many').absorb('m', Uint8Array.of(7));
    const t2 = new Transcript('many').absorb('m', Uint8Array.of(7));
    const xs = t1.challenges('r', 5);
    assert.equal(xs.length, 5);
    assert.deepEqual(xs, [0, 1, 2, 3, 4].map((i) => t2.challenge(`r/${i}`)));
    assert.equal(new Set(xs).size, 5);
  });
});

describe('transcript: every change to the input changes the challenge', () => {
  test('changing any single byte of a short absorbed message (every position, several deltas)', () => {
    const rng = new Rng('transcript.flip.short');
    const msg = rng.bytes(48);
    const base = finalChallenge('flip', [['pre', Uint8Array.of(1)], ['m', msg], ['post', Uint8Array.of(2)]]);
    for (let i = 0; i < msg.length; i++) {
      for (const delta of [0x01, 0x80, 1 + rng.int(255)]) {
        const m2 = msg.slice();
        m2[i] ^= delta;
        const c = finalChallenge('flip', [['pre', Uint8Array.of(1)], ['m', m2], ['post', Uint8Array.of(2)]]);
        assert.notEqual(c, base, `byte ${i} xor ${delta} did not change the challenge ${rng.tag}`);
      }
    }
  });

  test('changing a byte at random positions of a long message (1 MiB)', () => {
    const rng = new Rng('transcript.flip.long');
    const msg = rng.bytes(1 << 20);
    const base = finalChallenge('flip', [['m', msg]]);
    const positions = [0, msg.length - 1, ...Array.from({ length: 40 }, () => rng.int(msg.length))];
    for (const i of positions) {
      const m2 = msg.slice();
      m2[i] ^= 1 + rng.int(255);
      assert.notEqual(finalChallenge('flip', [['m', m2]]), base, `byte ${i} of ${msg.length} ${rng.tag}`);
    }
  });

  test('changing a byte of an absorbed scalar', () => {
    const rng = new Rng('transcript.flip.scalar');
    for (let i = 0; i < 20; i++) {
      const x = frCase(rng);
      const y = x ^ (1n << BigInt(rng.int(254)));
      if (y >= P) continue;
      const a = new Transcript('s').absorbScalar('x', x).challenge('c');
      const b = new Transcript('s').absorbScalar('x', y).challenge('c');
      assert.notEqual(a, b, `x=${bigToHex(x)} y=${bigToHex(y)} ${rng.tag}`);
    }
  });

  test('changing an absorb label, the challenge label or the domain', () => {
    const rng = new Rng('transcript.labels');
    const data = rng.bytes(100);
    const base = finalChallenge('domain', [['label', data]], 'chal');
    const variants: [string, bigint][] = [
      ['absorb label one char changed', finalChallenge('domain', [['lbbel', data]], 'chal')],
      ['absorb label extended', finalChallenge('domain', [['label ', data]], 'chal')],
      ['absorb label shortened', finalChallenge('domain', [['labe', data]], 'chal')],
      ['absorb label empty', finalChallenge('domain', [['', data]], 'chal')],
      ['absorb label case', finalChallenge('domain', [['Label', data]], 'chal')],
      ['challenge label changed', finalChallenge('domain', [['label', data]], 'chaL')],
      ['challenge label empty', finalChallenge('domain', [['label', data]], '')],
      ['domain changed', finalChallenge('domaim', [['label', data]], 'chal')],
      ['domain extended', finalChallenge('domain2', [['label', data]], 'chal')],
      ['domain empty', finalChallenge('', [['label', data]], 'chal')],
    ];
    for (const [what, c] of variants) assert.notEqual(c, base, `${what} ${rng.tag}`);
    assert.equal(new Set(variants.map(([, c]) => c)).size, variants.length, `variants collide ${rng.tag}`);
  });

  test('the boundary between label and data, and between domain and first label, is bound', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    assert.notEqual(finalChallenge('d', [['ab', enc('c')]]), finalChallenge('d', [['a', enc('bc')]]));
    assert.notEqual(finalChallenge('d', [['a', enc('')]]), finalChallenge('d', [['', enc('a')]]));
    assert.notEqual(finalChallenge('dx', [['y', enc('z')]]), finalChallenge('d', [['xy', enc('z')]]));
  });

  test('changing the order of absorbs', () => {
    const rng = new Rng('transcript.order');
    const a = rng.bytes(32);
    const b = rng.bytes(32);
    assert.notEqual(finalChallenge('o', [['x', a], ['y', b]]), finalChallenge('o', [['y', b], ['x', a]]), rng.tag);
    assert.notEqual(finalChallenge('o', [['x', a], ['x', b]]), finalChallenge('o', [['x', b], ['x', a]]), rng.tag);
  });

  test('changing the absorbed length: appended zero, dropped byte, split or merged absorbs', () => {
    const rng = new Rng('transcript.length');
    for (const len of [0, 1, 31, 32, 33, 64, 1000]) {
      const d = rng.bytes(len);
      const base = finalChallenge('len', [['m', d]]);
      const plus0 = new Uint8Array(len + 1);
      plus0.set(d);
      assert.notEqual(finalChallenge('len', [['m', plus0]]), base, `appending a zero to ${len} bytes ${rng.tag}`);
      if (len > 0) {
        assert.notEqual(finalChallenge('len', [['m', d.slice(0, len - 1)]]), base, `dropping the last of ${len} bytes ${rng.tag}`);
        const cut = rng.int(len + 1);
        const split = finalChallenge('len', [['m', d.slice(0, cut)], ['m', d.slice(cut)]]);
        assert.notEqual(split, base, `splitting ${len} bytes at ${cut} ${rng.tag}`);
      }
      // the same absorb twice is not the same as once
      assert.notEqual(finalChallenge('len', [['m', d], ['m', d]]), base, `repeating ${len} bytes ${rng.tag}`);
    }
  });

  test('an absorb before a challenge changes it; challenges depend on earlier challenges', () => {
    const t1 = new Transcript('dep');
    const t2 = new Transcript('dep');
    t1.absorb('m', Uint8Array.of(1));
    t2.absorb('m', Uint8Array.of(1));
    t2.challenge('first'); // only t2 draws a challenge first
    assert.notEqual(t1.challenge('second'), t2.challenge('second'));
    const t3 = new Transcript('dep');
    t3.absorb('m', Uint8Array.of(1));
    t3.challengeBytes('first');
    const t4 = new Transcript('dep');
    t4.absorb('m', Uint8Array.of(1));
    assert.notEqual(t3.challenge('x'), t4.challenge('x'));
  });
});

describe('transcript: challenge values', () => {
  test('challenges lie in [0, p), successive ones differ, and they reach above 2^254', () => {
    const rng = new Rng('transcript.range');
    const t = new Transcript('range');
    t.absorb('seed', rng.bytes(16));
    const seen = new Set<bigint>();
    let prev = -1n;
    let above = 0;
    const N = 2000;
    for (let i = 0; i < N; i++) {
      const c = t.challenge(i % 2 ? 'c' : 'same');
      assert.equal(typeof c, 'bigint');
      assert.ok(c >= 0n && c < P, `challenge ${i} = ${bigToHex(c)} is not in [0, p) ${rng.tag}`);
      assert.notEqual(c, prev, `challenge ${i} repeats the previous one ${rng.tag}`);
      seen.add(c);
      prev = c;
      if (c >= 1n << 254n) above++;
    }
    assert.equal(seen.size, N, `repeated challenges ${rng.tag}`);
    // (p − 2^254)/p ≈ 0.55 of uniform values in [0, p) lie above 2^254; a reduction that drops the
    // top bits would give none. The chance of fewer than 10 of 2000 for a uniform draw is negligible.
    assert.ok(above > 10, `only ${above} of ${N} challenges ≥ 2^254 ${rng.tag}`);
  });

  test('challengeBytes gives 32 bytes, fresh each call', () => {
    const t = new Transcript('bytes');
    const a = t.challengeBytes('x');
    const b = t.challengeBytes('x');
    assert.ok(a instanceof Uint8Array);
    assert.equal(a.length, 32);
    assert.equal(b.length, 32);
    assert.notDeepEqual(a, b);
  });
});
