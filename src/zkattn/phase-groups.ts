// The prover's phases of a zkattn proof grouped by what they prove: the two matmuls (Q.K^T and Y.V),
// the tlookups (one phase 'lookup: <stage>' per logUp argument, after 'multiplicities'; each
// lookup's size is in the proof's `lookups`), the products (segment
// outputs, shifted logits and the causal mask, row sums), the openings, and apart from the proof
// proper the witness and the commitments.
export interface PhaseGroups {
  witness: number;
  commitments: number;
  matmuls: number;
  /** By lookup stage (the phase name after 'lookup: '). */
  tlookups: Record<string, number>;
  tlookupsTotal: number;
  products: number;
  openings: number;
  /** Phases none of the rules place, by name (kept, so that no time goes missing). */
  other: Record<string, number>;
  /** Everything but witness and commitments: the proof after its inputs are resident. */
  proofMs: number;
}

export type PhaseGroup = 'witness' | 'commitments' | 'matmuls' | 'tlookups' | 'products' | 'openings' | 'other';

/** The group of one phase name. */
export function groupOf(name: string): PhaseGroup {
  const n = name.toLowerCase();
  if (n.startsWith('witness')) return 'witness';
  // 'lookup: <stage>' is one logUp argument; 'multiplicities' counts every lookup's table hits.
  if (n.startsWith('lookup') || n.includes('tlookup') || n.startsWith('multiplicit')) return 'tlookups';
  if (n.includes('opening')) return 'openings';
  if (n.startsWith('commit')) return 'commitments';
  if (n.includes('matmul')) return 'matmuls';
  // 'score sumcheck': Y against the shifted logits and the causal mask, a product sumcheck like 'product sumcheck'.
  if (n.includes('product') || n.includes('score') || n.includes('row sum') || n.includes('hadamard') || n.includes('mask')) return 'products';
  return 'other';
}

export function emptyGroups(): PhaseGroups {
  return { witness: 0, commitments: 0, matmuls: 0, tlookups: {}, tlookupsTotal: 0, products: 0, openings: 0, other: {}, proofMs: 0 };
}

/** Adds one proof's phases (ms) into `into` (a fresh set when not given). */
export function groupPhases(phasesMs: Record<string, number>, into: PhaseGroups = emptyGroups()): PhaseGroups {
  for (const [name, ms] of Object.entries(phasesMs)) {
    const g = groupOf(name);
    if (g === 'tlookups') {
      const stage = name.replace(/^lookup:\s*/i, '');
      into.tlookups[stage] = (into.tlookups[stage] ?? 0) + ms;
      into.tlookupsTotal += ms;
    } else if (g === 'other') into.other[name] = (into.other[name] ?? 0) + ms;
    else into[g] += ms;
    if (g !== 'witness' && g !== 'commitments') into.proofMs += ms;
  }
  return into;
}

/** The same groups with every figure multiplied by f (per head, extrapolations). */
export function scaleGroups(g: PhaseGroups, f: number): PhaseGroups {
  const scale = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v * f]));
  return {
    witness: g.witness * f,
    commitments: g.commitments * f,
    matmuls: g.matmuls * f,
    tlookups: scale(g.tlookups),
    tlookupsTotal: g.tlookupsTotal * f,
    products: g.products * f,
    openings: g.openings * f,
    other: scale(g.other),
    proofMs: g.proofMs * f,
  };
}
