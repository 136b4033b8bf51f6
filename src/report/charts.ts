// The report's charts as plotly figures, built from ReportData parts. Notebooks call the same
// builders, so a notebook and the HTML report draw the same thing from the same numbers.
import type { Figure } from './plotly-html';
import type { AccGroup, ProveRow, TradeoffRow } from './report-data';
import type { CalibrationResult } from '../system';
import type { AnchorFigures } from './anchor-figures';
import { workOf } from './work-model';
import { probabilityBits } from '../../acc/quant-config';

const logAxis = (title: string) => ({ type: 'log', title: { text: title }, exponentformat: 'power' });
const OPS_ORDER = ['tlookup-range', 'tlookup-map', 'hadamard', 'inner-product', 'matmul', 'opening', 'commit'];
const OP_COLORS = ['#2563eb', '#0891b2', '#ea580c', '#ca8a04', '#16a34a', '#9333ea', '#db2777'];
/** One colour per op everywhere, so this machine's line and the H200 markers of an op match. */
export function opColor(op: string): string {
  const i = OPS_ORDER.indexOf(op.split(' ')[0]);
  return OP_COLORS[i >= 0 ? i : OP_COLORS.length - 1];
}

function byOp(rows: readonly ProveRow[]): Map<string, ProveRow[]> {
  const m = new Map<string, ProveRow[]>();
  for (const r of rows) m.set(r.op, [...(m.get(r.op) ?? []), r]);
  return new Map([...m.entries()].sort((a, b) => OPS_ORDER.indexOf(a[0].split(' ')[0]) - OPS_ORDER.indexOf(b[0].split(' ')[0])));
}

/** Whole prove() time against the elements it is over, per op, log-log; the anchor's H200 timer
 *  figures and the kit's H200 figures beside, at their own sizes. */
export function timeVsSizeChart(rows: readonly ProveRow[], anchor?: AnchorFigures): Figure {
  const data: Figure['data'] = [...byOp(rows)].map(([op, rs]) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: `${op} (this machine)`,
    line: { color: opColor(op) },
    marker: { color: opColor(op) },
    x: rs.map((r) => r.work.elements),
    y: rs.map((r) => r.proveMs / 1000),
    text: rs.map((r) => r.label),
    hovertemplate: '%{text}<br>%{y:.3g} s<extra></extra>',
  }));
  if (anchor) {
    const pts = anchor.benchmarks.map((b) => ({ b, n: workOf(b).elements }));
    data.push({
      type: 'scatter', mode: 'markers', name: `anchor, ${anchor.deviceShort} (its timer)`, marker: { symbol: 'diamond', size: 10, color: pts.map((p) => opColor(p.b.op)), line: { color: '#111', width: 1 } },
      x: pts.map((p) => p.n), y: pts.map((p) => Math.min(...p.b.anchorTimerS)), text: pts.map((p) => `${p.b.op} ${p.b.args}`),
      hovertemplate: 'anchor %{text}<br>%{y:.3g} s<extra></extra>',
    });
    data.push({
      type: 'scatter', mode: 'markers', name: `kit, ${anchor.deviceShort} (whole prove)`, marker: { symbol: 'star', size: 12, color: pts.map((p) => opColor(p.b.op)), line: { color: '#111', width: 1 } },
      x: pts.map((p) => p.n), y: pts.map((p) => p.b.kitProveS), text: pts.map((p) => `${p.b.op} ${p.b.args}${p.b.kitNote ? ` (${p.b.kitNote})` : ''}`),
      hovertemplate: 'kit %{text}<br>%{y:.3g} s<extra></extra>',
    });
  }
  return { data, layout: { xaxis: logAxis('elements (witness entries + table rows)'), yaxis: logAxis('prove time (s)'), legend: { orientation: 'h', y: -0.2 } } };
}

/** Where one op's prover time goes: a stacked bar per size, a segment per phase. */
export function phaseChart(rows: readonly ProveRow[]): Figure {
  const phases = [...new Set(rows.flatMap((r) => Object.keys(r.phasesMs)))];
  // Short bar labels: the sizes, without what every bar shares (the op, a common num or genDim).
  const shared = (k: 'num' | 'genDim') => new Set(rows.map((r) => r.point[k])).size === 1;
  const label = (r: ProveRow) =>
    r.label
      .slice(r.label.indexOf(' ') + 1)
      .split(' ')
      .filter((w) => !((w.startsWith('num=') && shared('num')) || (w.startsWith('genDim=') && shared('genDim'))))
      .join(' ');
  return {
    data: phases.map((ph) => ({ type: 'bar', name: ph, x: rows.map(label), y: rows.map((r) => r.phasesMs[ph] ?? 0) })),
    layout: { barmode: 'stack', yaxis: { title: { text: 'ms (median over repeats)' } }, xaxis: { automargin: true, tickfont: { size: 10 } }, legend: { orientation: 'h', y: -0.3, font: { size: 11 } } },
  };
}

/** Achieved field-multiplication rate (modelled work / measured time) against arithmetic
 *  intensity, under the measured ceilings: Fr mul/s, and copy bandwidth × intensity. */
