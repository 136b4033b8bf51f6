// Attack (b): commit mode does not constrain the padding. The prover commits to tensors whose
// padding positions hold nonzero values; v1 openings prove the MLE of the padded tensor as
// committed, so the padding leaks into claims about the logical tensors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProof, commitments } from '../src';
import { matmulRef, padAxes } from './helpers/proof-ref';
import { mleEval, mod } from './adversary/mle';
import { advProve } from './adversary/prover';

const rowsHex = (t: bigint[], genDim: number) => commitments.commit(t, { genDim }).rows.map((p) => Buffer.from(p).toString('hex'));

test('commit-mode matmul: a 1 in A\'s padding column and a 5 in B\'s padding row make C[0,0] = 9 instead of 4', () => {
  const [num, d0, d1, d2, genDim] = [1, 2, 3, 2, 4];
  const A = [1n, 1n, 2n, 0n, 1n, 0n]; // 2×3
  const B = [0n, 1n, 2n, 0n, 1n, 1n]; // 3×2
  const real = matmulRef(A, B, num, d0, d1, d2);
  assert.equal(real[0], 4n);
  const C = real.slice();
  C[0] = 9n;
  const { statement, proof } = advProve(
    { op: 'matmul', num, dim0: d0, dim1: d1, dim2: d2, commit: true, genDim, tensors: { A, B, C } },
    {
      onStep: (ctx) => {
        if (ctx.step !== 'witness') return;
        ctx.tensors.A[3] = 1n; // A[0][0][3]: padding column j = 3 of row 0 (row-major 2×4)
        ctx.tensors.B[6] = 5n; // B[0][3][0]: padding row j = 3 (row-major 4×2)
      },
    },
  );
  assert.ok('commitments' in statement.witness);
  // C is committed as the zero-padded logical C with C[0,0] = 9, and A·B of the logical tensors is 4 there
  assert.deepEqual(statement.witness.commitments.C, rowsHex(padAxes(C, [num, d0, d2]), genDim));
  assert.notDeepEqual(C, matmulRef(A, B, num, d0, d1, d2), 'the forged statement is false');
  const verdict = checkProof(statement, proof);
  assert.equal(verdict.valid, false, `C[0,0] = 9 accepted: ${JSON.stringify(verdict)}`);
});

test('commit-mode opening: a 7 hidden in the padding of a dim-3 tensor changes the opened value', () => {
  const [dim, genDim] = [3, 2];
  const x = [11n, 22n, 33n];
  const { statement, proof } = advProve(
    { op: 'opening', num: 1, dim, genDim, tensors: { x0: x } },
    { onStep: (ctx) => void (ctx.step === 'witness' && (ctx.tensors.x0[3] = 7n)) },
  );
  const e = statement.finalEvals[0];
  const trueValue = mleEval([...x, 0n], e.point.map(BigInt));
  assert.notEqual(BigInt(e.value), trueValue, 'the claimed value is not the MLE of the zero-padded tensor');
  const verdict = checkProof(statement, proof);
  assert.equal(verdict.valid, false, `padded opening accepted: ${JSON.stringify(verdict)}`);
});

test('commit-mode inner-product: padding entries of a and b add to the public claims', () => {
  const [num, dim, genDim] = [2, 3, 4];
  const a = [1n, 2n, 3n, 4n, 5n, 6n];
  const b = [1n, 1n, 1n, 2n, 2n, 2n];
  const { statement, proof } = advProve(
    { op: 'inner-product', num, dim, commit: true, genDim, tensors: { a, b } },
    {
      onStep: (ctx) => {
        if (ctx.step !== 'witness') return;
        for (let n = 0; n < num; n++) (ctx.tensors.a[n * 4 + 3] = 1n), (ctx.tensors.b[n * 4 + 3] = 10n);
      },
    },
  );
  const trueClaims = [0, 1].map((n) => mod(a.slice(3 * n, 3 * n + 3).reduce((s, x, d) => s + x * b[3 * n + d], 0n)));
  assert.deepEqual(statement.claims, trueClaims.map((c) => String(c + 10n)), 'claims are the true ones plus 10');
  const verdict = checkProof(statement, proof);
  assert.equal(verdict.valid, false, `padded inner product accepted: ${JSON.stringify(verdict)}`);
});
