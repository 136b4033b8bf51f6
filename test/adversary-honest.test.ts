// The adversarial prover (test/adversary/) without hooks is prove(), byte for byte: same proof,
// same statement (claims, finalEvals, commitments), for every op in plain mode (seeded and
// explicit tensors) and commit mode (genDim 2..8), at small sizes including non-powers of two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prove, checkProof } from '../src';
import type { ProofOp, ProveSpec } from '../src/proof';
import { randomWitness } from './helpers/proof-ref';
import { Rng } from './helpers/rng';
import { advProve, protocol } from './adversary/prover';

// zkattn has no adversarial TS prover: its deviating provers are native (test/zkattn-soundness.test.ts).
const SIZES: Record<Exclude<ProofOp, 'zkattn'>, Partial<ProveSpec>[]> = {
  'inner-product': [{ num: 3, dim: 5 }, { num: 1, dim: 1 }, { num: 2, dim: 8 }],
  hadamard: [{ num: 3, dim: 5 }, { num: 1, dim: 2 }, { num: 5, dim: 3 }],
  matmul: [{ num: 1, dim0: 3, dim1: 3, dim2: 2 }, { num: 3, dim0: 2, dim1: 5, dim2: 3 }],
  'tlookup-range': [{ num: 3, dim: 5, low: -3, len: 6 }, { num: 2, dim: 4, low: 0, len: 8 }],
  'tlookup-map': [{ num: 3, dim: 5, low: -3, len: 6 }, { num: 1, dim: 4, low: 2, len: 5 }],
  commit: [{ num: 3, dim: 5 }, { num: 1, dim: 16 }],
  opening: [{ num: 3, dim: 5 }, { num: 2, dim: 11 }, { num: 1, dim: 1 }],
};

function explicitTensors(rng: Rng, op: ProofOp, s: Partial<ProveSpec>): ProveSpec['tensors'] {
  if (op === 'commit' || op === 'opening') {
    const big = rng.chance(0.5);
    return Object.fromEntries(
      Array.from({ length: s.num! }, (_, i) => [`x${i}`, Array.from({ length: s.dim! }, () => (big ? rng.bits(200) : rng.int(2 ** 16) - 2 ** 15))]),
    );
  }
  return randomWitness(rng, op, s as ProveSpec);
}

for (const op of Object.keys(SIZES) as Exclude<ProofOp, 'zkattn'>[]) {
  const commitOnly = op === 'commit' || op === 'opening';
  for (const mode of commitOnly ? ['commit'] : ['plain', 'commit']) {
    test(`honest adversary = prove(): ${op}, ${mode} mode (protocol v${protocol.version})`, () => {
      const rng = new Rng(`adv-honest/${op}/${mode}`);
      let k = 0;
      for (const sizes of SIZES[op])
        for (const source of ['seed', 'tensors'] as const) {
          const genDim = 2 ** (1 + (k++ % 3)); // 2, 4, 8 in turn: one- and two-term openings
          const spec: ProveSpec = {
            ...(sizes as ProveSpec),
            op,
            ...(source === 'seed' ? { seed: rng.int(1000) } : { tensors: explicitTensors(rng, op, sizes) }),
            ...(mode === 'commit' ? { commit: true, genDim } : {}),
          };
          const tag = `${op} ${mode} ${source} ${JSON.stringify(sizes)} genDim ${genDim} ${rng.tag}`;
          const kit = prove(spec);
          const adv = advProve(spec);
          assert.deepStrictEqual(adv.statement, kit.statement, `statement ${tag}`);
          assert.equal(Buffer.from(adv.proof).toString('hex'), Buffer.from(kit.proof).toString('hex'), `proof bytes ${tag}`);
          assert.equal(checkProof(adv.statement, adv.proof).valid, true, `verifies ${tag}`);
        }
    });
  }
}

test(`honest adversary = prove(): two-term openings (an axis straddling the row split), protocol v${protocol.version}`, () => {
  const cases: ProveSpec[] = [
    { op: 'opening', num: 2, dim: 11, genDim: 4, seed: 3 },
    { op: 'hadamard', num: 5, dim: 3, genDim: 8, seed: 4, commit: true },
    // seeded and committed with whole rows (dim a power of two), instances padded
    { op: 'hadamard', num: 3, dim: 8, genDim: 4, seed: 7, commit: true },
    { op: 'hadamard', num: 5, dim: 2, genDim: 8, seed: 8, commit: true },
    { op: 'tlookup-map', num: 3, dim: 5, low: -2, len: 7, genDim: 2, seed: 5, commit: true },
  ];
  for (const spec of cases) {
    const kit = prove(spec);
    const adv = advProve(spec);
    assert.deepStrictEqual(adv.statement, kit.statement, spec.op);
    assert.equal(Buffer.from(adv.proof).toString('hex'), Buffer.from(kit.proof).toString('hex'), spec.op);
  }
  // the opening of 11 entries in rows of 4 has two terms: v0, then two arguments of 2 rounds each
  if (protocol.maskedOpenings) assert.equal(prove(cases[0]).proof.length, 32 + 2 * (2 * 2 * 96 + 32));
});
