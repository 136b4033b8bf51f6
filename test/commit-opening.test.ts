// Commit mode and the 'commit' / 'opening' ops: completeness for several row lengths and sizes
// (including tensors that are not a whole number of rows), and rejection of every tampered part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProof, commitments, g1, prove, verify, ProveSpec, Statement } from '../src';
import { mod } from './helpers/field';
import { lookupCounts, matmulRef, mleEval, nextPow2, witnessInt } from './helpers/proof-ref';

const seed = 1 + Math.floor(Math.random() * 1e9);
const clone = (s: Statement): Statement => JSON.parse(JSON.stringify(s));
const bump = (x: string) => (BigInt(x) + 1n).toString();

test('every op proves and verifies in commit mode', () => {
  const specs: ProveSpec[] = [
    { op: 'inner-product', num: 3, dim: 5 },
    { op: 'hadamard', num: 3, dim: 6 },
    { op: 'matmul', num: 2, dim0: 3, dim1: 5, dim2: 6 },
    { op: 'tlookup-range', num: 3, dim: 37, low: -20, len: 50 },
    { op: 'tlookup-map', num: 2, dim: 40, low: 5, len: 33 },
  ];
  for (const spec of specs)
    for (const genDim of [1, 4, 16]) {
      const { statement, proof } = prove({ ...spec, seed, commit: true, genDim });
      const s = clone(statement);
      assert.ok('commitments' in s.witness && !('seed' in s.witness), `${spec.op}: statement holds commitments, not the witness`);
      const r = checkProof(s, proof);
      assert.ok(r.valid, `${spec.op} genDim ${genDim} (seed ${seed}): ${r.reason}`);
      // a wrong final evaluation is caught by the sumcheck or by its opening
      for (let i = 0; i < s.finalEvals.length; i++) {
        const t = clone(s);
        t.finalEvals[i].value = bump(t.finalEvals[i].value);
        assert.equal(verify(t, proof), false, `${spec.op}: finalEvals[${i}] changed (seed ${seed})`);
      }
    }
});

test('a committed seeded range lookup that fills its layout (opened by the engines, not from host tensors) commits to its witness', () => {
  const hexRows = (rows: Uint8Array[]) => rows.map((r) => Buffer.from(r).toString('hex'));
  for (const [num, dim, low, len, genDim] of [[4, 64, -20, 50, 16], [2, 32, 3, 300, 64], [1, 16, 0, 8, 32]]) {
    const tag = `${num}x${dim} [${low}, ${low + len}) genDim ${genDim} (seed ${seed})`;
    const { statement, proof } = prove({ op: 'tlookup-range', num, dim, low, len, seed, commit: true, genDim });
    const r = checkProof(clone(statement), proof);
    assert.ok(r.valid, `${tag}: ${r.reason}`);
    assert.ok('commitments' in statement.witness);
    const got = statement.witness.commitments as Record<string, string[]>;
    const values = Int32Array.from({ length: num * dim }, (_, i) => Number(witnessInt(seed, 21, i, low, len)));
    assert.deepEqual(got.values, hexRows(commitments.commit(values, { genDim }).rows), `${tag}: values`);
    const counts = lookupCounts(Array.from(values, BigInt), low, len, num * dim);
    const m = [...counts, ...new Array(nextPow2(len) - len).fill(0n)];
    assert.deepEqual(got.multiplicities, hexRows(commitments.commit(m, { genDim }).rows), `${tag}: multiplicities`);
    for (let i = 0; i < statement.finalEvals.length; i++) {
      const t = clone(statement);
      t.finalEvals[i].value = bump(t.finalEvals[i].value);
      assert.equal(verify(t, proof), false, `${tag}: finalEvals[${i}] changed`);
    }
  }
});

