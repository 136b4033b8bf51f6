// Every difference between the kit's protocol v1 (main at eaca4d5) and the soundness-fixed v2
// that the adversarial prover must know, in one place. The per-op provers ask these questions
// and never compare version numbers themselves.
//   v2: 'tlookup-map' absorbs the SHA-256 of its table right after "witness" (both modes);
//       finalEvals are MLEs of the zero-padded logical tensors; commit-mode openings prove the
//       masked (zero-padded logical) MLE, with a two-term opening when one axis straddles a row.
import { createHash } from 'node:crypto';
import { scalarBytesLE } from '../helpers/ref-transcript';
import type { AdvTranscript } from './transcript-log';

export type ProtocolVersion = 1 | 2;

/** The protocol the honest prover reproduces: v2 since main's "Soundness v2" (0b579e0);
 *  ZKLLM_ADV_PROTOCOL=1 reproduces v1 (against an addon built from eaca4d5). */
export const PROTOCOL_VERSION: ProtocolVersion = process.env.ZKLLM_ADV_PROTOCOL === '1' ? 1 : 2;

export const protocol = {
  version: PROTOCOL_VERSION,
  /** v2: the mapping table is bound into the transcript before any challenge. */
  absorbsTable: PROTOCOL_VERSION >= 2,
  /** v2: finalEvals (and lookup commitments) are of zero-padded logical tensors. */
  zeroPaddedEvals: PROTOCOL_VERSION >= 2,
  /** v2: commit-mode openings weight out the padding (masked MLE). */
  maskedOpenings: PROTOCOL_VERSION >= 2,
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
