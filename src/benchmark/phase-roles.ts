// Which prover phases each figure of a benchmark holds. The provers report an ordered record
// phase → ms (ProofResult.prover.phasesMs); this table says, per phase name, whether it is the
// witness (inputs drawn and placed: left out of every figure, as the anchor loads its inputs before
// its timer starts), commitments (shown separately, left out of the complete figure), or proof work
// (in the complete figure), and which phases make up the figure comparable with the anchor's timer.
//
// The phase names are being standardised in the native provers (the first phase of every prover
// named 'witness', commitments in a phase named 'commit'); until that lands the old names are
// mapped here. This is the one place to update when the names change.
import type { BenchOp } from './bench-params';

export type PhaseRole = 'witness' | 'commit' | 'proof';

/** Phase names that are the witness whatever the op. 'witness and multiplicities' (tlookup) holds
 *  the multiplicities too; it counts as witness until the prover reports them as their own phase. */
const WITNESS_PHASES: readonly string[] = ['witness', 'witness and multiplicities'];
/** Phase names that hold commitments. In commit mode the hadamard, matmul and tlookup provers
 *  still commit inside their second phase; see commitNote(). */
const COMMIT_PHASES: readonly string[] = ['commit'];

export function phaseRole(name: string): PhaseRole {
  if (WITNESS_PHASES.includes(name)) return 'witness';
  if (COMMIT_PHASES.includes(name)) return 'commit';
  return 'proof';
}

export interface AnchorTimerMapping {
  /** Kit phases whose sum is comparable with what the anchor's timer holds. */
  phases: readonly string[];
  /** What the anchor's timer holds and what it leaves out (zkllm-reference.md). */
  note: string;
}

/** What each anchor program's timer holds, as kit phases. */
export const ANCHOR_TIMER_PHASES: Readonly<Record<BenchOp, AnchorTimerMapping>> = {
  // reference §4.4 (tlookup-bm.cu): only the rounds over the instance index of the values side,
  // with a round polynomial that is right only in round 1.
  tlookup: {
    phases: ['values sumcheck'],
    note:
      "the anchor's timer holds only its sumcheck over the values (rounds over the instance index); it leaves out the inverses, the multiplicities, the table side, the rounds inside an instance and every proof output (zkllm-reference.md §4.4)",
  },
  // reference §8 (hadamard-bm): the Hadamard sumcheck per instance and one over the instances.
  hadamard: {
    phases: ['claim and eq table', 'sumcheck'],
    note: "the anchor's timer holds its Hadamard sumchecks (per instance and over the instances); loads, int→Fr conversion and the product are outside it (zkllm-reference.md §8)",
  },
  // reference §8 (matmul-bm): the operand folds, the product's MLE and zkip_stacked.
  matmul: {
    phases: ['fold operands', 'sumcheck'],
    note: "the anchor's timer holds the operand folds, the product's MLE and the stacked inner-product sumcheck; the matmul itself is outside it (zkllm-reference.md §8)",
  },
  // reference §5.4 (com-bm.cu): the batching loop and the opening; commitments are outside it.
  com: {
    phases: ['evaluate and combine', 'opening'],
    note: "the anchor's timer holds its batching loop and one opening (of an all-zero tensor, because of an accumulation bug, so its curve work is cheaper than real data); generators and commitments are outside it (zkllm-reference.md §5.4)",
  },
};

export interface PhaseTime {
  name: string;
  ms: number;
  role: PhaseRole;
}

export interface PhaseSplit {
  phases: PhaseTime[];
  witnessMs: number;
  commitMs: number;
  /** Every phase after the witness up to a finished proof, commitments left out. */
  completeMs: number;
  /** The anchor timer's phases, or null when the prover reported one of them under no such name. */
  anchorComparableMs: number | null;
  /** Anchor phases this prover did not report (renamed?). */
  missingAnchorPhases: string[];
}

export function splitPhases(op: BenchOp, phasesMs: Record<string, number>): PhaseSplit {
  const phases = Object.entries(phasesMs).map(([name, ms]) => ({ name, ms, role: phaseRole(name) }));
  const sum = (role: PhaseRole) => phases.filter((p) => p.role === role).reduce((s, p) => s + p.ms, 0);
  const wanted = ANCHOR_TIMER_PHASES[op].phases;
  const missing = wanted.filter((w) => !(w in phasesMs));
  return {
    phases,
    witnessMs: sum('witness'),
    commitMs: sum('commit'),
    completeMs: sum('proof'),
    anchorComparableMs: missing.length ? null : wanted.reduce((s, w) => s + phasesMs[w], 0),
    missingAnchorPhases: missing,
  };
}

/** In commit mode, a prover that reports no 'commit' phase commits inside its proof phases. */
export function commitNote(commit: boolean, split: PhaseSplit): string | undefined {
  if (!commit || split.phases.some((p) => p.role === 'commit')) return undefined;
  const second = split.phases.find((p) => p.role === 'proof')?.name ?? 'its first proof phase';
  return `this prover reports no 'commit' phase: its commitments are inside '${second}', so the complete figure (and the anchor-comparable one when it holds that phase) includes them`;
}
