// Seconds per tlookup on this machine, from measured prove({ op: 'tlookup-range' }) points: a
// least-squares fit of  t = perEntry·N + perTableRow·T  (N entries, T table rows), the linear cost
// model of acc/tlookup-cost.ts. With it the trade-off prices each configuration's tlookups in
// seconds. This is an estimate of the zkAttn's tlookup work, labelled as such in every table,
// until a real zkAttn proof can be timed.
import type { TlookupCostModel } from '../../acc/tlookup-cost';
import type { TlookupAccount, TlookupItem } from '../../acc/tlookup-accounting';

export interface TlookupSample {
  entries: number;
  tableRows: number;
  seconds: number;
}

export interface FittedPrice extends TlookupCostModel {
  unit: 's';
  samples: number;
  /** How the fit was made, for the report. */
  method: string;
}

/** Non-negative least squares over two prices (closed form; a negative price falls back to the
 *  one-price fit of the other). Needs samples with different entry/table ratios to separate them. */
export function fitTlookupPrice(samples: readonly TlookupSample[]): FittedPrice | null {
  const s = samples.filter((x) => x.seconds > 0 && x.entries + x.tableRows > 0);
  if (s.length === 0) return null;
  let nn = 0, nt = 0, tt = 0, ny = 0, ty = 0;
  for (const x of s) {
    nn += x.entries * x.entries;
    nt += x.entries * x.tableRows;
    tt += x.tableRows * x.tableRows;
    ny += x.entries * x.seconds;
    ty += x.tableRows * x.seconds;
  }
  const det = nn * tt - nt * nt;
  let perEntry = det !== 0 ? (ny * tt - ty * nt) / det : NaN;
  let perTableRow = det !== 0 ? (ty * nn - ny * nt) / det : NaN;
  let method = `least squares over ${s.length} tlookup-range proofs`;
  if (!(perEntry >= 0 && perTableRow >= 0)) {
    // One price per element (entries and rows alike): what the data can still say.
    const both = s.reduce((a, x) => a + (x.entries + x.tableRows) * x.seconds, 0) / s.reduce((a, x) => a + (x.entries + x.tableRows) ** 2, 0);
    perEntry = both;
    perTableRow = both;
    method = `one price per entry and table row (the two-price fit was not separable) over ${s.length} tlookup-range proofs`;
  }
  return { perEntry, perTableRow, unit: 's', samples: s.length, method };
}

function itemSeconds(x: TlookupItem, m: TlookupCostModel): number {
  return x.count * (m.perEntry * x.entries + m.perTableRow * x.tableSize);
}

/** Estimated seconds of one zkAttn's tlookups (its own and the row-sum bound), and of the model's
 *  (every head's zkAttn and the layers' other tlookups, times the layers). */
export function priceAccount(a: TlookupAccount, m: TlookupCostModel): { perZkAttn: number; perModel: number } {
  const zk = [...a.perZkAttn, ...a.rowShiftBound];
  const perZkAttn = zk.reduce((s, x) => s + itemSeconds(x, m), 0);
  const zkCount = a.totals.perZkAttn + a.totals.rowShiftBoundPerZkAttn;
  const heads = zkCount > 0 ? a.totals.zkAttnPerLayer / zkCount : 0;
  const layers = a.totals.perLayer > 0 ? a.totals.perModel / a.totals.perLayer : 0;
  const outside = a.perLayerOutsideAttention.reduce((s, x) => s + itemSeconds(x, m), 0);
  return { perZkAttn, perModel: layers * (heads * perZkAttn + outside) };
}
