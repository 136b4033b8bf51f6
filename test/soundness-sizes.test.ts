// Attack (c): sizes whose padded product overflows 64 bits. The verifier must reject them without
// crashing (each check runs in a child process, so a crash fails the test instead of the runner).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Statement } from '../src/proof';
import { CHECK_SNIPPET, runInChild } from './adversary/child-check';

function hadamardAtEmptyPoint(num: number, dim: number): Statement {
  const at = (tensor: string) => ({ tensor, point: [], value: '0' });
  return {
    version: 1, op: 'hadamard', domain: 'zkllm-kit', sizes: { num, dim }, witness: { seed: 0 },
    claims: [], finalEvals: [at('c'), at('a'), at('b')],
  };
}

function checkInChild(statement: Statement, proofHex: string) {
  const r = runInChild(CHECK_SNIPPET, { statement, proof: proofHex });
  const what = `status ${r.status}, signal ${r.signal}, stdout ${JSON.stringify(r.stdout.slice(-300))}, stderr ${JSON.stringify(r.stderr.slice(-300))}`;
  return { r, what };
}

test('hadamard with num = 2^30, dim = 2^34 + 1: checkProof rejects without crashing the process', () => {
  const { r, what } = checkInChild(hadamardAtEmptyPoint(2 ** 30, 2 ** 34 + 1), '');
  assert.equal(r.status, 0, `child exits normally: ${what}`);
  assert.equal(r.result?.verdict, 'rejected', `checkProof rejects: ${what}`);
});

test('hadamard with num = 2^24, dim = 2^40 (2^64 padded entries) and an empty proof is rejected', () => {
  const { r, what } = checkInChild(hadamardAtEmptyPoint(2 ** 24, 2 ** 40), '');
  assert.equal(r.status, 0, `child exits normally: ${what}`);
  assert.equal(r.result?.verdict, 'rejected', `checkProof rejects: ${what}`);
});
