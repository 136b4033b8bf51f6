// Attacks (d) and (e): statements the verifier reads differently from what they say.
//   (d) a witness holding both commitments and tensors, or both a seed and tensors: v1 uses one
//       and ignores the other, so the ignored field can show any (wrong) witness;
//   (e) checkProof(…, { oracle: false }) checks only the sumchecks, so it must not say `valid` for
//       a false plain-mode statement (the prover ran the protocol on other tensors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProof, checkSumchecksOnly, prove } from '../src';
import type { ProofOp, Statement } from '../src/proof';
import { clone, matmulRef, refWitness } from './helpers/proof-ref';
import { advProve, AdvSpec, StepContext } from './adversary/prover';

test('a statement with both commitments and tensors is rejected', () => {
  const { statement, proof } = prove({ op: 'hadamard', num: 2, dim: 3, seed: 5, commit: true, genDim: 4 });
  assert.equal(checkProof(statement, proof).valid, true);
  const forged = clone(statement) as Statement & { witness: Record<string, unknown> };
  // a wrong witness: c is not a∘b
  forged.witness.tensors = { a: ['1', '2', '3', '4', '5', '6'], b: ['1', '1', '1', '1', '1', '1'], c: ['9', '9', '9', '9', '9', '9'] };
  const verdict = checkProof(forged, proof);
  assert.equal(verdict.valid, false, `commitments + tensors accepted: ${JSON.stringify(verdict)}`);
});

test('a statement with both a seed and tensors is rejected', () => {
  const { statement, proof } = prove({ op: 'inner-product', num: 2, dim: 2, seed: 9 });
  const forged = clone(statement) as Statement & { witness: Record<string, unknown> };
  forged.witness.tensors = { a: ['1', '2', '3', '4'], b: ['5', '6', '7', '8'] }; // inner products 17, 53: not the claims
  assert.notDeepEqual(statement.claims, ['17', '53']);
  const verdict = checkProof(forged, proof);
  assert.equal(verdict.valid, false, `seed + tensors accepted: ${JSON.stringify(verdict)}`);
});

// (e): the statement's explicit tensors break the relation; the prover proves about fixed ones.
interface OracleCase {
  spec: AdvSpec;
  /** Makes the working tensors satisfy the relation (padded layout). */
  fix: (ctx: StepContext) => void;
  /** Why the statement is false. */
  falsity: () => void;
}
// zkattn's plain verifier recomputes its whole witness: its cases are in test/zkattn-soundness.test.ts.
const CASES: Record<Exclude<ProofOp, 'commit' | 'opening' | 'zkattn'>, () => OracleCase> = {
  'inner-product': () => {
    const spec: AdvSpec = { op: 'inner-product', num: 2, dim: 3, tensors: { a: [1, 2, 3, 4, 5, 6], b: [1, 1, 1, 1, 1, 1] } };
    return {
      spec,
      fix: (ctx) => void (ctx.tensors.a[0] = 100n), // claims become 105 and 15 instead of 6 and 15
      falsity: () => assert.deepEqual(refWitness('inner-product', spec, spec as never).claims, [6n, 15n]),
    };
  },
  hadamard: () => {
    const [a, b] = [[1n, 2n, 3n], [4n, 5n, 6n]];
    const c = [4n, 10n, 19n]; // 3·6 = 18
    return {
      spec: { op: 'hadamard', num: 1, dim: 3, tensors: { a, b, c } },
      fix: (ctx) => void (ctx.tensors.c[2] = 18n),
      falsity: () => assert.notDeepEqual(c, a.map((x, i) => x * b[i])),
    };
  },
  matmul: () => {
    const [A, B] = [[1n, 2n, 3n, 4n], [5n, 6n, 7n, 8n]];
    const C = matmulRef(A, B, 1, 2, 2, 2);
    const forgedC = C.slice();
    forgedC[3] += 1n;
    return {
      spec: { op: 'matmul', num: 1, dim0: 2, dim1: 2, dim2: 2, tensors: { A, B, C: forgedC } },
      fix: (ctx) => void (ctx.tensors.C[3] = C[3]),
      falsity: () => assert.notDeepEqual(forgedC, C),
    };
  },
  'tlookup-range': () => {
    const values = [0n, 3n, 100n, 7n]; // 100 is outside [0, 8)
    return {
      spec: { op: 'tlookup-range', num: 1, dim: 4, low: 0, len: 8, tensors: { values } },
      fix: (ctx) => {
        ctx.tensors.values[2] = 5n; // an in-range value, counted in the multiplicities
        ctx.tensors.multiplicities = [1n, 0n, 0n, 1n, 0n, 1n, 0n, 1n];
      },
      falsity: () => assert.ok(values.some((v) => v >= 8n)),
    };
  },
  'tlookup-map': () => {
    const table = [10n, 11n, 12n, 13n];
    const outputs = [10n, 11n, 12n, 99n]; // table[3] = 13
    return {
      spec: { op: 'tlookup-map', num: 1, dim: 4, low: 0, len: 4, tensors: { values: [0n, 1n, 2n, 3n], outputs, table } },
      fix: (ctx) => void (ctx.tensors.outputs[3] = 13n),
      falsity: () => assert.notEqual(outputs[3], table[3]),
    };
  },
};

for (const [op, make] of Object.entries(CASES)) {
  test(`${op}: checkProof with { oracle: false } does not accept a false plain-mode statement`, () => {
    const c = make();
    c.falsity();
    const { statement, proof } = advProve(c.spec, { onStep: (ctx) => ctx.step === 'witness' && c.fix(ctx) });
    assert.equal(checkProof(statement, proof).valid, false, 'the full check rejects it');
    const verdict = checkProof(statement, proof, { oracle: false } as never);
    assert.equal(verdict.valid, false, `false statement accepted with oracle: false: ${JSON.stringify(verdict)}`);
    // the partial check may find the sumchecks consistent, but never reports a verification
    const partial = checkSumchecksOnly(statement, proof) as unknown as Record<string, unknown>;
    assert.equal('valid' in partial, false, 'checkSumchecksOnly is not a verification');
    assert.ok((partial.unchecked as string[]).length > 0, 'it says what it left unchecked');
  });
}
