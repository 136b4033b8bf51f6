// Attack (a): commit-mode 'tlookup-map' with the table chosen after the challenges. In commit
// mode v1 binds only "committed:<genDim>:<label>" and logup.cpp never absorbs the table, so a
// prover can commit to a pair that is not in the table, wait for r and β, and then solve one
// table entry so that the logUp sums balance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProof, commitments } from '../src';
import { inv, mod } from './adversary/mle';
import { advProve } from './adversary/prover';

const VALUES = [0n, 1n, 2n, 3n];
const OUTPUTS = [5n, 6n, 7n, 99n]; // (3, 99) is not a row of the table
const TABLE = [5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n]; // entry 7 is solved after r and β
// rows 0..3 once each; the spare count on row 7 absorbs the difference 1/(β+3+99r) − 1/(β+3+8r)
const MULTIPLICITIES = [1n, 1n, 1n, 1n, 0n, 0n, 0n, 1n];

/** F7 with 1/(β+3+99r) = 1/(β+3+8r) + 1/(β+7+r·F7). */
function solveEntry7(r: bigint, beta: bigint): bigint {
  const X = mod(beta + 3n + 99n * r);
  const Y = mod(beta + 3n + 8n * r);
  const denom = mod(X * Y * inv(Y - X)); // β + 7 + r·F7
  return mod((denom - beta - 7n) * inv(r));
}

test('commit-mode tlookup-map: a table entry solved after r and β is rejected', () => {
  const genDim = 4;
  const { statement, proof, transcript } = advProve(
    {
      op: 'tlookup-map', num: 1, dim: 4, low: 0, len: 8, commit: true, genDim,
      tensors: { values: VALUES, outputs: OUTPUTS, table: TABLE, multiplicities: MULTIPLICITIES },
    },
    {
      onStep: (ctx) => {
        if (ctx.step !== 'tlookup/beta') return;
        const r = ctx.challenges.find((c) => c.label === 'tlookup/r')!.value;
        const beta = ctx.challenges.find((c) => c.label === 'tlookup/beta')!.value;
        ctx.table![7] = solveEntry7(r, beta);
      },
    },
  );
  const w = statement.witness;
  assert.ok('commitments' in w && w.table, 'commit-mode statement showing its table');
  const table = w.table!.map(BigInt);
  // the forged statement is false: the committed pair (3, 99) is not in the table shown
  assert.equal(table.length, 8);
  assert.notEqual(table[3], 99n, 'pair (3, 99) would need table[3] = 99');
  assert.deepEqual(w.commitments.values, commitments.commit(VALUES, { genDim }).rows.map((p) => Buffer.from(p).toString('hex')));
  assert.deepEqual(w.commitments.outputs, commitments.commit(OUTPUTS, { genDim }).rows.map((p) => Buffer.from(p).toString('hex')));
  // ...yet the logUp sums balance at the transcript's (r, β): the forgery is not a broken proof
  const [r, beta] = [transcript.get('tlookup/r'), transcript.get('tlookup/beta')];
  const lhs = VALUES.reduce((s, v, i) => mod(s + inv(beta + v + r * OUTPUTS[i])), 0n);
  const rhs = table.reduce((s, f, j) => mod(s + MULTIPLICITIES[j] * inv(beta + BigInt(j) + r * f)), 0n);
  assert.equal(lhs, rhs, 'logUp identity holds for the solved table');
  const verdict = checkProof(statement, proof);
  assert.equal(verdict.valid, false, `forged lookup (3, 99) accepted: ${JSON.stringify(verdict)}`);
});
