// The tamper matrix of issue 3: for every op, every change to an honest (statement, proof) pair is
// rejected cleanly: verify returns false (never throws) and checkProof gives a reason. Cases:
// every proof scalar changed (x+1, and x+p, the same residue encoded ≥ p), adjacent scalars
// swapped, claims and final evaluation values and points changed, final evaluation entries
// removed / duplicated / renamed, the proof truncated or extended, sizes ±1 (and added or
// removed), seed, domain, op and version changed, witness tensors changed, ≥ 200 random byte
// flips, random digit changes in the statement, garbage statements and non-Uint8Array proofs.
// Each op is attacked on a seeded and on an explicit-witness instance with sizes that pad.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { prove, verify, checkProof, checkSumchecksOnly } from '../src';
import type { Statement } from '../src';
import type { ProofSizes } from '../src/proof';
import { Rng } from './helpers/rng';
import { P } from './helpers/field';
import { OPS, clone, plainWitness, randomWitness } from './helpers/proof-ref';
import type { SumcheckOp } from './helpers/proof-ref';
import { refVerify } from './helpers/proof-verifier';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

const BASE: Record<SumcheckOp, ProofSizes> = {
  'inner-product': { num: 3, dim: 37 },
  hadamard: { num: 5, dim: 13 },
  matmul: { num: 3, dim0: 5, dim1: 9, dim2: 6 },
  'tlookup-range': { num: 3, dim: 20, low: -7, len: 50 },
  'tlookup-map': { num: 2, dim: 9, low: 100, len: 33 },
};
const SIZE_KEYS = ['num', 'dim', 'dim0', 'dim1', 'dim2', 'low', 'len'] as const;

interface Case {
  name: string;
  statement: unknown;
  proof: unknown;
}

// ---- scalar bytes ----------------------------------------------------------------------------

function scalarAt(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let j = 31; j >= 0; j--) v = (v << 8n) | BigInt(b[32 * i + j]);
  return v;
}
function withScalar(b: Uint8Array, i: number, x: bigint): Uint8Array {
  assert.ok(x >= 0n && x < 1n << 256n);
  const c = b.slice();
  for (let j = 0; j < 32; j++) c[32 * i + j] = Number((x >> BigInt(8 * j)) & 0xffn);
  return c;
}
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
};
const inc = (s: string): string => ((BigInt(s) + 1n) % P).toString();

// ---- the rejection check ---------------------------------------------------------------------

/** Every case must give valid = false with a non-empty reason, and verify = false, without throwing. */
function expectRejected(cases: Case[], tag: string, mode: 'full' | 'sumchecks' = 'full'): void {
  const failures: string[] = [];
  let failedCases = 0;
  for (const c of cases) {
    const before = failures.length;
    if (mode === 'full') checkCase(c);
    else checkPartial(c);
    if (failures.length > before) failedCases++;
  }
  function checkCase(c: Case): void {
    let check;
    try {
      check = checkProof(bad(c.statement), bad(c.proof));
    } catch (e) {
      failures.push(`${c.name}: checkProof threw ${String(e)}`);
      return;
    }
    if (check === null || typeof check !== 'object') failures.push(`${c.name}: checkProof returned ${String(check)}`);
    else {
      if (check.valid !== false) failures.push(`${c.name}: ACCEPTED`);
      else if (typeof check.reason !== 'string' || check.reason.length === 0) failures.push(`${c.name}: rejected without a reason`);
    }
    let v: unknown;
    try {
      v = verify(bad(c.statement), bad(c.proof));
    } catch (e) {
      failures.push(`${c.name}: verify threw ${String(e)}`);
      return;
    }
    if (v !== false && check?.valid === false) failures.push(`${c.name}: verify returned ${String(v)} though checkProof said false`);
    else if (v !== false && v !== true) failures.push(`${c.name}: verify returned ${String(v)}`);
  }
  function checkPartial(c: Case): void {
    try {
      const r = checkSumchecksOnly(bad(c.statement), bad(c.proof));
      if (r.consistent !== false) failures.push(`${c.name}: consistent under the sumchecks-only check`);
      else if (!r.reason) failures.push(`${c.name}: inconsistent without a reason`);
    } catch (e) {
      failures.push(`${c.name}: checkSumchecksOnly threw ${String(e)}`);
    }
  }
  assert.equal(
    failedCases,
    0,
    `${failedCases} of ${cases.length} tampered cases not rejected cleanly ${tag} (${mode}):\n  ` + failures.slice(0, 25).join('\n  '),
  );
}

