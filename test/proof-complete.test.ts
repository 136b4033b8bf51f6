// Completeness of the five sumcheck protocol ops (issue 3), with every statement checked
// independently: the witness is re-derived in TypeScript (from the seed, or the explicit tensors),
// the outputs (c = a∘b, C = A·B, lookup outputs and multiplicities) are computed with bigints, and
// every final evaluation claim but the lookup 'inverses' is recomputed as a zero-padded,
// LSB-first MLE. Sizes include non-powers of two on every axis, 1 on every axis, table length 1
// and negative or large `low`.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { prove, verify, checkProof, checkSumchecksOnly } from '../src';
import type { ProveSpec, Statement, WitnessTensors } from '../src';
import type { ProofSizes } from '../src/proof';
import { Rng } from './helpers/rng';
import { P, frCase, mod } from './helpers/field';
import {
  OPS, assertCanonicalScalars, assertPlainJson, checkStatementAgainstWitness, clone, lookupCounts, mleEval, mleEvalDirect,
  defaultMapTable, nextPow2, padAxes, plainWitness, randomWitness, refWitness,
} from './helpers/proof-ref';
import type { SumcheckOp } from './helpers/proof-ref';
import { refVerify } from './helpers/proof-verifier';

const SIZES: Record<SumcheckOp, ProofSizes[]> = {
  'inner-product': [
    { num: 1, dim: 1 }, { num: 1, dim: 2 }, { num: 2, dim: 1 }, { num: 1, dim: 7 }, { num: 3, dim: 5 }, { num: 4, dim: 64 },
    { num: 5, dim: 100 }, { num: 7, dim: 300 }, { num: 1, dim: 1000 }, { num: 16, dim: 128 }, { num: 33, dim: 3 },
  ],
  hadamard: [
    { num: 1, dim: 1 }, { num: 1, dim: 2 }, { num: 3, dim: 1 }, { num: 1, dim: 7 }, { num: 3, dim: 5 }, { num: 4, dim: 64 },
    { num: 5, dim: 100 }, { num: 7, dim: 300 }, { num: 1, dim: 1000 }, { num: 16, dim: 128 }, { num: 33, dim: 3 },
  ],
  matmul: [
    { num: 1, dim0: 1, dim1: 1, dim2: 1 }, { num: 1, dim0: 1, dim1: 7, dim2: 1 }, { num: 1, dim0: 3, dim1: 5, dim2: 7 },
    { num: 2, dim0: 4, dim1: 4, dim2: 4 }, { num: 3, dim0: 5, dim1: 6, dim2: 7 }, { num: 5, dim0: 9, dim1: 17, dim2: 3 },
    { num: 2, dim0: 16, dim1: 32, dim2: 8 }, { num: 1, dim0: 20, dim1: 1, dim2: 20 }, { num: 6, dim0: 1, dim1: 3, dim2: 1 },
    { num: 3, dim0: 2, dim1: 1, dim2: 1 },
  ],
  'tlookup-range': [
    { num: 1, dim: 1, low: 0, len: 1 }, { num: 1, dim: 1, low: -5, len: 1 }, { num: 2, dim: 3, low: 7, len: 1 },
    { num: 3, dim: 5, low: -4, len: 10 }, { num: 4, dim: 64, low: 0, len: 256 }, { num: 5, dim: 100, low: -1000, len: 4096 },
    { num: 2, dim: 37, low: -300, len: 600 }, { num: 7, dim: 1, low: 3, len: 2 }, { num: 1, dim: 9, low: -(2 ** 50), len: 8 },
    { num: 3, dim: 3, low: 2 ** 50, len: 5 }, { num: 1, dim: 1000, low: -2048, len: 4096 }, { num: 8, dim: 8, low: -1, len: 3 },
  ],
  'tlookup-map': [
    { num: 1, dim: 1, low: 0, len: 1 }, { num: 1, dim: 1, low: -5, len: 1 }, { num: 2, dim: 3, low: 7, len: 1 },
    { num: 3, dim: 5, low: -4, len: 10 }, { num: 4, dim: 64, low: 0, len: 256 }, { num: 5, dim: 100, low: -1000, len: 4096 },
    { num: 2, dim: 37, low: -300, len: 600 }, { num: 7, dim: 1, low: 3, len: 2 }, { num: 1, dim: 9, low: -(2 ** 50), len: 8 },
    { num: 3, dim: 3, low: 2 ** 50, len: 5 }, { num: 8, dim: 8, low: -1, len: 3 },
  ],
};

const show = (s: ProofSizes) => JSON.stringify(s);

