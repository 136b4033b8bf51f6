// Commit mode opens all of a proof's final evaluations with one inner-product argument
// (native/proto/claims_opening.h): a sumcheck over the row folds' columns reduces the claims'
// points to one, the prover sends every fold's value there, and one argument proves their
// σ-combination. These tests check the layout (one argument whatever the number of claims and
// points), that every part of it is bound, and that a prover deviating after a challenge is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProof, prove, verify, ProveSpec, Statement } from '../src';
import { P, mod } from './helpers/field';
import { advProve } from './adversary/prover';

const seed = 1 + Math.floor(Math.random() * 1e9);
const clone = (s: Statement): Statement => JSON.parse(JSON.stringify(s));
const G1_BYTES = 96;

/** Bytes of the claims opening: m rounds of 3 scalars, one scalar per claim (no padding terms
 *  here), then one argument of min(m, 10) rounds of L and R and the 2^(m − rounds) entries left. */
function claimsOpeningBytes(claims: number, m: number): number {
  const rounds = Math.min(m, 10);
  return 32 * (3 * m + claims) + 2 * G1_BYTES * rounds + 32 * 2 ** (m - rounds);
}

// Sizes that are powers of two, so no axis straddles a row and every claim has one term.
const SPECS: ProveSpec[] = [
  { op: 'inner-product', num: 4, dim: 16 },
  { op: 'hadamard', num: 4, dim: 16 },
  { op: 'matmul', num: 2, dim0: 4, dim1: 8, dim2: 4 },
  { op: 'tlookup-range', num: 4, dim: 16, low: -8, len: 16 },
  { op: 'tlookup-map', num: 4, dim: 16, low: 0, len: 16 },
];

test('commit mode opens every final evaluation, at however many points, with one argument', () => {
  for (const spec of SPECS)
    for (const genDim of [4, 8]) {
      const m = Math.log2(genDim);
      const plain = prove({ ...spec, seed });
      const committed = prove({ ...spec, seed, commit: true, genDim });
      const tag = `${spec.op} genDim ${genDim} (seed ${seed})`;
      assert.ok(verify(committed.statement, committed.proof), tag);
      const claims = committed.statement.finalEvals.length;
      const points = new Set(committed.statement.finalEvals.map((e) => e.point.join(',')));
      if (spec.op !== 'inner-product') assert.ok(points.size >= 2, `${tag}: claims at ${points.size} point(s)`);
      assert.equal(committed.proof.length - plain.proof.length, claimsOpeningBytes(claims, m), `${tag}: one opening of ${claims} claims`);
    }
});

test('every scalar and point of the claims opening is bound', () => {
  const genDim = 8;
  const m = 3;
  const { statement, proof } = prove({ op: 'hadamard', num: 4, dim: 16, seed, commit: true, genDim });
  assert.ok(verify(statement, proof));
  const claims = statement.finalEvals.length;
  const start = proof.length - claimsOpeningBytes(claims, m);
  const scalarAt = (k: number) => start + 32 * k;
  const bumpScalar = (bytes: Uint8Array, off: number) => {
    let x = 0n;
    for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(bytes[off + i]);
    x = mod(x + 1n);
    for (let i = 0; i < 32; i++) bytes[off + i] = Number((x >> BigInt(8 * i)) & 0xffn);
  };
  // the reduction's round messages, then the values at the reduced point
  for (let k = 0; k < 3 * m + claims; k++) {
    const bad = Uint8Array.from(proof);
    bumpScalar(bad, scalarAt(k));
    assert.equal(verify(statement, bad), false, `scalar ${k} of the opening changed (seed ${seed})`);
  }
  // L and R of every round: each swapped with another round's point (still points of G1)
  const points = scalarAt(3 * m + claims);
  for (let j = 0; j < 2 * m; j++) {
    const bad = Uint8Array.from(proof);
    const other = (j + 1) % (2 * m);
    bad.set(proof.subarray(points + other * G1_BYTES, points + (other + 1) * G1_BYTES), points + j * G1_BYTES);
    const r = checkProof(statement, bad);
    assert.equal(r.valid, false, `point ${j} swapped (seed ${seed})`);
    assert.match(r.reason, /inner-product argument/);
  }
  // the entry the argument ends with
  const last = Uint8Array.from(proof);
  bumpScalar(last, proof.length - 32);
  assert.equal(verify(statement, last), false, 'final entry changed');
  for (const cut of [32, 96]) assert.equal(verify(statement, proof.subarray(0, proof.length - cut)), false, `truncated by ${cut}`);
  assert.equal(verify(statement, new Uint8Array([...proof, ...new Uint8Array(32)])), false, 'one scalar appended');
});

test('a prover that moves value between two claims at the reduced point (the last check still holds) is caught by the argument', () => {
  for (const spec of SPECS.slice(1)) {
    const full = { ...spec, seed, commit: true, genDim: 4 };
    const honest = advProve(full, { claimsAt: (at) => at });
    assert.equal(Buffer.from(honest.proof).toString('hex'), Buffer.from(prove(full).proof).toString('hex'), `${spec.op}: the hook alone changes nothing`);
    const delta = BigInt(seed) + 5n;
    const forged = advProve(full, {
      // at0 += δ·w1, at1 −= δ·w0 keeps Σ w_p·at_p, the reduction's last check
      claimsAt: (at, w) => {
        const out = at.slice();
        out[0] = mod(at[0] + delta * w[1]);
        out[1] = mod(at[1] - delta * w[0] + P);
        return out;
      },
    });
    const r = checkProof(forged.statement, forged.proof);
    assert.equal(r.valid, false, `${spec.op}: shifted values at the reduced point must be rejected (seed ${seed})`);
    assert.match(r.reason, /open\/claims: inner-product argument does not verify/);
  }
});

test('a prover that opens another tensor than it committed is caught by the claims opening', () => {
  for (const [spec, name] of [[SPECS[1], 'c'], [SPECS[2], 'C'], [SPECS[3], 'multiplicities']] as const) {
    const forged = advProve(
      { ...spec, seed, commit: true, genDim: 4 },
      { opened: (n, t) => (n === name ? t.map((x, i) => (i === 1 ? mod(x + 1n) : x)) : undefined) },
    );
    const r = checkProof(forged.statement, forged.proof);
    assert.equal(r.valid, false, `${spec.op}: '${name}' opened with an entry changed (seed ${seed})`);
    assert.match(r.reason, /open\/claims/);
  }
});

test('a statement listing its claims in another order does not verify', () => {
  // the claims' values are absorbed in the statement's order before ρ: another order is another
  // transcript
  const { statement, proof } = prove({ op: 'tlookup-map', num: 4, dim: 16, low: 0, len: 16, seed, commit: true, genDim: 4 });
  assert.ok(verify(statement, proof));
  const swapped = clone(statement);
  [swapped.finalEvals[0], swapped.finalEvals[1]] = [swapped.finalEvals[1], swapped.finalEvals[0]];
  assert.equal(verify(swapped, proof), false);
});