// ---- the cases -------------------------------------------------------------------------------

function mutate(name: string, st: Statement, proof: Uint8Array, f: (s: Statement) => void): Case {
  const s = clone(st);
  f(s);
  return { name, statement: s, proof };
}

/** Every proof scalar changed: x+1 mod p and x+p (≥ p); 0 and p−1 where different; adjacent swaps. */
function proofScalarCases(st: Statement, proof: Uint8Array): Case[] {
  const out: Case[] = [];
  const n = proof.length / 32;
  for (let i = 0; i < n; i++) {
    const x = scalarAt(proof, i);
    out.push({ name: `proof scalar ${i} +1`, statement: st, proof: withScalar(proof, i, (x + 1n) % P) });
    out.push({ name: `proof scalar ${i} +p (non-canonical)`, statement: st, proof: withScalar(proof, i, x + P) });
    for (const y of [0n, P - 1n]) if (y !== x) out.push({ name: `proof scalar ${i} := ${y === 0n ? '0' : 'p-1'}`, statement: st, proof: withScalar(proof, i, y) });
    if (i + 1 < n && scalarAt(proof, i + 1) !== x)
      out.push({ name: `proof scalars ${i} and ${i + 1} swapped`, statement: st, proof: withScalar(withScalar(proof, i, scalarAt(proof, i + 1)), i + 1, x) });
  }
  return out;
}

/** Claimed values and final evaluation claims changed (these alone are also caught by the sumchecks-only check). */
function claimCases(st: Statement, proof: Uint8Array): Case[] {
  const out: Case[] = [];
  const m = (name: string, f: (s: Statement) => void) => out.push(mutate(name, st, proof, f));
  st.claims.forEach((c, i) => {
    m(`claims[${i}] +1`, (s) => (s.claims[i] = inc(s.claims[i])));
    m(`claims[${i}] +p`, (s) => (s.claims[i] = (BigInt(c) + P).toString()));
    m(`claims[${i}] := 0`, (s) => (s.claims[i] = c === '0' ? '1' : '0'));
  });
  m('claims: one appended', (s) => s.claims.push('0'));
  if (st.claims.length) {
    m('claims: last removed', (s) => s.claims.pop());
    m('claims: reversed', (s) => (s.claims.length > 1 && s.claims[0] !== s.claims[s.claims.length - 1] ? s.claims.reverse() : s.claims.push(s.claims[0])));
    m('claims: emptied', (s) => (s.claims = []));
  }
  st.finalEvals.forEach((e, i) => {
    m(`finalEvals[${i}] (${e.tensor}) value +1`, (s) => (s.finalEvals[i].value = inc(s.finalEvals[i].value)));
    m(`finalEvals[${i}] (${e.tensor}) value +p`, (s) => (s.finalEvals[i].value = (BigInt(e.value) + P).toString()));
    m(`finalEvals[${i}] (${e.tensor}) value := 0`, (s) => (s.finalEvals[i].value = e.value === '0' ? '1' : '0'));
    e.point.forEach((_, j) => {
      m(`finalEvals[${i}] (${e.tensor}) point[${j}] +1`, (s) => (s.finalEvals[i].point[j] = inc(s.finalEvals[i].point[j])));
    });
    m(`finalEvals[${i}] (${e.tensor}) point: coordinate appended`, (s) => s.finalEvals[i].point.push('0'));
    if (e.point.length) {
      m(`finalEvals[${i}] (${e.tensor}) point: last coordinate removed`, (s) => s.finalEvals[i].point.pop());
      m(`finalEvals[${i}] (${e.tensor}) point[0] +p`, (s) => (s.finalEvals[i].point[0] = (BigInt(e.point[0]) + P).toString()));
    }
    if (e.point.length > 1) m(`finalEvals[${i}] (${e.tensor}) point reversed`, (s) => s.finalEvals[i].point.reverse());
    st.finalEvals.forEach((o, k) => {
      if (k !== i && JSON.stringify(o.point) !== JSON.stringify(e.point))
        m(`finalEvals[${i}] (${e.tensor}) at the point of ${o.tensor}`, (s) => (s.finalEvals[i].point = [...o.point]));
    });
  });
  return out;
}

