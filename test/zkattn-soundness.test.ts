// 'zkattn' soundness: the tamper matrix of the other ops (proof bytes, final evaluations, the
// statement's sizes, configuration, bound, witness and commitments), and deviating provers
// (ZKLLM_TEST_ZKATTN_FAULT, native/proto/zkattn.cpp) whose proofs must be rejected: a wrong Y, a
// wrong output, a digit out of its table, a row-sum digit, and a row shift whose rows leave the bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prove, checkProof, type ProofResult, type ProveSpec, type Statement } from '../src';
import { QUANT_PRESETS, zkattnParams } from '../acc';

const c = QUANT_PRESETS['readme-2-clamp'];
const base: ProveSpec = { op: 'zkattn', num: 2, dim0: 3, dim1: 5, dim2: 6, attention: zkattnParams(c, 6, 5), seed: 5, backend: 'cpu' };
const plain = prove(base);
const committed = prove({ ...base, commit: true, genDim: 4 });

function rejected(r: ProofResult, st: Statement, proof: Uint8Array, what: string): void {
  const check = checkProof(st, proof);
  assert.equal(check.valid, false, `${what} must be rejected`);
  assert.ok(check.reason.length > 0, `${what}: a reason is given`);
  void r;
}

for (const [mode, r] of [['plain', plain], ['committed', committed]] as const) {
  test(`zkattn (${mode}): the honest proof verifies`, () => {
    assert.deepEqual(checkProof(r.statement, r.proof), { valid: true, reason: '' });
  });

  test(`zkattn (${mode}): flipped proof bytes, a short or long proof are rejected`, () => {
    const n = r.proof.length;
    for (const at of [0, 31, 32 * 7 + 3, n >> 1, n - 100, n - 1]) {
      const p = Uint8Array.from(r.proof);
      p[at] ^= 0x04;
      rejected(r, r.statement, p, `byte ${at} flipped`);
    }
    rejected(r, r.statement, r.proof.subarray(0, n - 32), 'a short proof');
    rejected(r, r.statement, Uint8Array.from([...r.proof, 0]), 'a proof with a trailing byte');
  });

  test(`zkattn (${mode}): every final evaluation is bound (value, point, name, count)`, () => {
    const evals = r.statement.finalEvals;
    for (let i = 0; i < evals.length; i++) {
      const st = structuredClone(r.statement);
      st.finalEvals[i].value = ((BigInt(st.finalEvals[i].value) + 1n) % (2n ** 255n)).toString();
      rejected(r, st, r.proof, `final evaluation ${i} (${evals[i].tensor}) changed`);
    }
    const moved = structuredClone(r.statement);
    moved.finalEvals[2].point[0] = '7';
    rejected(r, moved, r.proof, 'a final evaluation at another point');
    const renamed = structuredClone(r.statement);
    renamed.finalEvals[1].tensor = renamed.finalEvals[0].tensor;
    rejected(r, renamed, r.proof, 'a final evaluation of another tensor');
    const fewer = structuredClone(r.statement);
    fewer.finalEvals.pop();
    rejected(r, fewer, r.proof, 'a missing final evaluation');
  });

  test(`zkattn (${mode}): the statement's sizes, configuration and bound are bound`, () => {
    const edits: [string, (s: Statement) => void][] = [
      ['heads', (s) => void (s.sizes.num = 3)],
      ['key rows', (s) => void (s.sizes.dim1 = 6)],
      ['head dimension', (s) => void (s.sizes.dim2 = 5)],
      ['configuration name', (s) => void (s.attention!.name = 'readme-2')],
      ['row-sum lower end', (s) => void (s.attention!.rowSumLow -= 1)],
      ['row-sum width', (s) => void (s.attention!.rowSumBits += 1)],
      ['theta', (s) => void ((s.attention!.config.softmax as { thetaBits: number[] }).thetaBits = [15])],
      ['domain', (s) => void (s.domain = 'other')],
    ];
    for (const [what, edit] of edits) {
      const st = structuredClone(r.statement);
      edit(st);
      rejected(r, st, r.proof, what);
    }
  });
}

