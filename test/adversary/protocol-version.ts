// Every difference between the kit's protocol v1 (main at eaca4d5) and the soundness-fixed v2
// that the adversarial prover must know, in one place. The per-op provers ask these questions
// and never compare version numbers themselves.
//   v2: 'tlookup-map' absorbs the SHA-256 of its table right after "witness" (both modes);
//       finalEvals are MLEs of the zero-padded logical tensors; commit-mode openings prove the
//       masked (zero-padded logical) MLE, with a two-term opening when one axis straddles a row;
//   v3: a proof's final evaluations are all opened in one argument after a sumcheck over the
//       columns reduces their points to one.
import { createHash } from 'node:crypto';
import { scalarBytesLE } from '../helpers/ref-transcript';
import type { AdvTranscript } from './transcript-log';

export type ProtocolVersion = 1 | 2 | 3;

/** The protocol the honest prover reproduces: v3 since the claims' openings share one argument;
 *  ZKLLM_ADV_PROTOCOL=2 reproduces v2 (an addon built from 79cf45d or before), =1 v1 (from eaca4d5). */
const ADV_PROTOCOL = process.env.ZKLLM_ADV_PROTOCOL;
export const PROTOCOL_VERSION: ProtocolVersion = ADV_PROTOCOL === '1' ? 1 : ADV_PROTOCOL === '2' ? 2 : 3;

export const protocol = {
  version: PROTOCOL_VERSION,
  /** v2: the mapping table is bound into the transcript before any challenge. */
  absorbsTable: PROTOCOL_VERSION >= 2,
  /** v2: finalEvals (and lookup commitments) are of zero-padded logical tensors. */
  zeroPaddedEvals: PROTOCOL_VERSION >= 2,
  /** v2: commit-mode openings weight out the padding (masked MLE). */
  maskedOpenings: PROTOCOL_VERSION >= 2,
  /** v3: every final evaluation of a proof is opened in one argument (claims-opening.ts). */
  claimsInOneOpening: PROTOCOL_VERSION >= 3,
};

/** SHA-256 of the table's outputs, each a 32-byte little-endian canonical scalar, in order. */
export function tableDigest(table: readonly bigint[]): Uint8Array {
  const h = createHash('sha256');
  for (const x of table) h.update(scalarBytesLE(x));
  return new Uint8Array(h.digest());
}

/** What the transcript absorbs right after "witness" (v2: the table of 'tlookup-map'). */
export function absorbAfterWitness(tr: AdvTranscript, op: string, table: readonly bigint[] | undefined): void {
  if (protocol.absorbsTable && op === 'tlookup-map') tr.absorb('table', tableDigest(table ?? []));
}