/** Proves, checks the statement's shape and JSON round trip, verifies, and checks it against the reference. */
function proveAndCheck(spec: ProveSpec, tag: string): { statement: Statement; proof: Uint8Array } {
  const { statement, proof, prover } = prove(spec);
  const where = `${spec.op} ${show(statement.sizes)} ${tag}`;
  assert.ok(proof instanceof Uint8Array, where);
  assert.equal(proof.length % 32, 0, `proof length ${proof.length} ${where}`);
  assertPlainJson(statement);
  assertCanonicalScalars(statement);
  assert.equal(statement.version, 1, where);
  assert.equal(statement.op, spec.op, where);
  assert.equal(statement.domain, spec.domain ?? 'zkllm-kit', where);
  const roundTrip = clone(statement);
  assert.deepEqual(roundTrip, statement, `JSON round trip changes the statement ${where}`);
  const r1 = checkProof(statement, proof);
  assert.ok(r1.valid, `honest proof rejected: ${r1.reason} ${where}`);
  const r2 = checkProof(roundTrip, proof);
  assert.ok(r2.valid, `honest proof rejected after a JSON round trip: ${r2.reason} ${where}`);
  assert.equal(checkSumchecksOnly(roundTrip, Uint8Array.from(proof)).consistent, true, `sumchecks only ${where}`);
  checkStatementAgainstWitness(statement, refWitness(statement.op, statement.sizes, statement.witness), where);
  // an independent verifier re-derives every challenge, so every point, and checks 'inverses' too
  const ref = refVerify(statement, proof);
  assert.ok(ref.ok, `independent TS verifier rejects: ${ref.reason} ${where}`);
  if (prover.backend !== 'cpu') {
    // 'auto' is CUDA on a GPU machine: its proof must be the CPU's, byte for byte
    const cpu = prove({ ...spec, backend: 'cpu' });
    assert.deepEqual(Buffer.from(proof), Buffer.from(cpu.proof), `${prover.backend} and cpu proofs differ ${where}`);
    assert.deepEqual(statement, cpu.statement, `${prover.backend} and cpu statements differ ${where}`);
  }
  return { statement, proof };
}

function throwsNotInTable(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof Error && /not in the table/.test(e.message));
}

describe('proof reference helpers agree with each other', () => {
  test('mleEval (folding) equals the direct definition, with zero padding and LSB-first points', () => {
    const rng = new Rng('proof-complete.mle');
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + rng.int(20);
      const k = Math.max(0, Math.ceil(Math.log2(n))) + rng.int(3);
      const t = Array.from({ length: n }, () => frCase(rng));
      const r = Array.from({ length: k }, () => frCase(rng));
      assert.equal(mleEval(t, r), mleEvalDirect(t, r), `n=${n} k=${k} ${rng.tag}`);
    }
    // at a Boolean point the MLE is the entry: bit j of the index is coordinate j
    const t = [10n, 11n, 12n, 13n, 14n];
    assert.equal(mleEval(t, [0n, 0n, 1n]), 14n);
    assert.equal(mleEval(t, [1n, 1n, 0n]), 13n);
    assert.equal(mleEval(t, [1n, 0n, 0n]), 11n);
    assert.equal(mleEval(t, [1n, 0n, 1n]), 0n); // index 5 is padding
    // instance-major padding: 2 instances of 3 → [x00 x01 x02 0 | x10 x11 x12 0]
    assert.deepEqual(padAxes([1n, 2n, 3n, 4n, 5n, 6n], [2, 3]), [1n, 2n, 3n, 0n, 4n, 5n, 6n, 0n]);
    assert.deepEqual(padAxes([1n, 2n, 3n], [3, 1], 9n), [1n, 2n, 3n, 9n]);
  });
});