test('zkattn (committed): the commitments are bound', () => {
  const coms = (committed.statement.witness as { commitments: Record<string, string[]> }).commitments;
  const names = Object.keys(coms);
  assert.ok(names.includes('Q') && names.includes('Y') && names.includes('shift') && names.includes('L0.inv'));
  const swap = structuredClone(committed.statement);
  const w = swap.witness as { commitments: Record<string, string[]> };
  [w.commitments.Q, w.commitments.K] = [w.commitments.K, w.commitments.Q];
  rejected(committed, swap, committed.proof, 'Q and K swapped');
  const dropped = structuredClone(committed.statement);
  delete (dropped.witness as { commitments: Record<string, string[]> }).commitments.Y;
  rejected(committed, dropped, committed.proof, 'a commitment dropped');
  const extra = structuredClone(committed.statement);
  (extra.witness as { commitments: Record<string, string[]> }).commitments.Z = coms.Q;
  rejected(committed, extra, committed.proof, 'an extra commitment');
  const other = prove({ ...base, seed: 6, commit: true, genDim: 4 });
  const mixed = structuredClone(committed.statement);
  (mixed.witness as { commitments: Record<string, string[]> }).commitments.V = (other.statement.witness as { commitments: Record<string, string[]> }).commitments.V;
  rejected(committed, mixed, committed.proof, "another witness's V");
});

test('zkattn: deviating provers are caught (wrong Y, wrong O, a digit out of its table, a row-sum digit, a shift outside the bound)', () => {
  const expect: Record<string, RegExp> = {
    y: /output matmul|score sumcheck/,
    o: /output matmul/,
    digit: /lookup\/0/,
    rowsum: /row sums/,
    shift: /row sums/,
  };
  const saved = process.env.ZKLLM_TEST_ZKATTN_FAULT;
  try {
    for (const [fault, why] of Object.entries(expect))
      for (const spec of [{ ...base, commit: true, genDim: 4 }, base]) {
        process.env.ZKLLM_TEST_ZKATTN_FAULT = fault;
        const r = prove(spec);
        delete process.env.ZKLLM_TEST_ZKATTN_FAULT;
        const check = checkProof(r.statement, r.proof);
        assert.equal(check.valid, false, `fault ${fault} (${spec.commit ? 'committed' : 'plain'}) must be rejected`);
        assert.match(check.reason, why, `fault ${fault}: ${check.reason}`);
      }
  } finally {
    if (saved === undefined) delete process.env.ZKLLM_TEST_ZKATTN_FAULT;
    else process.env.ZKLLM_TEST_ZKATTN_FAULT = saved;
  }
});

test('zkattn (rescaled logits): the row shifts are proven integers through their bits', () => {
  const z12: ProveSpec = { op: 'zkattn', num: 2, dim0: 3, dim1: 4, dim2: 5, attention: zkattnParams(QUANT_PRESETS['zk-12'], 5, 4), seed: 9, backend: 'cpu', commit: true, genDim: 8 };
  const r = prove(z12);
  assert.deepEqual(checkProof(r.statement, r.proof), { valid: true, reason: '' });
  const bits = r.statement.finalEvals.map((e, i) => [e.tensor, i] as const).filter(([t]) => t === 'shift.bits');
  assert.equal(bits.length, 2, 'one claim from the bits sumcheck, one from the recomposition');
  for (const [, i] of bits) {
    const st = structuredClone(r.statement);
    st.finalEvals[i].value = (BigInt(st.finalEvals[i].value) + 1n).toString();
    rejected(r, st, r.proof, `shift.bits claim ${i}`);
  }
  const saved = process.env.ZKLLM_TEST_ZKATTN_FAULT;
  try {
    process.env.ZKLLM_TEST_ZKATTN_FAULT = 'bits';
    const bad = prove(z12);
    delete process.env.ZKLLM_TEST_ZKATTN_FAULT;
    const check = checkProof(bad.statement, bad.proof);
    assert.equal(check.valid, false);
    assert.match(check.reason, /shift bits/);
  } finally {
    if (saved === undefined) delete process.env.ZKLLM_TEST_ZKATTN_FAULT;
    else process.env.ZKLLM_TEST_ZKATTN_FAULT = saved;
  }
});
