// 'zkattn': completeness for every provable preset (several heads, m != n, d not a power of two,
// the causal mask), the proven output against an independent fixed-point reference (acc's TS
// softmaxRow and rescale), the lookups against the accounting `zkllm acc` prices, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prove, checkProof, type ProveSpec } from '../src';
import { QUANT_PRESETS, isProvable, tlookupAccounting, zkattnParams, type QuantConfig } from '../acc';
import { rescale, softmaxRow, zkAttnTable } from '../acc/fixed-point-reference';
import { Rng } from './helpers/rng';

interface Shape { H: number; m: number; n: number; d: number }

/** Q, K in [-2^qkBits, 2^qkBits), V in [-2^valueBits, 2^valueBits): the op's own draw ranges. */
function inputs(rng: Rng, c: QuantConfig, s: Shape) {
  const draw = (count: number, bits: number) => Array.from({ length: count }, () => rng.int(2 ** (bits + 1)) - 2 ** bits);
  return { Q: draw(s.H * s.m * s.d, c.qkBits), K: draw(s.H * s.n * s.d, c.qkBits), V: draw(s.H * s.n * s.d, c.valueBits) };
}

/** The attention output as the fixed-point forward defines it, in bigints. */
function referenceAttention(c: QuantConfig, s: Shape, t: { Q: number[]; K: number[]; V: number[] }): bigint[] {
  const tables = c.softmax.kind === 'zkattn' ? c.softmax.segmentBits.map((_, i) => zkAttnTable(c, s.d, i)) : [];
  const out: bigint[] = [];
  for (let h = 0; h < s.H; h++)
    for (let r = 0; r < s.m; r++) {
      const live = r + s.n - s.m + 1;
      const a = Array.from({ length: live }, (_, col) => {
        let acc = 0n;
        for (let j = 0; j < s.d; j++) acc += BigInt(t.Q[(h * s.m + r) * s.d + j]) * BigInt(t.K[(h * s.n + col) * s.d + j]);
        return rescale(acc, 2 * c.qkBits - c.logitBits, c.rounding);
      });
      const { y } = softmaxRow(c, s.d, a, tables);
      for (let j = 0; j < s.d; j++) {
        let u = 0n;
        for (let col = 0; col < live; col++) u += y[col] * BigInt(t.V[(h * s.n + col) * s.d + j]);
        for (const b of c.softmax.outputRescaleBits) u = rescale(u, b, c.rounding);
        out.push(u);
      }
    }
  return out;
}

const provable = Object.values(QUANT_PRESETS).filter(isProvable);
/** Commit mode refuses rescaled segment products (zkattn_witness.cpp says why). */
const committable = (c: QuantConfig) => c.softmax.kind === 'zkattn' && c.softmax.productRescaleBits.every((b) => b === 0);

test('every provable preset: zkattn proves and verifies, O is the fixed-point attention, the lookups are the accounting\'s', () => {
  assert.ok(provable.length >= 6, 'the presets include the provable ones');
  for (const c of provable) {
    const rng = new Rng(`zkattn/${c.name}`);
    const s: Shape = { H: 2, m: 3, n: 5, d: 6 };
    const t = inputs(rng, c, s);
    const spec: ProveSpec = { op: 'zkattn', num: s.H, dim0: s.m, dim1: s.n, dim2: s.d, attention: zkattnParams(c, s.d, s.n), tensors: t, backend: 'cpu' };
    const r = prove(spec);
    assert.deepEqual(checkProof(r.statement, r.proof), { valid: true, reason: '' }, `${c.name} ${rng.tag}`);
    assert.deepEqual(r.outputs?.O, referenceAttention(c, s, t), `${c.name}: O is the fixed-point attention ${rng.tag}`);
    const acc = tlookupAccounting(c, { hiddenSize: s.H * s.d, intermediateSize: 8, numHiddenLayers: 1, numAttentionHeads: s.H, numKeyValueHeads: s.H, headDim: s.d }, s.n);
    const counted = [...acc.perZkAttn, ...acc.rowShiftBound].flatMap((x) => Array.from({ length: x.count }, () => ({ stage: x.stage, tableBits: x.tableBits })));
    assert.equal(r.prover.lookups.length, acc.totals.perZkAttn + acc.totals.rowShiftBoundPerZkAttn, c.name);
    assert.deepEqual(r.prover.lookups.map((l) => ({ stage: l.stage, tableBits: l.tableBits })), counted, `${c.name}: the proof's lookups are the accounting's`);
    if (committable(c)) {
      const rc = prove({ ...spec, commit: true, genDim: 4 });
      assert.deepEqual(checkProof(rc.statement, rc.proof), { valid: true, reason: '' }, `${c.name} committed ${rng.tag}`);
      assert.ok(!('tensors' in rc.statement.witness), 'a committed statement holds no tensors');
    } else {
      assert.throws(() => prove({ ...spec, commit: true, genDim: 4 }), /commit mode needs/, c.name);
    }
  }
});