/**
 * Two final evaluation values swapped. The verifier's last check multiplies them, so the sumcheck
 * checks alone find a swap of two factors consistent (that subclaim is what the witness or an
 * opening discharges); verification must reject it.
 */
function swapCases(st: Statement, proof: Uint8Array): Case[] {
  const out: Case[] = [];
  st.finalEvals.forEach((e, i) =>
    st.finalEvals.forEach((o, k) => {
      if (k > i && o.value !== e.value)
        out.push(mutate(`finalEvals values of ${e.tensor} and ${o.tensor} swapped`, st, proof, (s) => ([s.finalEvals[i].value, s.finalEvals[k].value] = [o.value, e.value])));
    }),
  );
  return out;
}

/** Entries removed, duplicated, renamed; lists emptied. */
function entryCases(st: Statement, proof: Uint8Array): Case[] {
  const out: Case[] = [];
  const m = (name: string, f: (s: Statement) => void) => out.push(mutate(name, st, proof, f));
  const names = st.finalEvals.map((e) => e.tensor);
  st.finalEvals.forEach((e, i) => {
    m(`finalEvals[${i}] (${e.tensor}) removed`, (s) => s.finalEvals.splice(i, 1));
    m(`finalEvals[${i}] (${e.tensor}) duplicated`, (s) => s.finalEvals.push(clone(e)));
    m(`finalEvals[${i}] (${e.tensor}) duplicated first`, (s) => s.finalEvals.unshift(clone(e)));
    m(`finalEvals[${i}] (${e.tensor}) duplicated with another value`, (s) => s.finalEvals.push({ ...clone(e), value: inc(e.value) }));
    const renames = ['x', '', e.tensor + ' ', e.tensor + '\u0000', e.tensor.toUpperCase() === e.tensor ? e.tensor.toLowerCase() : e.tensor.toUpperCase(), ...names.filter((n) => n !== e.tensor)];
    for (const r of renames) m(`finalEvals[${i}] (${e.tensor}) renamed ${JSON.stringify(r)}`, (s) => (s.finalEvals[i].tensor = r));
  });
  m('finalEvals emptied', (s) => (s.finalEvals = []));
  m('finalEvals: an extra entry for an unknown tensor', (s) => s.finalEvals.push({ tensor: 'extra', point: [], value: '0' }));
  return out;
}

function proofLengthCases(st: Statement, proof: Uint8Array): Case[] {
  const out: Case[] = [];
  const p = (name: string, b: Uint8Array) => out.push({ name, statement: st, proof: b });
  if (proof.length >= 1) p('proof truncated by 1 byte', proof.slice(0, proof.length - 1));
  if (proof.length >= 32) {
    p('proof truncated by 32 bytes', proof.slice(0, proof.length - 32));
    p('proof missing its first scalar', proof.slice(32));
  }
  if (proof.length) p('proof emptied', new Uint8Array(0));
  p('proof extended by 1 byte', concat(proof, Uint8Array.of(0)));
  p('proof extended by 32 zero bytes', concat(proof, new Uint8Array(32)));
  p('proof extended by a copy of its first 32 bytes', concat(proof, proof.length ? proof.slice(0, 32) : new Uint8Array(32)));
  p('proof with 32 zero bytes in front', concat(new Uint8Array(32), proof));
  p('proof doubled', concat(proof, proof.length ? proof : new Uint8Array(32)));
  return out;
}