export function rooflineChart(rows: readonly ProveRow[], cal: CalibrationResult): Figure {
  const pts = rows.filter((r) => r.work.frMuls !== null && r.work.bytes);
  const data: Figure['data'] = [...byOp(pts)].map(([op, rs]) => ({
    type: 'scatter', mode: 'markers', name: op, marker: { size: 9, color: opColor(op) },
    x: rs.map((r) => (r.work.frMuls as number) / (r.work.bytes as number)),
    y: rs.map((r) => (r.work.frMuls as number) / (r.proveMs / 1000) / 1e9),
    text: rs.map((r) => r.label),
    hovertemplate: '%{text}<br>%{y:.3g} G mul/s (modelled)<extra></extra>',
  }));
  const xs = pts.map((r) => (r.work.frMuls as number) / (r.work.bytes as number));
  const lo = Math.min(0.01, ...xs) / 2;
  const hi = Math.max(10, ...xs) * 2;
  const knee = cal.frMulGPerSecond / cal.copyGBPerSecond;
  const line = (xa: number) => Math.min(cal.frMulGPerSecond, cal.copyGBPerSecond * xa);
  const grid = [lo, Math.max(lo, Math.min(knee, hi)), hi];
  data.push({
    type: 'scatter', mode: 'lines', name: `ceiling: ${cal.frMulGPerSecond.toPrecision(3)} G Fr mul/s, ${cal.copyGBPerSecond.toPrecision(3)} GB/s (calibrate, ${cal.backend})`,
    x: grid, y: grid.map(line), line: { color: '#111', dash: 'dash' }, hoverinfo: 'skip',
  });
  return { data, layout: { xaxis: logAxis('arithmetic intensity (modelled Fr mul per byte)'), yaxis: logAxis('G Fr mul/s (modelled work / measured time)'), legend: { orientation: 'h', y: -0.2 } } };
}

/** Quantized perplexity per configuration, float as a line. */
export function perplexityChart(g: AccGroup): Figure {
  const ok = g.runs.filter((r) => r.outcome.perplexity);
  return {
    data: [
      { type: 'scatter', mode: 'lines', name: `float ${g.float.perplexityOfMeanLoss.toFixed(3)}`, x: ok.map((r) => r.outcome.config.name), y: ok.map(() => g.float.perplexityOfMeanLoss), line: { color: '#c2410c', dash: 'dash' } },
      { type: 'scatter', mode: 'markers', name: 'quantized (exp mean loss)', x: ok.map((r) => r.outcome.config.name), y: ok.map((r) => r.outcome.perplexity!.perplexityOfMeanLoss), marker: { size: 11, color: '#2563eb' }, hovertemplate: '%{x}: %{y:.4f}<extra></extra>' },
    ],
    // Not from zero: the differences are a fraction of a percent of the perplexity.
    layout: { yaxis: { title: { text: 'perplexity (exp of the mean loss)' } }, xaxis: { automargin: true }, legend: { orientation: 'h', y: -0.35 } },
  };
}

/** ΔPPL against the activation/weight bits: configurations named "<base> at 2^b" form one line
 *  with their base (at its own bits); every other configuration is a single point. */
export function errorVsBitsChart(g: AccGroup): Figure {
  const fam = new Map<string, { x: number[]; y: number[]; t: string[] }>();
  for (const r of g.runs) {
    const ch = r.outcome.change?.perplexityOfMeanLoss;
    if (!ch) continue;
    const name = r.outcome.config.name.replace(/ at 2\^\d+$/, '');
    const f = fam.get(name) ?? { x: [], y: [], t: [] };
    f.x.push(r.outcome.config.valueBits);
    f.y.push(ch.delta);
    f.t.push(`${r.outcome.config.name}: values 2^${r.outcome.config.valueBits}, weights 2^${r.outcome.config.weightBits}, probabilities 2^${probabilityBits(r.outcome.config.softmax)}`);
    fam.set(name, f);
  }
  const data = [...fam.entries()].map(([name, f]) => {
    const order = f.x.map((_, i) => i).sort((a, b) => f.x[a] - f.x[b]);
    return { type: 'scatter', mode: f.x.length > 1 ? 'lines+markers' : 'markers', name, x: order.map((i) => f.x[i]), y: order.map((i) => f.y[i]), text: order.map((i) => f.t[i]), hovertemplate: '%{text}<br>ΔPPL %{y:.4f}<extra></extra>' };
  });
  return { data, layout: { xaxis: { title: { text: 'activation (value) bits' }, dtick: 2 }, yaxis: { title: { text: 'ΔPPL (quantized − float)' } }, legend: { orientation: 'h', y: -0.25 } } };
}

/** Relative RMS error of the residual stream after each layer, per configuration. */
export function layerErrorChart(g: AccGroup): Figure {
  return {
    data: g.runs.filter((r) => r.outcome.layers).map((r) => ({ type: 'scatter', mode: 'lines+markers', name: r.outcome.config.name, x: r.outcome.layers!.map((l) => l.layer), y: r.outcome.layers!.map((l) => l.stateRelRmsErr) })),
    layout: { xaxis: { title: { text: 'layer' }, dtick: 1 }, yaxis: logAxis('relative RMS error of the layer output'), legend: { orientation: 'h', y: -0.25 } },
  };
}

