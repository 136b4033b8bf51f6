// The zkattn proof op as this feature calls it: prove({ op: 'zkattn', attention, ... }) from
// src/proof.ts with the parameters of zkllm-kit/acc's zkattnParams. Kept in one file so that the
// interface this feature depends on is written down once.
import { prove, PROOF_OPS, type AttentionParams, type ProofLookup, type ProofResult } from '../proof';
import type { Backend } from '../backend';
import type { QuantConfig } from '../../acc/quant-config';

/** What the prover reports of each tlookup it ran (one per stage, over every head of the proof). */
export type ZkattnLookup = ProofLookup;
export type { AttentionParams };

export interface ZkattnProofSpec {
  /** Heads in this proof. */
  num: number;
  /** Query rows m, key rows n (m <= n; causal: row r sees keys c <= r + n - m), head dimension d. */
  dim0: number;
  dim1: number;
  dim2: number;
  attention: AttentionParams;
  seed?: number;
  /** Head-major, logical row-major: Q heads×m×d, K and V heads×n×d. */
  tensors?: { Q: readonly bigint[]; K: readonly bigint[]; V: readonly bigint[] };
  commit?: boolean;
  genDim?: number;
  backend?: Backend;
  deviceBudget?: number;
  /** false: the proven output O is not returned (prove()'s `outputs`). */
  outputs?: boolean;
}

/** prove()'s result; `outputs.O` is the proven attention output (heads × m × d). */
export type ZkattnProofResult = ProofResult;

/** Why this build cannot prove zkAttn (an addon built before the op), or undefined when it can. */
export function zkattnOpMissing(): string | undefined {
  if (!(PROOF_OPS as readonly string[]).includes('zkattn')) return `this build's prover has no 'zkattn' op (its ops: ${PROOF_OPS.join(', ')}); rebuild the addon`;
  return undefined;
}

/** acc's zkattnParams(config, headDim, keyRows): the configuration and the row-sum bound. */
export function attentionParams(config: QuantConfig, headDim: number, keyRows: number): AttentionParams {
  const { zkattnParams } = require('../../acc/zkattn-params') as typeof import('../../acc/zkattn-params');
  return zkattnParams(config, headDim, keyRows);
}

export function proveZkattn(spec: ZkattnProofSpec): ZkattnProofResult {
  return prove({ op: 'zkattn', ...spec });
}