function statementCases(st: Statement, proof: Uint8Array): Case[] {
  const out: Case[] = [];
  const m = (name: string, f: (s: Statement) => void) => out.push(mutate(name, st, proof, f));
  const sizes = st.sizes as unknown as Record<string, number>;
  for (const k of SIZE_KEYS) {
    if (sizes[k] !== undefined) {
      for (const d of [1, -1]) m(`sizes.${k} ${d > 0 ? '+' : ''}${d}`, (s) => ((s.sizes as unknown as Record<string, number>)[k] += d));
      m(`sizes.${k} removed`, (s) => delete (s.sizes as unknown as Record<string, number>)[k]);
      m(`sizes.${k} doubled`, (s) => ((s.sizes as unknown as Record<string, number>)[k] = 2 * sizes[k] || 1));
    } else {
      m(`sizes.${k} added (1)`, (s) => ((s.sizes as unknown as Record<string, number>)[k] = 1));
      if (k === 'low') m(`sizes.low added (-1)`, (s) => (s.sizes.low = -1));
    }
  }
  const w = plainWitness(st.witness);
  if ('seed' in w) {
    const seed = w.seed;
    m('seed +1', (s) => ((s.witness as { seed: number }).seed = seed + 1));
    if (seed > 0) m('seed -1', (s) => ((s.witness as { seed: number }).seed = seed - 1));
    m('seed 2^53-1', (s) => ((s.witness as { seed: number }).seed = Number.MAX_SAFE_INTEGER));
    m('seed replaced by tensors {}', (s) => (s.witness = { tensors: {} }));
  } else {
    const tensors = w.tensors;
    m('explicit witness replaced by seed 0', (s) => (s.witness = { seed: 0 }));
    for (const [name, t] of Object.entries(tensors)) {
      const i = Math.floor(t.length / 2);
      m(`witness tensor ${name}[${i}] +1`, (s) => ((s.witness as { tensors: Record<string, string[]> }).tensors[name][i] = inc(t[i])));
      m(`witness tensor ${name}[0] +1`, (s) => ((s.witness as { tensors: Record<string, string[]> }).tensors[name][0] = inc(t[0])));
      m(`witness tensor ${name}: last element removed`, (s) => (s.witness as { tensors: Record<string, string[]> }).tensors[name].pop());
      m(`witness tensor ${name}: element appended`, (s) => (s.witness as { tensors: Record<string, string[]> }).tensors[name].push('0'));
      m(`witness tensor ${name} removed`, (s) => delete (s.witness as { tensors: Record<string, string[]> }).tensors[name]);
      m(`witness tensor ${name}[0] not a number`, (s) => ((s.witness as { tensors: Record<string, string[]> }).tensors[name][0] = 'abc'));
      if (t.length > 1 && t[0] !== t[t.length - 1]) m(`witness tensor ${name} reversed`, (s) => (s.witness as { tensors: Record<string, string[]> }).tensors[name].reverse());
    }
    m('witness tensor added', (s) => ((s.witness as { tensors: Record<string, string[]> }).tensors.extra = ['1']));
  }
  for (const d of ['zkllm-kit2', 'zkllm-ki', '', 'Zkllm-kit', 'zkllm-kit\u0000', ' zkllm-kit', 'other']) if (d !== st.domain) m(`domain ${JSON.stringify(d)}`, (s) => (s.domain = d));
  for (const op of OPS) if (op !== st.op) m(`op ${op}`, (s) => (s.op = op));
  for (const v of [2, 0, '1', 1.5, null]) m(`version ${JSON.stringify(v)}`, (s) => (s.version = bad(v)));
  return out;
}

