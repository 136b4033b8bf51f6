// Witness-side properties of the sumcheck protocol ops (issue 3):
//  - a witness with one wrong element (Hadamard output, matmul output, a multiplicity) still gets
//    a proof, and that proof does not verify;
//  - bad witnesses and bad specs are refused by the prover with a clear Error;
//  - proofs are deterministic for a spec (and independent of the thread count and of 'auto' vs
//    'cpu'), and change with the seed;
//  - verify's `oracle: false` accepts honest proofs, rejects tampered round messages, and leaves
//    exactly the final evaluation subclaim to the caller.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { prove, verify, checkProof, checkSumchecksOnly, info } from '../src';
import type { ProveSpec, Statement, WitnessTensors } from '../src';
import type { ProofSizes } from '../src/proof';
import { Rng } from './helpers/rng';
import { P, mod } from './helpers/field';
import { OPS, clone, inv, lookupCounts, nextPow2, randomWitness } from './helpers/proof-ref';
import type { SumcheckOp } from './helpers/proof-ref';
import { bad, throwsWith } from './helpers/assertions';

/** prove() returns a proof, and verify rejects it (and the sumchecks-only check finds it inconsistent). */
function provesButFails(spec: ProveSpec, tag: string): void {
  let r;
  try {
    r = prove(spec);
  } catch (e) {
    assert.fail(`prover refused a wrong-but-well-formed witness (${String(e)}) ${tag}`);
  }
  assert.ok(r.proof instanceof Uint8Array, tag);
  const c = checkProof(r.statement, r.proof);
  assert.equal(c.valid, false, `a wrong witness verified ${tag}`);
  assert.ok(c.reason.length > 0, tag);
  assert.equal(verify(clone(r.statement), r.proof), false, `JSON round trip ${tag}`);
  assert.equal(checkSumchecksOnly(r.statement, r.proof).consistent, false, `sumchecks only ${tag}`);
}

const WRONG_SIZES: Record<'hadamard' | 'matmul' | 'lookup', ProofSizes[]> = {
  hadamard: [{ num: 1, dim: 1 }, { num: 1, dim: 2 }, { num: 3, dim: 5 }, { num: 4, dim: 16 }, { num: 7, dim: 30 }],
  matmul: [{ num: 1, dim0: 1, dim1: 1, dim2: 1 }, { num: 1, dim0: 2, dim1: 3, dim2: 2 }, { num: 3, dim0: 5, dim1: 6, dim2: 7 }, { num: 2, dim0: 4, dim1: 8, dim2: 4 }],
  lookup: [{ num: 1, dim: 2, low: 0, len: 2 }, { num: 3, dim: 5, low: -4, len: 10 }, { num: 4, dim: 8, low: 1000, len: 64 }, { num: 5, dim: 7, low: -100, len: 300 }],
};

/** The indices to corrupt: first, last, middle and a few random ones. */
function someIndices(rng: Rng, n: number): number[] {
  return [...new Set([0, n - 1, n >> 1, ...Array.from({ length: 3 }, () => rng.int(n))])];
}