describe('proof completeness', () => {
  for (const op of OPS) {
    test(`${op}: seeded witnesses at ${SIZES[op].length} sizes (non-powers of two, 1s, table length 1) verify and match the reference`, () => {
      const rng = new Rng(`proof-complete.${op}.seeded`);
      for (const sizes of SIZES[op]) {
        const seed = rng.int(2 ** 31);
        proveAndCheck({ op, ...sizes, seed }, `seed ${seed} ${rng.tag}`);
      }
    });

    test(`${op}: explicit witness tensors at ${SIZES[op].length} sizes verify and match the TS reference`, () => {
      const rng = new Rng(`proof-complete.${op}.explicit`);
      for (const sizes of SIZES[op]) {
        const tensors = randomWitness(rng, op, sizes);
        const { statement } = proveAndCheck({ op, ...sizes, tensors }, rng.tag);
        // the statement lists the witness as given, reduced mod p
        assert.ok('tensors' in statement.witness);
        assert.deepEqual(
          statement.witness.tensors,
          Object.fromEntries(Object.entries(tensors).map(([k, v]) => [k, v.map((x) => mod(BigInt(x)).toString())])),
          rng.tag,
        );
      }
    });
  }

  test('tlookup: explicit multiplicities (counting the padding on row 0, as documented) verify and are what finalEvals claims', () => {
    const rng = new Rng('proof-complete.multiplicities');
    for (const op of ['tlookup-range', 'tlookup-map'] as const) {
      for (const sizes of SIZES[op]) {
        const tensors = randomWitness(rng, op, sizes);
        const padded = nextPow2(sizes.num) * nextPow2(sizes.dim!);
        const m = lookupCounts(tensors.values.map((x) => BigInt(x)), sizes.low!, sizes.len!, padded);
        const { statement } = proveAndCheck({ op, ...sizes, tensors: { ...tensors, multiplicities: m } }, rng.tag);
        const claimed = statement.finalEvals.find((e) => e.tensor === 'multiplicities')!;
        assert.equal(claimed.value, mleEval([...m, ...new Array(nextPow2(sizes.len!) - sizes.len!).fill(0n)], claimed.point.map(BigInt)).toString());
        // and they equal the multiplicities the prover computes itself
        const own = prove({ op, ...sizes, tensors }).statement.finalEvals.find((e) => e.tensor === 'multiplicities')!;
        assert.equal(own.value, mleEval(m, own.point.map(BigInt)).toString(), rng.tag);
      }
    }
  });

  test('lookup values given as numbers, bigints, negative bigints or p-offset bigints are the same witness', () => {
    const sizes = { num: 2, dim: 3, low: -3, len: 6 };
    const vals = [-3, -1, 0, 2, 2, -3];
    const forms: WitnessTensors[] = [
      { values: vals },
      { values: vals.map(BigInt) },
      { values: vals.map((v) => mod(BigInt(v))) },
      { values: vals.map((v) => BigInt(v) + P) },
    ];
    const proofs = forms.map((tensors) => prove({ op: 'tlookup-range', ...sizes, tensors }));
    for (const r of proofs) {
      assert.deepEqual(r.statement, proofs[0].statement);
      assert.deepEqual(r.proof, proofs[0].proof);
      assert.ok(verify(r.statement, r.proof));
    }
  });

  test('explicit witnesses whose elements are 0, 1, p − 1 and other edge values', () => {
    const specials = [0n, 1n, P - 1n, P - 2n, (P - 1n) / 2n, (P + 1n) / 2n, 1n << 64n, 1n << 254n, 2n];
    const rng = new Rng('proof-complete.specials');
    const pick = (n: number) => Array.from({ length: n }, () => rng.pick(specials));
    for (const [num, dim] of [[1, 1], [3, 3], [2, 9]]) {
      const a = pick(num * dim);
      const b = pick(num * dim);
      proveAndCheck({ op: 'inner-product', num, dim, tensors: { a, b } }, rng.tag);
      proveAndCheck({ op: 'hadamard', num, dim, tensors: { a, b, c: a.map((x, i) => mod(x * b[i])) } }, rng.tag);
      const A = pick(num * dim * 2);
      const B = pick(num * 2 * 3);
      const C: bigint[] = [];
      for (let n = 0; n < num; n++)
        for (let i = 0; i < dim; i++)
          for (let k = 0; k < 3; k++) C.push(mod(A[(n * dim + i) * 2] * B[(n * 2) * 3 + k] + A[(n * dim + i) * 2 + 1] * B[(n * 2 + 1) * 3 + k]));
      proveAndCheck({ op: 'matmul', num, dim0: dim, dim1: 2, dim2: 3, tensors: { A, B, C } }, rng.tag);
      const table = pick(4);
      const idx = Array.from({ length: num * dim }, () => rng.int(4));
      proveAndCheck({ op: 'tlookup-map', num, dim, low: -2, len: 4, tensors: { values: idx.map((j) => j - 2), outputs: idx.map((j) => table[j]), table } }, rng.tag);
    }
  });

  test('all-zero and all-equal witnesses', () => {
    for (const fill of [0n, 1n, P - 1n]) {
      const n = 3 * 5;
      proveAndCheck({ op: 'inner-product', num: 3, dim: 5, tensors: { a: new Array(n).fill(fill), b: new Array(n).fill(fill) } }, `fill ${fill}`);
      proveAndCheck({ op: 'hadamard', num: 3, dim: 5, tensors: { a: new Array(n).fill(fill), b: new Array(n).fill(fill), c: new Array(n).fill(mod(fill * fill)) } }, `fill ${fill}`);
      proveAndCheck({ op: 'tlookup-range', num: 3, dim: 5, low: -1, len: 3, tensors: { values: new Array(n).fill(-1) } }, 'all at row 0');
      proveAndCheck({ op: 'tlookup-range', num: 3, dim: 5, low: -1, len: 3, tensors: { values: new Array(n).fill(1) } }, 'all at the last row');
      proveAndCheck({ op: 'tlookup-map', num: 3, dim: 5, low: 0, len: 3, tensors: { values: new Array(n).fill(2), outputs: new Array(n).fill(fill), table: [5n, 6n, fill] } }, 'map, one row');
    }
  });

  test("tlookup-map without an explicit 'table' uses the public default table of (low, len), the seeded one", () => {
    const s = { num: 2, dim: 5, low: -6, len: 12 };
    const table = defaultMapTable(s.low, s.len);
    const values = Array.from({ length: 10 }, (_, i) => s.low + ((i * 5) % s.len));
    const outputs = values.map((v) => table[v - s.low]);
    const { statement } = proveAndCheck({ op: 'tlookup-map', ...s, tensors: { values, outputs } }, 'default table');
    assert.ok(!('table' in plainWitness(statement.witness)));
    // the same table given explicitly is the same lookup (another statement, since the witness differs)
    proveAndCheck({ op: 'tlookup-map', ...s, tensors: { values, outputs, table } }, 'explicit default table');
    // and the seeded witness of the same sizes looks up in that table too
    const seeded = prove({ op: 'tlookup-map', ...s, seed: 3 });
    const ref = refWitness('tlookup-map', seeded.statement.sizes, seeded.statement.witness);
    assert.deepEqual(ref.logical.table, table);
    assert.ok(verify(seeded.statement, seeded.proof));
    // outputs from another table are refused
    throwsNotInTable(() => prove({ op: 'tlookup-map', ...s, tensors: { values, outputs: values.map((v) => mod(table[v - s.low] + 1n)) } }));
  });

  test('the inner-product claims are the per-instance inner products (hand-computed case)', () => {
    // a = [[1, 2, 3], [-1, 0, 5]], b = [[4, 5, 6], [7, 8, -9]] → [32, -52]
    const { statement, proof } = prove({ op: 'inner-product', num: 2, dim: 3, tensors: { a: [1, 2, 3, -1, 0, 5], b: [4, 5, 6, 7, 8, -9] } });
    assert.deepEqual(statement.claims, ['32', (P - 52n).toString()]);
    assert.ok(verify(statement, proof));
  });

  test('a custom transcript domain (empty, non-ASCII, with a NUL) proves and verifies, and is kept in the statement', () => {
    for (const domain of ['', 'my-app/attention-42', 'ζκ-λλμ ✓', 'zkllm-kit\u0000']) {
      for (const op of OPS) {
        const sizes = SIZES[op][3];
        const { statement } = proveAndCheck({ op, ...sizes, seed: 5, domain }, `domain ${JSON.stringify(domain)}`);
        assert.equal(statement.domain, domain);
      }
    }
  });

  test('the proof is accepted from any Uint8Array view: a copy, a Buffer, a subarray at an offset', () => {
    for (const op of OPS) {
      const { statement, proof } = prove({ op, ...SIZES[op][4], seed: 9 });
      const big = new Uint8Array(proof.length + 7);
      big.set(proof, 3);
      assert.ok(verify(statement, proof.slice()), op);
      assert.ok(verify(statement, Buffer.from(proof)), op);
      const view = big.subarray(3, 3 + proof.length);
      const r = checkProof(statement, view);
      assert.ok(r.valid, `${op}: subarray at byte offset 3 rejected: ${r.reason}`);
      // and a view one byte off is not
      assert.equal(verify(statement, big.subarray(2, 2 + proof.length)), false, op);
    }
  });

  test('proof length is the documented number of round-message scalars (4 per degree-3 round, 3 per degree-2 round, σ)', () => {
    const cases: [ProveSpec, number][] = [
      [{ op: 'inner-product', num: 3, dim: 5 }, 4 * (2 + 3)],
      [{ op: 'hadamard', num: 5, dim: 13 }, 4 * (3 + 4)],
      [{ op: 'matmul', num: 3, dim0: 5, dim1: 9, dim2: 6 }, 4 * (4 + 2)],
      [{ op: 'tlookup-range', num: 3, dim: 20, low: -7, len: 50 }, 1 + 4 * (2 + 5) + 3 * 6],
      [{ op: 'tlookup-map', num: 2, dim: 9, low: 100, len: 33 }, 1 + 4 * (1 + 4) + 3 * 6],
      [{ op: 'inner-product', num: 1, dim: 1 }, 0],
      [{ op: 'tlookup-range', num: 1, dim: 1, low: 0, len: 1 }, 1],
    ];
    for (const [spec, scalars] of cases) assert.equal(prove(spec).proof.length, 32 * scalars, JSON.stringify(spec));
  });
});