/** Garbage statements and non-Uint8Array proofs. */
function garbageCases(st: Statement, proof: Uint8Array): Case[] {
  const out: Case[] = [];
  const g = (name: string, statement: unknown, pr: unknown) => out.push({ name, statement, proof: pr });
  const m = (name: string, f: (s: Record<string, unknown>) => void) => {
    const s = clone(st) as unknown as Record<string, unknown>;
    f(s);
    out.push({ name, statement: s, proof });
  };
  for (const s of [null, undefined, {}, [], 42, 'statement', true, () => st, new Uint8Array(8)]) g(`statement ${typeof s === 'function' ? 'function' : JSON.stringify(s) ?? String(s)}`, s, proof);
  for (const k of ['version', 'op', 'domain', 'sizes', 'witness', 'claims', 'finalEvals']) {
    m(`field ${k} missing`, (s) => delete s[k]);
    m(`field ${k} null`, (s) => (s[k] = null));
    m(`field ${k} a number`, (s) => (s[k] = 7));
  }
  m('field op an empty string', (s) => (s.op = ''));
  m('field op in upper case', (s) => (s.op = String(s.op).toUpperCase()));
  m('field domain a String object', (s) => (s.domain = bad(new String(st.domain))));
  m('claims an object', (s) => (s.claims = { 0: '1' }));
  m('claims a string', (s) => (s.claims = '0'));
  m('finalEvals an object', (s) => (s.finalEvals = { 0: st.finalEvals[0] }));
  m('finalEvals a string', (s) => (s.finalEvals = 'x'));
  m('finalEvals[0] null', (s) => ((s.finalEvals as unknown[])[0] = null));
  m('finalEvals[0] a string', (s) => ((s.finalEvals as unknown[])[0] = 'a'));
  m('finalEvals[0].tensor a number', (s) => ((s.finalEvals as Record<string, unknown>[])[0].tensor = 1));
  m('finalEvals[0].point missing', (s) => delete (s.finalEvals as Record<string, unknown>[])[0].point);
  m('finalEvals[0].point a string', (s) => ((s.finalEvals as Record<string, unknown>[])[0].point = '1,2'));
  m('finalEvals[0].value missing', (s) => delete (s.finalEvals as Record<string, unknown>[])[0].value);
  m('finalEvals[0].value an array', (s) => ((s.finalEvals as Record<string, unknown>[])[0].value = [st.finalEvals[0].value]));
  const e0 = st.finalEvals[0];
  for (const v of ['', 'abc', '0x' + BigInt(e0.value).toString(16), ` ${e0.value}`, `${e0.value} `, `-${e0.value}`, `${e0.value}.0`, '1e3', '+1', (1n << 256n).toString(), (P * 3n).toString()]) {
    m(`finalEvals[0].value ${JSON.stringify(v.length > 40 ? v.slice(0, 12) + '…' : v)}`, (s) => ((s.finalEvals as Record<string, unknown>[])[0].value = v));
    if (e0.point.length) m(`finalEvals[0].point[0] ${JSON.stringify(v.length > 40 ? v.slice(0, 12) + '…' : v)}`, (s) => (((s.finalEvals as Record<string, unknown>[])[0].point as unknown[])[0] = v));
  }
  m('finalEvals[0].value a number', (s) => ((s.finalEvals as Record<string, unknown>[])[0].value = Number(e0.value.slice(0, 10))));
  m('finalEvals[0].value a bigint', (s) => ((s.finalEvals as Record<string, unknown>[])[0].value = BigInt(e0.value)));
  for (const v of ['abc', '-1', '0x1', '', 7]) m(`claims[0] ${JSON.stringify(v)}`, (s) => ((s.claims as unknown[])[0] = v));
  for (const v of [-1, -(2 ** 40), 2.5, NaN, Infinity, '3', null, 2 ** 53, 2 ** 60, 1e300]) {
    m(`sizes.num ${String(v)}`, (s) => ((s.sizes as Record<string, unknown>).num = v));
    const k = st.op === 'matmul' ? 'dim1' : 'dim';
    m(`sizes.${k} ${String(v)}`, (s) => ((s.sizes as Record<string, unknown>)[k] = v));
    if (st.op.startsWith('tlookup')) {
      m(`sizes.len ${String(v)}`, (s) => ((s.sizes as Record<string, unknown>).len = v));
      m(`sizes.low ${String(v)}`, (s) => ((s.sizes as Record<string, unknown>).low = typeof v === 'number' && v < 0 ? -v * 1e6 : v));
    }
  }
  m('sizes.num 0', (s) => ((s.sizes as Record<string, unknown>).num = 0));
  m('sizes an array', (s) => (s.sizes = [1, 2]));
  for (const w of [{}, { seed: -1 }, { seed: 1.5 }, { seed: '1' }, { seed: null }, { tensors: null }, { tensors: 'a' }, { tensors: { a: 'x' } }, { tensors: { a: [1] } }, []])
    m(`witness ${JSON.stringify(w)}`, (s) => (s.witness = w));
  for (const p of [null, undefined, Array.from(proof), proof.buffer, new Int8Array(proof), new Uint16Array(proof.length / 2), new Uint8ClampedArray(proof), new DataView(proof.buffer), Buffer.from(proof).toString('hex'), {}, { length: proof.length }])
    g(`proof ${p === null ? 'null' : p === undefined ? 'undefined' : (p as object).constructor?.name ?? typeof p}`, st, p);
  return out;
}

