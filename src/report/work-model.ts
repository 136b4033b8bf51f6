// How much work a prove() point is, for the size axis and the roofline. These are models from the
// op's sizes, not counts taken inside the prover: a roofline needs work per point, and the native
// prover does not count its field multiplications. The constants are rough per-element costs of
// the protocol steps (comments below), stated so the chart's labels can say what they plot.
import type { ProvePoint } from '../sweep/sweep-spec';

export interface WorkModel {
  /** Elements the proof is over (the size axis): witness entries, plus table rows for tlookups. */
  elements: number;
  /** Modelled Fr multiplications, or null where the work is not field arithmetic (MSMs). */
  frMuls: number | null;
  /** Modelled bytes moved (32-byte field elements read and written). */
  bytes: number | null;
}

type Sizes = Partial<Record<'num' | 'dim' | 'dim0' | 'dim1' | 'dim2' | 'len' | 'genDim', number>> & { op: string };

export function workOf(p: Sizes | ProvePoint): WorkModel {
  const num = p.num ?? 1;
  switch (p.op) {
    case 'hadamard':
    case 'inner-product': {
      const n = num * (p.dim ?? 0);
      // eq table (n) + degree-3 sumcheck over three vectors: folding 3 and evaluating 4 points per
      // pair, ~11 products per element summed over the halving rounds; ~6 passes over 32-byte values.
      return { elements: n, frMuls: 12 * n, bytes: 32 * 6 * n };
    }
    case 'tlookup-range':
    case 'tlookup-map': {
      const n = num * (p.dim ?? 0) + (p.len ?? 0);
      // batch inversion (~3 products per element) + the two logUp sumchecks (~11 per element);
      // ~8 passes over the entries, inverses, multiplicities and eq table.
      return { elements: n, frMuls: 14 * n, bytes: 32 * 8 * n };
    }
    case 'matmul': {
      const a = p.dim0 ?? 0;
      const k = p.dim1 ?? 0;
      const b = p.dim2 ?? 0;
      // folding A, B and C at the challenge point (one product per element each); the witness
      // C = A·B is computed on small integers, not in Fr, and the sumcheck is over k only.
      const n = num * (a * k + k * b + a * b);
      return { elements: n, frMuls: n, bytes: 32 * 2 * n };
    }
    default:
      // 'opening' and 'commit': multi-scalar multiplications in G1, bounded by group operations,
      // not by Fr multiplications: left off the Fr roofline.
      return { elements: num * (p.dim ?? 0), frMuls: null, bytes: null };
  }
}