test('zkattn: a square window and a seeded witness, CPU prover, with the wrong seed rejected', () => {
  const c = QUANT_PRESETS['readme-2-clamp'];
  const r = prove({ op: 'zkattn', num: 3, dim0: 4, dim1: 4, dim2: 5, attention: zkattnParams(c, 5, 4), seed: 11, backend: 'cpu' });
  assert.ok(checkProof(r.statement, r.proof).valid);
  assert.equal(r.outputs?.O.length, 3 * 4 * 5);
  const other = structuredClone(r.statement);
  other.witness = { seed: 12 };
  assert.equal(checkProof(other, r.proof).valid, false);
  // outputs: false returns no O, and the same proof
  const bare = prove({ op: 'zkattn', num: 3, dim0: 4, dim1: 4, dim2: 5, attention: zkattnParams(c, 5, 4), seed: 11, backend: 'cpu', outputs: false });
  assert.equal(bare.outputs, undefined);
  assert.deepEqual(Buffer.from(bare.proof), Buffer.from(r.proof));
  assert.ok(checkProof(bare.statement, bare.proof).valid);
});

test('zkattn: a given O is checked by the prover and by the verifier', () => {
  const c = QUANT_PRESETS['readme-2'];
  const s: Shape = { H: 1, m: 2, n: 3, d: 4 };
  const t = inputs(new Rng('zkattn/given-O'), c, s);
  const O = referenceAttention(c, s, t);
  const spec: ProveSpec = { op: 'zkattn', num: 1, dim0: 2, dim1: 3, dim2: 4, attention: zkattnParams(c, 4, 3), tensors: { ...t, O }, backend: 'cpu' };
  const r = prove(spec);
  assert.ok(checkProof(r.statement, r.proof).valid);
  const wrong = [...O];
  wrong[0] += 1n;
  assert.throws(() => prove({ ...spec, tensors: { ...t, O: wrong } }), /given O differs/);
  const st = structuredClone(r.statement);
  (st.witness as { tensors: Record<string, string[]> }).tensors.O[0] = wrong[0].toString();
  assert.equal(checkProof(st, r.proof).valid, false);
});

test('zkattn: bad input is one clear error before any work', () => {
  const c = QUANT_PRESETS['readme-2'];
  const base: ProveSpec = { op: 'zkattn', num: 1, dim0: 3, dim1: 4, dim2: 4, attention: zkattnParams(c, 4, 4), seed: 1, backend: 'cpu' };
  assert.throws(() => zkattnParams('anchor-acc', 4, 4), /not provable/);
  assert.throws(() => prove({ ...base, attention: undefined }), /zkattn needs 'attention'/);
  assert.throws(() => prove({ op: 'hadamard', num: 1, dim: 2, attention: base.attention }), /applies only to op 'zkattn'/);
  assert.throws(() => prove({ op: 'hadamard', num: 1, dim: 2, outputs: false }), /'outputs' applies only to op 'zkattn'/);
  assert.throws(() => prove({ ...base, outputs: 'no' as unknown as boolean }), /'outputs' must be a boolean/);
  assert.throws(() => prove({ ...base, dim0: 5 }), /must not exceed the key rows/);
  const halfAway = { ...base.attention!, config: { ...base.attention!.config, rounding: 'half-away' } };
  assert.throws(() => prove({ ...base, attention: halfAway }), /half-up/);
  const floatExp = { ...base.attention!, config: { ...base.attention!.config, softmax: { kind: 'float-exp', probBits: 12, outputRescaleBits: [12] } } };
  assert.throws(() => prove({ ...base, attention: floatExp }), /float-exp: not provable/);
  // Logits far apart: a shifted logit beyond readme-2's 16 digit bits is refused, never truncated.
  const d = 4, big = 2 ** 11;
  const Q = Array.from({ length: 3 * d }, () => big), K = Array.from({ length: 4 * d }, (_, i) => ((i / d) | 0) % 2 ? big : -big), V = Array.from({ length: 4 * d }, () => 1);
  assert.throws(() => prove({ ...base, seed: undefined, tensors: { Q, K, V } }), /digit budget/);
});