function randomFlipCases(st: Statement, proof: Uint8Array, rng: Rng, count: number): Case[] {
  const out: Case[] = [];
  for (let t = 0; t < count; t++) {
    const i = rng.int(proof.length);
    const mask = 1 + rng.int(255);
    const b = proof.slice();
    b[i] ^= mask;
    out.push({ name: `flip byte ${i} ^ 0x${mask.toString(16)} (scalar ${i >> 5}${scalarAt(b, i >> 5) >= P ? ', now ≥ p' : ''})`, statement: st, proof: b });
  }
  return out;
}

/** A random decimal digit of a random claim / final evaluation string changed. */
function randomDigitCases(st: Statement, proof: Uint8Array, rng: Rng, count: number): Case[] {
  const out: Case[] = [];
  const slots: [string, (s: Statement) => { get: () => string; set: (v: string) => void }][] = [];
  st.claims.forEach((_, i) => slots.push([`claims[${i}]`, (s) => ({ get: () => s.claims[i], set: (v) => (s.claims[i] = v) })]));
  st.finalEvals.forEach((e, i) => {
    slots.push([`finalEvals[${i}].value`, (s) => ({ get: () => s.finalEvals[i].value, set: (v) => (s.finalEvals[i].value = v) })]);
    e.point.forEach((_, j) => slots.push([`finalEvals[${i}].point[${j}]`, (s) => ({ get: () => s.finalEvals[i].point[j], set: (v) => (s.finalEvals[i].point[j] = v) })]));
  });
  for (let t = 0; t < count; t++) {
    const [where, at] = rng.pick(slots);
    const s = clone(st);
    const slot = at(s);
    const str = slot.get();
    const k = rng.int(str.length);
    const d = (Number(str[k]) + 1 + rng.int(9)) % 10;
    slot.set(str.slice(0, k) + d + str.slice(k + 1));
    out.push({ name: `${where} digit ${k} → ${d}`, statement: s, proof });
  }
  return out;
}

// ---- the tests -------------------------------------------------------------------------------