test('a committed seeded matmul of whole rows (A, B and C = A·B on opening engines) commits to its witness', () => {
  const hexRows = (rows: Uint8Array[]) => rows.map((r) => Buffer.from(r).toString('hex'));
  for (const [num, dim0, dim1, dim2, genDim] of [[3, 4, 8, 2, 4], [2, 8, 4, 16, 64], [1, 2, 2, 2, 16]]) {
    const tag = `${num} x ${dim0}·${dim1}·${dim2} genDim ${genDim} (seed ${seed})`;
    const { statement, proof } = prove({ op: 'matmul', num, dim0, dim1, dim2, seed, commit: true, genDim });
    const r = checkProof(clone(statement), proof);
    assert.ok(r.valid, `${tag}: ${r.reason}`);
    assert.ok('commitments' in statement.witness);
    const got = statement.witness.commitments as Record<string, string[]>;
    const draw = (id: number, n: number) => Array.from({ length: n }, (_, i) => witnessInt(seed, id, i, -(2 ** 15), 2 ** 16));
    const A = draw(11, num * dim0 * dim1), B = draw(12, num * dim1 * dim2);
    const C = matmulRef(A, B, num, dim0, dim1, dim2);
    const pad = (t: bigint[], n: number) => [...t, ...new Array(n - t.length).fill(0n)];
    assert.deepEqual(got.A, hexRows(commitments.commit(Int32Array.from(pad(A, nextPow2(num) * dim0 * dim1), Number), { genDim }).rows), `${tag}: A`);
    assert.deepEqual(got.B, hexRows(commitments.commit(Int32Array.from(pad(B, nextPow2(num) * dim1 * dim2), Number), { genDim }).rows), `${tag}: B`);
    assert.deepEqual(got.C, hexRows(commitments.commit(pad(C, nextPow2(num) * dim0 * dim2), { genDim }).rows), `${tag}: C`);
    for (let i = 0; i < statement.finalEvals.length; i++) {
      const t = clone(statement);
      t.finalEvals[i].value = bump(t.finalEvals[i].value);
      assert.equal(verify(t, proof), false, `${tag}: finalEvals[${i}] changed`);
    }
  }
});

test('committed witness: swapped or altered commitments are rejected', () => {
  const { statement, proof } = prove({ op: 'hadamard', num: 2, dim: 8, seed, commit: true, genDim: 4 });
  assert.ok('commitments' in statement.witness);
  const swapped = clone(statement) as Statement & { witness: { commitments: Record<string, string[]> } };
  [swapped.witness.commitments.a, swapped.witness.commitments.b] = [swapped.witness.commitments.b, swapped.witness.commitments.a];
  assert.equal(verify(swapped, proof), false, `swapped a and b (seed ${seed})`);
  const altered = clone(statement) as Statement & { witness: { commitments: Record<string, string[]> } };
  altered.witness.commitments.c[0] = Buffer.from(g1.generator()).toString('hex');
  assert.equal(verify(altered, proof), false, `altered a row of c (seed ${seed})`);
  const dropped = clone(statement) as Statement & { witness: { commitments: Record<string, string[]> } };
  dropped.witness.commitments.b.pop();
  assert.equal(verify(dropped, proof), false, `dropped a row of b (seed ${seed})`);
});

test("'commit' gives row commitments and 'opening' opens many tensors at one point", () => {
  for (const [num, dim, genDim] of [[1, 4, 4], [3, 100, 16], [4, 7, 16], [2, 64, 8]]) {
    const c = prove({ op: 'commit', num, dim, genDim, seed });
    assert.ok('commitments' in c.statement.witness);
    assert.equal(Object.keys(c.statement.witness.commitments).length, num);
    for (const rows of Object.values(c.statement.witness.commitments))
      assert.equal(rows.length, Math.ceil(2 ** Math.ceil(Math.log2(dim)) / genDim));
    assert.ok(verify(c.statement, c.proof));
    const o = prove({ op: 'opening', num, dim, genDim, seed });
    assert.ok(checkProof(clone(o.statement), o.proof).valid, `opening ${num}x${dim}/${genDim} (seed ${seed})`);
  }
});

test('opening tamper matrix: every L, R, the final scalar, the claims, swapped commitments, length', () => {
  const { statement, proof } = prove({ op: 'opening', num: 3, dim: 100, genDim: 16, seed });
  assert.ok(verify(statement, proof));
  const m = 4; // log2(genDim) rounds
  const gen = g1.generator();
  for (let k = 0; k < 2 * m; k++) {
    const bad = Uint8Array.from(proof);
    const other = Buffer.from(bad.subarray(96 * k, 96 * k + 96)).equals(Buffer.from(gen)) ? g1.double(gen) : gen;
    bad.set(other, 96 * k);
    const r = checkProof(statement, bad);
    assert.equal(r.valid, false, `${k < m ? 'L' : 'R'}[${k % m}] replaced (seed ${seed})`);
  }
  const badA = Uint8Array.from(proof);
  badA[2 * m * 96] ^= 1;
  assert.equal(verify(statement, badA), false, 'final scalar changed');
  for (let i = 0; i < statement.finalEvals.length; i++) {
    const t = clone(statement);
    t.finalEvals[i].value = bump(t.finalEvals[i].value);
    assert.equal(verify(t, proof), false, `claimed value x${i} changed`);
  }
  const sw = clone(statement) as Statement & { witness: { commitments: Record<string, string[]> } };
  [sw.witness.commitments.x0, sw.witness.commitments.x2] = [sw.witness.commitments.x2, sw.witness.commitments.x0];
  assert.equal(verify(sw, proof), false, 'commitments swapped');
  for (const cut of [1, 32, 96]) assert.equal(verify(statement, proof.subarray(0, proof.length - cut)), false, `truncated by ${cut}`);
  for (const extra of [1, 32]) assert.equal(verify(statement, new Uint8Array([...proof, ...new Uint8Array(extra)])), false, `extended by ${extra}`);
  const otherLabel = clone(statement) as Statement & { witness: { genLabel: string } };
  otherLabel.witness.genLabel = 'another-label';
  assert.equal(verify(otherLabel, proof), false, 'other generator label');
});