describe('wrong witness: the prover returns a proof, verify rejects it', () => {
  test('Hadamard output c with one element off by one (first, last, middle, random positions; ±1)', () => {
    const rng = new Rng('proof-witness.hadamard');
    for (const s of WRONG_SIZES.hadamard) {
      const w = randomWitness(rng, 'hadamard', s);
      assert.ok(verify(...pair(prove({ op: 'hadamard', ...s, tensors: w }))), `honest baseline ${JSON.stringify(s)} ${rng.tag}`);
      for (const i of someIndices(rng, w.c.length))
        for (const d of [1n, P - 1n]) {
          const c = w.c.map((x) => BigInt(x));
          c[i] = mod(c[i] + d);
          provesButFails({ op: 'hadamard', ...s, tensors: { ...w, c } }, `c[${i}] ${d === 1n ? '+1' : '-1'} ${JSON.stringify(s)} ${rng.tag}`);
        }
    }
  });

  test('matmul output C with one element off by one', () => {
    const rng = new Rng('proof-witness.matmul');
    for (const s of WRONG_SIZES.matmul) {
      const w = randomWitness(rng, 'matmul', s);
      assert.ok(verify(...pair(prove({ op: 'matmul', ...s, tensors: w }))), `honest baseline ${JSON.stringify(s)} ${rng.tag}`);
      for (const i of someIndices(rng, w.C.length))
        for (const d of [1n, P - 1n]) {
          const C = w.C.map((x) => BigInt(x));
          C[i] = mod(C[i] + d);
          provesButFails({ op: 'matmul', ...s, tensors: { ...w, C } }, `C[${i}] ${d === 1n ? '+1' : '-1'} ${JSON.stringify(s)} ${rng.tag}`);
        }
    }
  });

  test('matmul output C transposed, or of another product, does not verify', () => {
    const s = { num: 2, dim0: 3, dim1: 4, dim2: 3 };
    const rng = new Rng('proof-witness.matmul-transposed');
    const w = randomWitness(rng, 'matmul', s);
    const C = w.C.map((x) => BigInt(x));
    const T = C.map((_, x) => {
      const n = Math.floor(x / 9), i = Math.floor((x % 9) / 3), k = x % 3;
      return C[n * 9 + k * 3 + i];
    });
    provesButFails({ op: 'matmul', ...s, tensors: { ...w, C: T } }, rng.tag);
    provesButFails({ op: 'matmul', ...s, tensors: { ...w, C: randomWitness(rng, 'matmul', s).C } }, rng.tag);
    provesButFails({ op: 'matmul', ...s, tensors: { ...w, C: new Array(C.length).fill(0n) } }, rng.tag);
  });

  test('a multiplicity count moved from one table row to another (total unchanged)', () => {
    const rng = new Rng('proof-witness.multiplicities');
    for (const op of ['tlookup-range', 'tlookup-map'] as const)
      for (const s of WRONG_SIZES.lookup) {
        const w = randomWitness(rng, op, s);
        const m = lookupCounts(w.values.map((x) => BigInt(x)), s.low!, s.len!, nextPow2(s.num) * nextPow2(s.dim!));
        assert.ok(verify(...pair(prove({ op, ...s, tensors: { ...w, multiplicities: m } }))), `honest baseline ${op} ${JSON.stringify(s)} ${rng.tag}`);
        const from = m.map((c, j) => (c > 0n ? j : -1)).filter((j) => j >= 0);
        for (let t = 0; t < 4; t++) {
          const j = rng.pick(from);
          let k = rng.int(s.len!);
          if (k === j) k = (j + 1) % s.len!;
          const moved = [...m];
          moved[j] -= 1n;
          moved[k] += 1n;
          provesButFails({ op, ...s, tensors: { ...w, multiplicities: moved } }, `${op} m[${j}] → m[${k}] ${JSON.stringify(s)} ${rng.tag}`);
        }
        // one count added (total changed), and one count removed
        const plus = [...m];
        plus[rng.int(s.len!)] += 1n;
        provesButFails({ op, ...s, tensors: { ...w, multiplicities: plus } }, `${op} one extra count ${rng.tag}`);
        const minus = [...m];
        minus[rng.pick(from)] -= 1n;
        provesButFails({ op, ...s, tensors: { ...w, multiplicities: minus } }, `${op} one count missing ${rng.tag}`);
      }
  });

  test('explicit multiplicities must count the padding on row 0: counts of the logical values alone do not verify', () => {
    // 3 × 5 values pad to 4 × 8 = 32 entries, the 17 padding entries being table row 0 (low)
    const s = { num: 3, dim: 5, low: -4, len: 10 };
    const values = Array.from({ length: 15 }, (_, i) => -4 + ((i * 7) % 10));
    const m = lookupCounts(values.map(BigInt), s.low, s.len, 15);
    provesButFails({ op: 'tlookup-range', ...s, tensors: { values, multiplicities: m } }, 'unpadded counts');
    const mp = lookupCounts(values.map(BigInt), s.low, s.len, 32);
    assert.equal(mp[0] - m[0], 17n);
    assert.ok(verify(...pair(prove({ op: 'tlookup-range', ...s, tensors: { values, multiplicities: mp } }))));
  });

  test('lookup values changed to another table row while the multiplicities stay those of the original values', () => {
    const rng = new Rng('proof-witness.values-vs-m');
    for (const s of WRONG_SIZES.lookup.slice(1)) {
      const w = randomWitness(rng, 'tlookup-range', s);
      const vals = w.values.map((x) => BigInt(x));
      const m = lookupCounts(vals, s.low!, s.len!, nextPow2(s.num) * nextPow2(s.dim!));
      const i = rng.int(vals.length);
      vals[i] = BigInt(s.low!) + BigInt((Number(vals[i] - BigInt(s.low!)) + 1) % s.len!);
      provesButFails({ op: 'tlookup-range', ...s, tensors: { values: vals, multiplicities: m } }, `values[${i}] moved ${rng.tag}`);
    }
  });
});