for (const op of OPS) {
  describe(`proof tamper matrix: ${op}`, () => {
    for (const kind of ['seeded', 'explicit'] as const) {
      const rng = new Rng(`proof-tamper.${op}.${kind}`);
      const sizes = BASE[op];
      const { statement, proof } =
        kind === 'seeded'
          ? prove({ op, ...sizes, seed: 1 + rng.int(1e6) })
          : prove({ op, ...sizes, tensors: randomWitness(rng, op, sizes) });
      const tag = `[${op} ${kind} ${JSON.stringify(sizes)}] ${rng.tag}`;

      test(`${kind}: the honest pair verifies (the baseline of every case)`, () => {
        assert.ok(proof.length >= 64, tag);
        const r = checkProof(clone(statement), proof);
        assert.ok(r.valid, `${r.reason} ${tag}`);
        assert.ok(checkSumchecksOnly(clone(statement), proof).consistent, tag);
      });

      test(`${kind}: every proof scalar changed (+1, +p, 0, p−1) or swapped with its neighbour`, () => {
        const cases = proofScalarCases(statement, proof);
        assert.ok(cases.length >= 2 * (proof.length / 32));
        expectRejected(cases, tag);
        expectRejected(cases, tag, 'sumchecks');
      });

      test(`${kind}: claims and final evaluation values / points changed`, () => {
        const cases = claimCases(statement, proof);
        expectRejected(cases, tag);
        expectRejected(cases, tag, 'sumchecks');
        expectRejected(swapCases(statement, proof), tag);
      });

      test(`${kind}: final evaluation entries removed, duplicated, renamed`, () => {
        const cases = entryCases(statement, proof);
        expectRejected(cases, tag);
        expectRejected(cases, tag, 'sumchecks');
      });

      test(`${kind}: proof truncated (1 and 32 bytes), extended (1 and 32 bytes), emptied, doubled`, () => {
        const cases = proofLengthCases(statement, proof);
        expectRejected(cases, tag);
        expectRejected(cases, tag, 'sumchecks');
      });

      test(`${kind}: sizes ±1 / added / removed, seed, witness tensors, domain, op and version changed`, () => {
        const cases = statementCases(statement, proof);
        expectRejected(cases, tag);
        expectRejected(cases, tag, 'sumchecks');
      });

      test(`${kind}: garbage statements and non-Uint8Array proofs`, () => {
        expectRejected(garbageCases(statement, proof), tag);
      });

      test(`${kind}: ${kind === 'seeded' ? 250 : 100} random single-byte flips of the proof`, () => {
        const cases = randomFlipCases(statement, proof, rng, kind === 'seeded' ? 250 : 100);
        expectRejected(cases, tag);
      });

      test(`${kind}: 100 random digit changes in the statement's claims and final evaluations`, () => {
        expectRejected(randomDigitCases(statement, proof, rng, 100), tag);
      });

      test(`${kind}: the independent TS verifier (test/helpers/proof-verifier.ts) also rejects a sample of the cases`, () => {
        assert.ok(refVerify(statement, proof).ok, tag);
        const all = [...proofScalarCases(statement, proof), ...claimCases(statement, proof), ...swapCases(statement, proof), ...entryCases(statement, proof)];
        for (let t = 0; t < 40; t++) {
          const c = rng.pick(all);
          assert.equal(refVerify(c.statement as Statement, c.proof as Uint8Array).ok, false, `${c.name} ${tag}`);
        }
      });

      test(`${kind}: the proof of another witness or another domain, with this statement`, () => {
        const other =
          kind === 'seeded'
            ? prove({ op, ...sizes, seed: (statement.witness as { seed: number }).seed + 1 })
            : prove({ op, ...sizes, tensors: randomWitness(rng, op, sizes) });
        const otherDomain = prove({ ...statementSpec(statement), domain: 'another-domain' });
        assert.equal(otherDomain.proof.length, proof.length);
        expectRejected(
          [
            { name: 'proof of another witness', statement, proof: other.proof },
            { name: 'statement of another witness', statement: other.statement, proof },
            { name: 'proof made under another domain', statement, proof: otherDomain.proof },
            { name: 'another witness’s final evaluations', statement: { ...clone(statement), finalEvals: other.statement.finalEvals }, proof },
          ],
          tag,
        );
      });
    }
  });
}

function statementSpec(st: Statement) {
  const w = plainWitness(st.witness);
  return 'seed' in w ? { op: st.op, ...st.sizes, seed: w.seed } : { op: st.op, ...st.sizes, tensors: Object.fromEntries(Object.entries(w.tensors).map(([k, v]) => [k, v.map((x) => BigInt(x))])) };
}