/** The zkAttn probabilities' error against the exact softmax of the same integer logits. */
export function attentionErrorChart(g: AccGroup): Figure {
  const ok = g.runs.filter((r) => r.outcome.attention);
  const names = ok.map((r) => r.outcome.config.name);
  return {
    data: [
      { type: 'bar', name: 'max |error|', x: names, y: ok.map((r) => r.outcome.attention!.maxAbsErr) },
      { type: 'bar', name: 'mean |error|', x: names, y: ok.map((r) => r.outcome.attention!.meanAbsErr) },
      { type: 'bar', name: 'row sum: max |1 − Σ|', x: names, y: ok.map((r) => r.outcome.attention!.rowSumMaxDev) },
    ],
    layout: { barmode: 'group', yaxis: logAxis('attention probability error'), xaxis: { automargin: true }, legend: { orientation: 'h', y: -0.35 } },
  };
}

/** Indices of the rows not dominated in (x, y), both minimised. */
export function paretoFront(xs: readonly number[], ys: readonly number[]): number[] {
  return xs
    .map((_, i) => i)
    .filter((i) => !xs.some((_, j) => j !== i && xs[j] <= xs[i] && ys[j] <= ys[i] && (xs[j] < xs[i] || ys[j] < ys[i])))
    .sort((a, b) => xs[a] - xs[b]);
}

/** ΔPPL against proving cost per zkAttn for the provable configurations, the Pareto front drawn,
 *  the fewest-tlookup configuration within the budget marked. Cost: the measured zkattn proof of
 *  a head when every configuration has one, else estimated seconds when tlookup prices were
 *  measured, else the accounting's entry-equivalents. */
export function paretoChart(rows: readonly TradeoffRow[], maxDppl: number, pick: string | null): Figure {
  const usable = rows.filter((r) => r.provable && r.deltaPpl !== null);
  const proven = usable.length > 0 && usable.every((r) => r.provenSecondsPerZkAttn !== null);
  const seconds = usable.every((r) => r.estSecondsPerZkAttn !== null);
  const xs = usable.map((r) => (proven ? (r.provenSecondsPerZkAttn as number) : seconds ? (r.estSecondsPerZkAttn as number) : r.costPerZkAttn));
  const ys = usable.map((r) => r.deltaPpl as number);
  const front = paretoFront(xs, ys);
  const chosen = usable.findIndex((r) => r.config === pick);
  const data: Figure['data'] = [
    { type: 'scatter', mode: 'markers+text', name: 'configurations', x: xs, y: ys, text: usable.map((r) => r.config), textposition: 'top center', marker: { size: 9, color: '#2563eb' }, hovertemplate: '%{text}<br>ΔPPL %{y:.4f}<br>%{x:.3g}<extra></extra>' },
    { type: 'scatter', mode: 'lines', name: 'Pareto front', x: front.map((i) => xs[i]), y: front.map((i) => ys[i]), line: { color: '#2563eb', shape: 'hv' } },
    { type: 'scatter', mode: 'lines', name: `ΔPPL budget ${maxDppl}`, x: [Math.min(...xs) / 1.5, Math.max(...xs) * 1.5], y: [maxDppl, maxDppl], line: { color: '#c2410c', dash: 'dot' } },
  ];
  if (chosen >= 0)
    data.push({ type: 'scatter', mode: 'markers', name: `fewest tlookups within budget: ${pick}`, x: [xs[chosen]], y: [ys[chosen]], marker: { size: 18, symbol: 'star', color: '#f59e0b', line: { color: '#111', width: 1 } } });
  // Keep the budget readable: configurations far above it are listed instead of squashing the axis.
  const top = Math.max(4 * maxDppl, ...ys.filter((y) => y <= 4 * maxDppl)) * 1.15;
  const off = usable.filter((_, k) => ys[k] > top).map((r) => `${r.config} (ΔPPL ${(r.deltaPpl as number).toFixed(3)})`);
  const xTitle = proven
    ? 'zkAttn proving time per head (s, a measured, verified zkattn proof)'
    : seconds
      ? 'estimated tlookup proving time per zkAttn (s, measured tlookup prices × accounting)'
      : 'tlookup cost per zkAttn (entry-equivalents)';
  return {
    data,
    layout: {
      xaxis: logAxis(xTitle),
      yaxis: { title: { text: 'ΔPPL (quantized − float)' }, range: [Math.min(0, ...ys) - 0.1 * top, top] },
      legend: { orientation: 'h', y: -0.25 },
      annotations: off.length ? [{ text: `above the chart: ${off.join(', ')}`, xref: 'paper', yref: 'paper', x: 0, y: 1.06, showarrow: false, xanchor: 'left', font: { size: 11, color: '#555' } }] : [],
    },
  };
}
