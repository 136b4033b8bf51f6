// Row-wise Pedersen commitments and Hyrax openings (native/proto/hyrax.cpp) computed with the
// kit's public G1 API (g1.msm, g1.elementwise). The generators are any set the caller passes:
// the kit's hashed ones, or planted ones with a known relation.
import { commitments } from '../../src/commit';
import { g1 } from '../../src/g1';
import { eqTable, inner, inv, log2, mod } from './mle';
import type { IpaProof } from './proof-bytes';
import type { AdvTranscript } from './transcript-log';

export interface Gens {
  label: string;
  w: number;
  g: Uint8Array[];
  q: Uint8Array;
}

/** The kit's generator set for (label, w), straight from the derivation (no disk cache). */
export function kitGens(label: string, w: number): Gens {
  const s = commitments.generators(label, w, { disk: false });
  return { label, w, g: s.g, q: s.q };
}

/** C_r = Σ_c t[r·w + c]·g_c for rows of w (the last one short). */
export function commitRows(gens: Gens, t: readonly bigint[]): Uint8Array[] {
  const rows: Uint8Array[] = [];
  for (let r = 0; r * gens.w < t.length; r++) {
    const row = t.slice(r * gens.w, (r + 1) * gens.w).map((x) => mod(x));
    rows.push(g1.msm(gens.g.slice(0, row.length), row));
  }
  return rows;
}

/** Column and row parts of z for a tensor of n entries (the column part zero-extended). */
export function splitPoint(w: number, z: readonly bigint[]): { zCol: bigint[]; zRow: bigint[] } {
  const m = log2(w);
  const zCol = z.slice(0, Math.min(m, z.length));
  while (zCol.length < m) zCol.push(0n);
  return { zCol, zRow: z.slice(Math.min(m, z.length)) };
}

/** a = Σ_r rowWeight[r]·t_r over the rows of t (entries past the end count as zero). */
export function foldRows(t: readonly bigint[], w: number, rowWeight: readonly bigint[]): bigint[] {
  const a: bigint[] = new Array(w).fill(0n);
  for (let r = 0; r < rowWeight.length && r * w < t.length; r++)
    for (let c = 0; c < w && r * w + c < t.length; c++) a[c] += rowWeight[r] * t[r * w + c];
  return a.map((x) => mod(x));
}

/** The inner-product argument for value = <a, b> (native ipa_prove). */
export function ipaProve(tr: AdvTranscript, label: string, value: bigint, a0: readonly bigint[], b0: readonly bigint[], gens: Gens): IpaProof {
  tr.absorbScalar(`${label}/value`, value);
  let a = a0.slice();
  let b = b0.slice();
  let G = gens.g.slice(0, gens.w);
  const proof: IpaProof = { L: [], R: [], a: 0n };
  for (let j = 0; a.length > 1; j++) {
    const h = a.length / 2;
    const [aLo, aHi, bLo, bHi, gLo, gHi] = [a.slice(0, h), a.slice(h), b.slice(0, h), b.slice(h), G.slice(0, h), G.slice(h)];
    const L = g1.msm([...gHi, gens.q], [...aLo, inner(aLo, bHi)]);
    const R = g1.msm([...gLo, gens.q], [...aHi, inner(aHi, bLo)]);
    proof.L.push(L);
    proof.R.push(R);
    tr.absorbPoints(`${label}/L/${j}`, [L]);
    tr.absorbPoints(`${label}/R/${j}`, [R]);
    const x = tr.challenge(`${label}/x/${j}`);
    const xi = inv(x);
    a = aLo.map((v, i) => mod(x * v + xi * aHi[i]));
    b = bLo.map((v, i) => mod(xi * v + x * bHi[i]));
    G = g1.elementwise('add', g1.elementwise('mul', gLo, gLo.map(() => xi)), g1.elementwise('mul', gHi, gHi.map(() => x)));
  }
  proof.a = a[0];
  return proof;
}

/** Hyrax opening of t~(z) (native hyrax_prove): fold rows at z_row, argue against eq(z_col). */
export function hyraxProve(tr: AdvTranscript, label: string, t: readonly bigint[], z: readonly bigint[], gens: Gens): { proof: IpaProof; value: bigint } {
  const { zCol, zRow } = splitPoint(gens.w, z);
  const a = foldRows(t, gens.w, eqTable(zRow));
  const b = eqTable(zCol);
  const value = inner(a, b);
  return { proof: ipaProve(tr, label, value, a, b, gens), value };
}
