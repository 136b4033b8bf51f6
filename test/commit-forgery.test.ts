// The anchor's opening folds with the coordinates of the evaluation point, which the prover knows
// before it sends L and R; it can then pick L and solve for R so that any claimed value passes
// (reference §5.3). Here the folding challenge comes from the transcript after L and R, so the
// same forged proof must be rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { checkProof, commitments, prove, verify } from '../src';

const Point = bls12_381.G1.Point;
const Fn = Point.Fn;
const pt = (b: Uint8Array | string) => Point.fromBytes(typeof b === 'string' ? Uint8Array.from(Buffer.from(b, 'hex')) : b);
const le32 = (x: bigint) => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((x >> BigInt(8 * i)) & 0xffn);
  return out;
};

test('opening forgery with challenges known in advance is rejected', () => {
  const seed = 1 + Math.floor(Math.random() * 1e9);
  const { statement, proof } = prove({ op: 'opening', num: 1, dim: 2, genDim: 2, seed });
  assert.equal(verify(statement, proof), true, `honest opening must verify (seed ${seed})`);
  assert.ok('commitments' in statement.witness);
  const w = statement.witness;
  const gens = commitments.generators(w.genLabel, 2);
  const [G0, G1] = gens.g.map((g) => pt(g));
  const Q = pt(gens.q);
  const C0 = pt(w.commitments.x0[0]);
  const z0 = BigInt(statement.finalEvals[0].point[0]);
  const forgedValue = Fn.add(BigInt(statement.finalEvals[0].value), 1n);

  // The anchor-style verifier folds with x = z0; solve R for a chosen L and final scalar a.
  const x = z0;
  const xi = Fn.inv(x);
  const P = C0.add(Q.multiply(forgedValue));
  const Gp = G0.multiply(xi).add(G1.multiply(x));
  const bp = Fn.add(Fn.mul(xi, Fn.sub(1n, z0)), Fn.mul(x, z0));
  const a = Fn.add(Fn.mul(BigInt(seed), 7919n), 3n);
  const L = Point.BASE.multiply(Fn.add(BigInt(seed), 11n));
  const target = Gp.multiply(a).add(Q.multiply(Fn.mul(a, bp)));
  const x2 = Fn.mul(x, x);
  const R = target.subtract(P).subtract(L.multiply(x2)).multiply(x2);
  // The forgery satisfies the final equation for the point-coordinate challenge...
  assert.ok(L.multiply(x2).add(P).add(R.multiply(Fn.inv(x2))).equals(target), 'forgery algebra is consistent');

  // ...but the kit's verifier draws x from the transcript after L and R.
  const forgedProof = new Uint8Array([...L.toBytes(false), ...R.toBytes(false), ...le32(a)]);
  assert.equal(forgedProof.length, proof.length, 'forged proof has the honest layout');
  const forged = JSON.parse(JSON.stringify(statement));
  forged.finalEvals[0].value = forgedValue.toString();
  const r = checkProof(forged, forgedProof);
  assert.equal(r.valid, false, `forged opening must be rejected (seed ${seed})`);
  assert.match(r.reason, /inner-product argument/);
  // and the honest proof does not vouch for the forged value either
  assert.equal(verify(forged, proof), false);
});
