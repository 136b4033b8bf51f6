// The zkattn proof op as this feature calls it: prove({ op: 'zkattn', attention, ... }) from
// src/proof.ts and zkattnParams from zkllm-kit/acc (both the lead's). Kept in one file so that the
// interface this feature depends on is written down once: the attention parameters, the lookups the
// prover reports and the proven output.
import { prove, PROOF_OPS, type ProofResult, type ProveSpec } from '../proof';
import type { Backend } from '../backend';
import type { QuantConfig } from '../../acc/quant-config';

/** What the prover reports of each tlookup it ran (one per stage, over every head of the proof). */
export interface ZkattnLookup {
  stage: string;
  tableBits: number;
  entries: number;
}

/** acc's zkattnParams(config, keyRows): the softmax's public parameters for the op. */
export type AttentionParams = Record<string, unknown> & { name?: string };

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
}

export type ZkattnProofResult = ProofResult & {
  outputs?: { O?: readonly bigint[] };
  prover: ProofResult['prover'] & { lookups?: ZkattnLookup[] };
};

/** Why this build cannot prove zkAttn, or undefined when it can. */
export function zkattnOpMissing(): string | undefined {
  if (!(PROOF_OPS as readonly string[]).includes('zkattn')) return `this build's prover has no 'zkattn' op (its ops: ${PROOF_OPS.join(', ')})`;
  const acc = require('../../acc') as Record<string, unknown>;
  if (typeof acc.zkattnParams !== 'function') return "zkllm-kit/acc has no zkattnParams (the zkattn op's parameters)";
  return undefined;
}

/** acc.zkattnParams(config, keyRows). */
export function attentionParams(config: QuantConfig, keyRows: number): AttentionParams {
  const acc = require('../../acc') as { zkattnParams?: (c: QuantConfig, n: number) => AttentionParams };
  if (typeof acc.zkattnParams !== 'function') throw new Error(zkattnOpMissing());
  return acc.zkattnParams(config, keyRows);
}

export function proveZkattn(spec: ZkattnProofSpec): ZkattnProofResult {
  return prove({ op: 'zkattn', ...spec } as unknown as ProveSpec) as ZkattnProofResult;
}
