// The price of one tlookup: a model of the prover's work, per looked-up entry and per table row.
// A logUp tlookup (reference §4) of N entries against a table of 2^b rows inverts N + 2^b field
// elements (one per entry, one per table row weighted by its multiplicity) and runs a sumcheck over
// vectors of that length, so its work is linear in both: perEntry * N + perTableRow * 2^b. With both
// prices 1 the unit is "entry-equivalents" (a 2^22-row table costs what 2^22 looked-up entries
// cost); a benchmark of `prove({ op: 'tlookup-range' })` at two table sizes gives measured prices
// in seconds, which replace the defaults without changing anything else.

export interface TlookupCostModel {
  perEntry: number;
  perTableRow: number;
  /** What one unit of cost is ("entry-equivalents", "s", ...). */
  unit: string;
}

export const DEFAULT_COST_MODEL: Readonly<TlookupCostModel> = Object.freeze({ perEntry: 1, perTableRow: 1, unit: "entry-equivalents" });

export function itemCost(x: { count: number; entries: number; tableSize: number }, m: TlookupCostModel): number {
  return x.count * (m.perEntry * x.entries + m.perTableRow * x.tableSize);
}

/** A cost model from JSON text or an object: {"perEntry": s, "perTableRow": s, "unit": "s"}. */
export function parseCostModel(spec: string | Partial<TlookupCostModel>): TlookupCostModel {
  let o: unknown = spec;
  if (typeof spec === "string") {
    try {
      o = JSON.parse(spec);
    } catch (e) {
      throw new Error(`cost model: not valid JSON: ${(e as Error).message}`);
    }
  }
  if (o === null || typeof o !== "object" || Array.isArray(o)) throw new Error("cost model: expected a JSON object");
  const r = o as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!["perEntry", "perTableRow", "unit"].includes(k)) throw new Error(`cost model: unknown field "${k}"`);
  const num = (k: string, fallback: number) => {
    const v = r[k] ?? fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Error(`cost model: ${k} must be a number >= 0`);
    return v;
  };
  const unit = r.unit ?? (r.perEntry === undefined && r.perTableRow === undefined ? DEFAULT_COST_MODEL.unit : "units");
  if (typeof unit !== "string") throw new Error("cost model: unit must be a string");
  return { perEntry: num("perEntry", 1), perTableRow: num("perTableRow", 1), unit };
}
