// The adversarial prover's entry point: prove()'s spec plus hooks, dispatched per op.
import { proveLookup } from './lookup-prover';
import { proveMatmul } from './matmul-prover';
import { proveCommit, proveOpening } from './opening-provers';
import { proveHadamard, proveInnerProduct } from './product-provers';
import type { AdvResult, AdvSpec, Hooks } from './prover-run';

export type { AdvResult, AdvSpec, Eval, Hooks, StepContext } from './prover-run';
export { protocol } from './protocol-version';

export function advProve(spec: AdvSpec, hooks: Hooks = {}): AdvResult {
  switch (spec.op) {
    case 'inner-product':
      return proveInnerProduct(spec, hooks);
    case 'hadamard':
      return proveHadamard(spec, hooks);
    case 'matmul':
      return proveMatmul(spec, hooks);
    case 'tlookup-range':
    case 'tlookup-map':
      return proveLookup(spec, hooks);
    case 'commit':
      return proveCommit(spec, hooks);
    case 'opening':
      return proveOpening(spec, hooks);
  }
  throw new Error(`adversary: unknown op '${String(spec.op)}'`);
}