test('an argument over more than 2^10 generators stops after 10 rounds and sends the rest of a: every part of it is bound', () => {
  const genDim = 4096; // 12 rounds would be a full argument: 10 are run, 4 entries of a remain
  const { statement, proof } = prove({ op: 'opening', num: 2, dim: 3 * genDim, genDim, seed });
  const r = checkProof(clone(statement), proof);
  assert.ok(r.valid, `honest (seed ${seed}): ${r.reason}`);
  assert.equal(proof.length, 2 * 10 * 96 + 4 * 32, 'ten rounds of L and R, then four entries');
  const gen = g1.generator();
  for (const k of [0, 9, 10, 19]) {
    const bad = Uint8Array.from(proof);
    const other = Buffer.from(bad.subarray(96 * k, 96 * k + 96)).equals(Buffer.from(gen)) ? g1.double(gen) : gen;
    bad.set(other, 96 * k);
    assert.equal(verify(statement, bad), false, `${k < 10 ? 'L' : 'R'}[${k % 10}] replaced (seed ${seed})`);
  }
  for (let e = 0; e < 4; e++) {
    const bad = Uint8Array.from(proof);
    const at = 2 * 10 * 96 + 32 * e;
    bad[at] = bad[at] === 0 ? 1 : bad[at] - 1; // a small change keeps the entry canonical
    assert.equal(verify(statement, bad), false, `final entry ${e} changed (seed ${seed})`);
  }
  assert.equal(verify(statement, proof.subarray(0, proof.length - 32)), false, 'one entry short');
  for (let i = 0; i < statement.finalEvals.length; i++) {
    const t = clone(statement);
    t.finalEvals[i].value = bump(t.finalEvals[i].value);
    assert.equal(verify(t, proof), false, `claimed value x${i} changed (seed ${seed})`);
  }
});

test("'opening' claims equal the tensors' MLEs: seeded, given int32 tensors (edges included), given field elements", () => {
  const [num, dim, genDim] = [3, 300, 32];
  const pad = (t: bigint[]) => [...t, ...new Array<bigint>(nextPow2(dim) - t.length).fill(0n)];
  const claimsMatch = (st: Statement, tensors: bigint[][], tag: string) => {
    assert.equal(st.finalEvals.length, tensors.length, tag);
    st.finalEvals.forEach((e, i) =>
      assert.equal(BigInt(e.value), mleEval(pad(tensors[i]), e.point.map(BigInt)), `${tag}: x${i} (seed ${seed})`));
  };
  // seeded: tensor i is stream 31·2^16 + i of 16-bit signed values (opening_ops.cpp)
  const seeded = prove({ op: 'opening', num, dim, genDim, seed });
  const drawn = Array.from({ length: num }, (_, i) =>
    Array.from({ length: dim }, (_, k) => mod(witnessInt(seed, 31 * 0x10000 + i, k, -(2 ** 15), 2 ** 16))));
  claimsMatch(seeded.statement, drawn, 'seeded');
  assert.ok(verify(seeded.statement, seeded.proof));
  // given int32 tensors, with both ends of the range; then one element beyond int32
  const edges = [-(2n ** 31n), 2n ** 31n - 1n, -1n, 0n, 1n];
  const ints = drawn.map((t, i) => t.map((x, k) => (k < edges.length ? mod(edges[(k + i) % edges.length]) : x)));
  const wide = ints.map((t, i) => (i === 1 ? t.map((x, k) => (k === 7 ? 2n ** 40n + 3n : x)) : t));
  for (const [tag, tensors] of [['int32', ints], ['beyond int32', wide]] as const) {
    const named = Object.fromEntries(tensors.map((t, i) => [`x${i}`, t]));
    const o = prove({ op: 'opening', num, dim, genDim, tensors: named, commit: true });
    claimsMatch(o.statement, tensors, tag);
    const r = checkProof(clone(o.statement), o.proof);
    assert.ok(r.valid, `${tag}: ${r.reason}`);
    const t = clone(o.statement);
    t.finalEvals[2].value = bump(t.finalEvals[2].value);
    assert.equal(verify(t, o.proof), false, `${tag}: claim changed`);
  }
});