function pair(r: { statement: Statement; proof: Uint8Array }): [Statement, Uint8Array] {
  return [r.statement, r.proof];
}

describe('bad witnesses and specs: the prover refuses with a clear Error', () => {
  const range = { op: 'tlookup-range' as const, num: 2, dim: 3, low: -5, len: 8 };
  const map = { op: 'tlookup-map' as const, num: 2, dim: 3, low: 10, len: 4 };
  const mapTable = [7n, P - 1n, 0n, 123456789n];

  test('range lookup: a value just below low or at low + len (both ends), or far outside', () => {
    const ok = [-5, -4, 2, 0, 1, -1];
    assert.ok(verify(...pair(prove({ ...range, tensors: { values: ok } }))));
    for (const [i, v] of [[0, -6], [5, 3], [2, 3], [1, 1000], [3, -(2 ** 40)]] as const) {
      const values = [...ok];
      values[i] = v;
      throwsWith(() => prove({ ...range, tensors: { values } }), /outside the table/, new RegExp(`index ${i}\\b`), /-5/, /\b3\b/);
    }
    for (const v of [P - 6n + 0n, 1n << 64n, (1n << 64n) - 5n, P - 1n - (1n << 64n)]) {
      const values: bigint[] = ok.map(BigInt);
      values[4] = v;
      throwsWith(() => prove({ ...range, tensors: { values } }), /outside the table/, /index 4\b/);
    }
    // low = 0, a value of p − 1 (i.e. −1)
    throwsWith(() => prove({ op: 'tlookup-range', num: 1, dim: 2, low: 0, len: 4, tensors: { values: [0, P - 1n] } }), /outside the table/, /index 1\b/);
    // the mapping form checks the input range too
    throwsWith(() => prove({ ...map, tensors: { values: [10, 11, 12, 13, 14, 10], outputs: [7n, P - 1n, 0n, 123456789n, 7n, 7n], table: mapTable } }), /outside the table/, /index 4\b/);
  });

  test('mapping lookup: a pair that is not in the table', () => {
    const values = [10, 11, 12, 13, 13, 10];
    const outputs = values.map((v) => mapTable[v - 10]);
    assert.ok(verify(...pair(prove({ ...map, tensors: { values, outputs, table: mapTable } }))));
    for (const i of [0, 3, 5]) {
      const o = [...outputs];
      o[i] = mod(o[i] + 1n);
      throwsWith(() => prove({ ...map, tensors: { values, outputs: o, table: mapTable } }), /not in the table/, new RegExp(`index ${i}\\b`));
    }
    // an output that belongs to another row of the table
    const o = [...outputs];
    o[1] = mapTable[2];
    throwsWith(() => prove({ ...map, tensors: { values, outputs: o, table: mapTable } }), /not in the table/, /index 1\b/);
  });

  test('explicit tensors with the wrong number of elements (one fewer, one more, empty), naming the tensor and both counts', () => {
    const rng = new Rng('proof-witness.counts');
    const specs: [SumcheckOp, ProofSizes][] = [
      ['inner-product', { num: 2, dim: 3 }],
      ['hadamard', { num: 2, dim: 3 }],
      ['matmul', { num: 2, dim0: 3, dim1: 4, dim2: 5 }],
      ['tlookup-range', { num: 2, dim: 3, low: 0, len: 5 }],
      ['tlookup-map', { num: 2, dim: 3, low: 0, len: 5 }],
    ];
    for (const [op, s] of specs) {
      const w = randomWitness(rng, op, s);
      if (op.startsWith('tlookup')) w.multiplicities = lookupCounts(w.values.map((x) => BigInt(x)), 0, 5, 8);
      assert.ok(verify(...pair(prove({ op, ...s, tensors: w }))), `${op} baseline ${rng.tag}`);
      for (const name of Object.keys(w)) {
        const n = w[name].length;
        for (const len of [n - 1, n + 1, 0]) {
          const t: WitnessTensors = { ...w, [name]: len <= n ? w[name].slice(0, len) : [...w[name], 0] };
          throwsWith(() => prove({ op, ...s, tensors: t }), new RegExp(`'${name}'`), new RegExp(`\\b${len}\\b`), new RegExp(`\\b${n}\\b`));
        }
      }
    }
  });

  test('missing tensors, naming the tensor', () => {
    const need: Record<SumcheckOp, string[]> = {
      'inner-product': ['a', 'b'],
      hadamard: ['a', 'b', 'c'],
      matmul: ['A', 'B', 'C'],
      'tlookup-range': ['values'],
      'tlookup-map': ['values', 'outputs'], // 'table' is optional: the default table of (low, len)
    };
    const sizes: Record<SumcheckOp, ProofSizes> = {
      'inner-product': { num: 2, dim: 3 },
      hadamard: { num: 2, dim: 3 },
      matmul: { num: 2, dim0: 3, dim1: 4, dim2: 5 },
      'tlookup-range': { num: 2, dim: 3, low: 0, len: 5 },
      'tlookup-map': { num: 2, dim: 3, low: 0, len: 5 },
    };
    const rng = new Rng('proof-witness.missing');
    for (const op of OPS) {
      const w = randomWitness(rng, op, sizes[op]);
      for (const name of need[op]) {
        const t = { ...w };
        delete t[name];
        throwsWith(() => prove({ op, ...sizes[op], tensors: t }), new RegExp(`'${name}'`), /missing/);
      }
      throwsWith(() => prove({ op, ...sizes[op], tensors: {} }), /missing/);
      // a wrongly cased name is not the tensor
      const renamed = Object.fromEntries(Object.entries(w).map(([k, v]) => [k === need[op][0] ? k.toUpperCase() === k ? k.toLowerCase() : k.toUpperCase() : k, v]));
      throwsWith(() => prove({ op, ...sizes[op], tensors: renamed }), new RegExp(`'${need[op][0]}'`), /missing/);
    }
  });

  test('sizes 0, missing, negative or not integers, naming the size', () => {
    const base: Record<SumcheckOp, ProofSizes> = {
      'inner-product': { num: 2, dim: 3 },
      hadamard: { num: 2, dim: 3 },
      matmul: { num: 2, dim0: 3, dim1: 4, dim2: 5 },
      'tlookup-range': { num: 2, dim: 3, low: 0, len: 5 },
      'tlookup-map': { num: 2, dim: 3, low: 0, len: 5 },
    };
    for (const op of OPS) {
      for (const k of Object.keys(base[op]).filter((k) => k !== 'low') as (keyof ProofSizes)[]) {
        for (const v of [0, undefined, -1, 2.5, NaN, '3']) {
          const spec = { op, ...base[op], seed: 1, [k]: v };
          throwsWith(() => prove(bad(spec)), new RegExp(`\\b${k}\\b`));
        }
      }
      if (op.startsWith('tlookup')) for (const v of [2.5, NaN, '3', Infinity]) throwsWith(() => prove(bad({ op, ...base[op], seed: 1, low: v })), /\blow\b/);
    }
  });

  test('an unknown op, a bad spec, a bad seed, a non-integer tensor element', () => {
    for (const op of ['matmult', '', 'TLOOKUP-RANGE', 'tlookup', undefined, 7]) throwsWith(() => prove(bad({ op, num: 1, dim: 1 })), /unknown op|op/);
    throwsWith(() => prove(bad({ op: 'matmult', num: 1, dim: 1 })), /unknown op/, /matmult/);
    for (const spec of [null, undefined, 42, 'inner-product']) throwsWith(() => prove(bad(spec)), /spec/);
    for (const seed of [-1, 1.5, 2 ** 53, '1']) throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, seed })), /seed/);
    throwsWith(() => prove({ op: 'inner-product', num: 1, dim: 2, tensors: { a: [1, 1.5], b: [1, 2] } }), /a\[1\]/);
    throwsWith(() => prove(bad({ op: 'inner-product', num: 1, dim: 2, tensors: { a: [1, '2'], b: [1, 2] } })), /a\[1\]/);
    throwsWith(() => prove(bad({ op: 'inner-product', num: 1, dim: 2, tensors: { a: [1, null], b: [1, 2] } })), /a\[1\]/);
    throwsWith(() => prove(bad({ op: 'inner-product', num: 1, dim: 2, backend: 'tpu' })), /backend/, /tpu/);
    // the addon is still usable afterwards
    assert.ok(verify(...pair(prove({ op: 'inner-product', num: 2, dim: 2, seed: 1 }))));
  });

  const gpus = (() => {
    try {
      return info().devices.length;
    } catch {
      return 0;
    }
  })();
  test("backend 'cuda' without a GPU is refused, saying so", { skip: gpus > 0 ? 'a GPU is present' : false }, () => {
    for (const op of OPS) {
      const s = { op, num: 2, dim: 3, dim0: 2, dim1: 2, dim2: 2, low: 0, len: 4, seed: 1 };
      throwsWith(() => prove({ ...s, backend: 'cuda' }), /GPU|CUDA/i);
    }
    assert.ok(verify(...pair(prove({ op: 'hadamard', num: 2, dim: 2, seed: 1, backend: 'auto' }))));
  });
});

