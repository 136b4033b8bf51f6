// A danfo DataFrame as an HTML table: numbers formatted for reading (4 significant digits,
// exponents for very large or small values, '—' for missing), text escaped. Used by the report
// page and by notebooks (through notebook-display.ts), so both show the same tables.
import type { DataFrame } from './data-frame';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (Number.isInteger(x) && Math.abs(x) < 1e7) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e7 || a < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return escapeHtml(String(v));
}

export interface TableOptions {
  caption?: string;
  /** Rows to mark (0-based), e.g. the highlighted configuration of the trade-off. */
  highlightRows?: number[];
}

export function dataFrameToHtml(df: DataFrame, o: TableOptions = {}): string {
  const cols = df.columns as string[];
  const rows = df.values as unknown[][];
  const hl = new Set(o.highlightRows ?? []);
  const numeric = cols.map((_, j) => rows.some((r) => typeof r[j] === 'number'));
  const head = cols.map((c, j) => `<th${numeric[j] ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((r, i) => `<tr${hl.has(i) ? ' class="highlight"' : ''}>${r.map((v, j) => `<td${numeric[j] ? ' class="num"' : ''}>${cell(v)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table class="zk-table">${o.caption ? `<caption>${escapeHtml(o.caption)}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** The table style, for pages and notebook outputs alike. */
export const TABLE_CSS = `
.zk-table { border-collapse: collapse; font: 13px/1.35 system-ui, sans-serif; margin: 0.5em 0 1.2em; }
.zk-table caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
.zk-table th, .zk-table td { border-bottom: 1px solid #ddd; padding: 3px 9px; text-align: left; white-space: nowrap; }
.zk-table th { background: #f3f4f6; }
.zk-table td.num, .zk-table th.num { text-align: right; font-variant-numeric: tabular-nums; }
.zk-table tr.highlight td { background: #fff4c2; font-weight: 600; }
`;
