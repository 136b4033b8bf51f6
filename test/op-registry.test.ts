// The op names come from the native registry (native/proto/ops.cpp); the TypeScript type lists
// them for the type checker. This keeps the two from drifting apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROOF_OPS, prove } from '../src';
import type { ProofOp } from '../src';

test('ProofOp names the registry exactly', () => {
  // A missing or extra key here is a compile error, so this object is the type's list.
  const typed: Record<ProofOp, true> = {
    'inner-product': true,
    hadamard: true,
    matmul: true,
    'tlookup-range': true,
    'tlookup-map': true,
    commit: true,
    opening: true,
    zkattn: true,
  };
  assert.deepEqual(Object.keys(typed).sort(), [...PROOF_OPS].sort());
});

test('an op outside the registry is refused with the registry named', () => {
  assert.throws(() => prove({ op: 'convolution' as ProofOp, num: 1, dim: 2 }), (e: Error) => PROOF_OPS.every((o) => e.message.includes(o)));
});