describe('determinism', () => {
  const sizes: Record<SumcheckOp, ProofSizes> = {
    'inner-product': { num: 5, dim: 300 },
    hadamard: { num: 6, dim: 250 },
    matmul: { num: 3, dim0: 12, dim1: 40, dim2: 10 },
    'tlookup-range': { num: 5, dim: 300, low: -50, len: 1000 },
    'tlookup-map': { num: 5, dim: 300, low: -50, len: 1000 },
  };

  test('the same spec gives byte-identical proofs and deep-equal statements (seeded and explicit)', () => {
    const rng = new Rng('proof-witness.determinism');
    for (const op of OPS) {
      const w = randomWitness(rng, op, sizes[op]);
      for (const spec of [{ op, ...sizes[op], seed: 77 }, { op, ...sizes[op], tensors: w }] as ProveSpec[]) {
        const a = prove(spec);
        const b = prove({ ...spec });
        assert.deepEqual(a.statement, b.statement, `${op} ${rng.tag}`);
        assert.deepEqual(Buffer.from(a.proof), Buffer.from(b.proof), `${op} ${rng.tag}`);
        assert.deepEqual(prove({ ...spec, backend: 'auto' }).proof, prove({ ...spec, backend: 'cpu' }).proof, `${op}: 'auto' and 'cpu' ${rng.tag}`);
      }
      // the same values given as numbers or bigints
      if (op === 'tlookup-range') {
        const asNumbers = { values: w.values.map((x) => Number(x)) };
        assert.deepEqual(prove({ op, ...sizes[op], tensors: asNumbers }).proof, prove({ op, ...sizes[op], tensors: { values: w.values.map((x) => BigInt(x)) } }).proof);
      }
    }
  });

  test('size-1 instances (no sumcheck rounds) are deterministic too, whatever ran before', () => {
    const ones: Record<SumcheckOp, ProofSizes> = {
      'inner-product': { num: 1, dim: 1 },
      hadamard: { num: 1, dim: 1 },
      matmul: { num: 1, dim0: 1, dim1: 1, dim2: 1 },
      'tlookup-range': { num: 1, dim: 1, low: -3, len: 1 },
      'tlookup-map': { num: 1, dim: 1, low: -3, len: 1 },
    };
    for (const op of OPS) {
      const first = JSON.stringify(prove({ op, ...ones[op], seed: 1 }).statement);
      const seen = new Set([first]);
      for (let i = 0; i < 20; i++) {
        // other work in between, which leaves different values in freed memory
        const other = OPS[i % OPS.length];
        prove(other === 'matmul' ? { op: other, num: 1 + i, dim0: 2, dim1: 3, dim2: 2, seed: i } : { op: other, num: 1 + i, dim: 3, low: 0, len: 4, seed: i });
        seen.add(JSON.stringify(prove({ op, ...ones[op], seed: 1 }).statement));
      }
      assert.equal(seen.size, 1, `${op} ${JSON.stringify(ones[op])} seed 1 gave ${seen.size} different statements:\n${[...seen].join('\n')}`);
    }
  });

  test('a different seed, domain or witness gives a different proof; the seed is bound even where the witness coincides', () => {
    for (const op of OPS) {
      const proofs = [1, 2, 3].map((seed) => Buffer.from(prove({ op, ...sizes[op], seed }).proof).toString('hex'));
      proofs.push(Buffer.from(prove({ op, ...sizes[op], seed: 1, domain: 'other' }).proof).toString('hex'));
      assert.equal(new Set(proofs).size, proofs.length, op);
    }
    // len 1: every seed draws the same lookup values, yet the seed is part of the statement and transcript
    const a = prove({ op: 'tlookup-range', num: 2, dim: 3, low: 4, len: 1, seed: 1 });
    const b = prove({ op: 'tlookup-range', num: 2, dim: 3, low: 4, len: 1, seed: 2 });
    assert.notDeepEqual(a.proof, b.proof);
    assert.equal(verify(a.statement, b.proof), false);
  });

  test('proofs do not depend on the number of prover threads (ZKLLM_THREADS=1 and 5 in child processes)', () => {
    const specs = OPS.map((op) => ({ op, ...sizes[op], seed: 1234 }));
    const here = specs.map((s) => Buffer.from(prove(s).proof).toString('hex'));
    const script = `const { prove } = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'proof.js'))});
      const specs = JSON.parse(process.argv[1]);
      process.stdout.write(JSON.stringify(specs.map((s) => Buffer.from(prove(s).proof).toString('hex'))));`;
    for (const threads of ['1', '5']) {
      const out = execFileSync(process.execPath, ['-e', script, JSON.stringify(specs)], { env: { ...process.env, ZKLLM_THREADS: threads }, encoding: 'utf8' });
      const there = JSON.parse(out) as string[];
      specs.forEach((s, i) => assert.equal(there[i], here[i], `${s.op} with ZKLLM_THREADS=${threads}`));
    }
  });
});