describe('proof tamper: statement encoding and cost', () => {
  // Field elements in a statement are decimal strings (src/proof.ts). claims and finalEvals are
  // parsed strictly (/^[0-9]+$/, then < p); the witness tensors should be too.
  const base = prove({ op: 'hadamard', num: 1, dim: 3, tensors: { a: [0, 16, 2], b: [1, 1, 1], c: [0, 16, 2] } });
  const withA = (i: number, v: unknown): Case => {
    const s = clone(base.statement);
    (s.witness as { tensors: Record<string, unknown[]> }).tensors.a[i] = v;
    return { name: `witness tensors.a[${i}] := ${JSON.stringify(v)} (honest value ${i === 0 ? 0 : 16})`, statement: s, proof: base.proof };
  };

  test('witness tensor elements that are not decimal strings are rejected ("", whitespace, hex, binary, octal, numbers)', () => {
    assert.ok(verify(base.statement, base.proof));
    expectRejected(
      [withA(0, ''), withA(0, ' '), withA(1, ' 16'), withA(1, '16 '), withA(1, '\n16'), withA(1, '0x10'), withA(1, '0X10'), withA(1, '0b10000'), withA(1, '0o20'), withA(1, 16), withA(1, '16n'), withA(1, '1.6e1')],
      'witness tensors: non-decimal strings',
    );
  });

  test('non-canonical decimal forms of the same values are rejected (leading zeros, a sign, values ≥ p), so a proof has one statement', () => {
    const leading = (f: (s: Statement) => void): Case => {
      const s = clone(base.statement);
      f(s);
      return { name: 'leading zero', statement: s, proof: base.proof };
    };
    expectRejected(
      [
        withA(1, '016'), withA(1, '+16'), withA(1, (16n + P).toString()), withA(1, (16n - P).toString()), withA(0, '-0'),
        leading((s) => (s.finalEvals[0].value = '0' + s.finalEvals[0].value)),
        leading((s) => (s.finalEvals[1].point[0] = '00' + s.finalEvals[1].point[0])),
      ],
      'non-canonical decimal strings',
    );
  });

  test('a statement whose sizes were raised to 2^22-2^30 is rejected before work proportional to those sizes (under 1 s)', () => {
    // The proof stays the honest one, so its length alone shows it does not fit the new sizes.
    // (verify_tlookup builds the whole table in LookupSetup before it checks the proof length: a
    // statement with len raised to the allowed 2^28 would hold ~8-24 GB and run for minutes
    // before the cheap "proof has N scalars, expected M" rejection.)
    const bumps: [SumcheckOp, Record<string, number>][] = [
      ['inner-product', { num: 2 ** 30 }], ['inner-product', { dim: 2 ** 30 }],
      ['hadamard', { num: 2 ** 30 }], ['hadamard', { dim: 2 ** 30 }],
      ['matmul', { num: 2 ** 20, dim1: 2 ** 10 }], ['matmul', { dim0: 2 ** 15, dim1: 2 ** 15 }],
      ['tlookup-range', { num: 2 ** 30 }], ['tlookup-range', { len: 2 ** 23 }],
      ['tlookup-map', { dim: 2 ** 30 }], ['tlookup-map', { len: 2 ** 22 }],
    ];
    const slow: string[] = [];
    for (const [op, change] of bumps) {
      const { statement, proof } = prove({ op, ...BASE[op], seed: 4 });
      const s = clone(statement);
      Object.assign(s.sizes, change);
      const t0 = process.hrtime.bigint();
      const r = checkProof(s, proof);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.equal(r.valid, false, `${op} ${JSON.stringify(change)}`);
      if (ms > 1000) slow.push(`${op} sizes ${JSON.stringify(change)}: ${ms.toFixed(0)} ms to reject ("${r.reason}")`);
    }
    assert.deepEqual(slow, [], 'statements with raised sizes that took over 1 s to reject');
  });
});