describe('checkSumchecksOnly: the partial check', () => {
  const rng = new Rng('proof-witness.oracle');
  const sizes: Record<SumcheckOp, ProofSizes> = {
    'inner-product': { num: 3, dim: 10 },
    hadamard: { num: 3, dim: 10 },
    matmul: { num: 2, dim0: 3, dim1: 5, dim2: 3 },
    'tlookup-range': { num: 3, dim: 10, low: -3, len: 20 },
    'tlookup-map': { num: 3, dim: 10, low: -3, len: 20 },
  };

  test('honest proofs verify, tampered round messages do not', () => {
    for (const op of OPS)
      for (const spec of [{ op, ...sizes[op], seed: 3 }, { op, ...sizes[op], tensors: randomWitness(rng, op, sizes[op]) }] as ProveSpec[]) {
        const { statement, proof } = prove(spec);
        const partial = checkSumchecksOnly(statement, proof);
        assert.equal(partial.consistent, true, `${op} ${rng.tag}`);
        assert.match(partial.unchecked.join(' '), /final evaluations/, `${op}: says what it left unchecked`);
        for (let i = 0; i < proof.length / 32; i++) {
          const b = proof.slice();
          b[32 * i] ^= 1 << rng.int(8); // the low byte: stays below p
          const r = checkSumchecksOnly(statement, b);
          assert.equal(r.consistent, false, `${op}: scalar ${i} changed, accepted by the sumcheck checks ${rng.tag}`);
          assert.match(r.reason, /round|final|point/, op);
        }
      }
  });

  test('a consistently rescaled pair of final evaluations passes the partial check and fails verification', () => {
    // The last sumcheck check only sees the product of the two operand evaluations, so a·k, b/k is
    // consistent; only the oracle (later, commitment openings) can catch it.
    const k = 5n;
    const cases: [SumcheckOp, string, string][] = [
      ['inner-product', 'a', 'b'],
      ['hadamard', 'a', 'b'],
      ['matmul', 'A', 'B'],
    ];
    for (const [op, x, y] of cases)
      for (const spec of [{ op, ...sizes[op], seed: 8 }, { op, ...sizes[op], tensors: randomWitness(rng, op, sizes[op]) }] as ProveSpec[]) {
        const { statement, proof } = prove(spec);
        const s = clone(statement);
        const ex = s.finalEvals.find((e) => e.tensor === x)!;
        const ey = s.finalEvals.find((e) => e.tensor === y)!;
        ex.value = mod(BigInt(ex.value) * k).toString();
        ey.value = mod(BigInt(ey.value) * inv(k)).toString();
        assert.equal(checkSumchecksOnly(s, proof).consistent, true, `${op}: the rescaled pair should pass the sumcheck checks ${rng.tag}`);
        assert.equal(verify(s, proof, { oracle: false } as never), false, `${op}: the removed oracle option never turns verification off ${rng.tag}`);
        const r = checkProof(s, proof);
        assert.equal(r.valid, false, `${op}: the oracle missed a rescaled final evaluation ${rng.tag}`);
        assert.match(r.reason, /does not match the witness/, op);
      }
  });
});
