// The self-contained HTML report: tables (danfo frames), charts (plotly, inlined), the
// environment, and the commands that reproduce every number. The page checks itself after
// drawing: each chart gets data-rendered-points (plot elements drawn) and the body gets
// data-console-errors, which the headless-browser test (test/report-chromium.test.ts) reads;
// script errors are also shown at the top of the page, so a reader sees them too.
import type { DataFrame } from './data-frame';
import { dataFrameToHtml, escapeHtml, formatNumber, TABLE_CSS } from './html-table';
import { figureHtml, plotlyScriptTag, type Figure } from './plotly-html';
import type { ReportData } from './report-data';
import type { LineProblem } from '../sweep/results-file';
import { loadAnchorFigures } from './anchor-figures';
import * as T from './tables';
import * as C from './charts';

export interface PageOptions {
  title?: string;
  /** Commands that reproduce the numbers (the records' own commands are listed too). */
  reproduce?: string[];
  problems?: LineProblem[];
  generatedAt?: Date;
}

const CSS = `
body { font: 14px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1180px; padding: 1em 2em 4em; color: #111; }
h1 { margin-bottom: 0.1em; } h2 { border-bottom: 2px solid #e5e7eb; margin-top: 2em; } h3 { margin-top: 1.5em; }
.meta { color: #555; } .note { color: #444; font-size: 13px; max-width: 900px; }
.pending { border-left: 4px solid #f59e0b; background: #fffbeb; padding: 0.5em 1em; max-width: 900px; }
.zk-chart { min-height: 340px; } .grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5em; }
.table-wrap { overflow-x: auto; max-width: 100%; } pre { background: #f6f8fa; padding: 0.6em 1em; overflow-x: auto; font-size: 12.5px; }
nav a { margin-right: 1.2em; } #zk-errors { display: none; border: 2px solid #b91c1c; color: #b91c1c; padding: 0.5em 1em; }
${TABLE_CSS}`;

const ERROR_RECORDER = `<script>window.__zkErrors=[];window.__zkPlots=[];window.addEventListener('error',function(e){window.__zkErrors.push(String(e.message))});(function(){var ce=console.error;console.error=function(){window.__zkErrors.push(Array.prototype.map.call(arguments,String).join(' '));return ce.apply(console,arguments)}})();</script>`;

const SELF_CHECK = `<script>Promise.all(window.__zkPlots).then(function(){
  document.querySelectorAll('.zk-chart').forEach(function(c){c.setAttribute('data-rendered-points', String(c.querySelectorAll('.trace .point, .trace path.js-line, .trace .bartext, .barlayer .point').length))});
}).catch(function(e){window.__zkErrors.push('plot: '+e)}).then(function(){
  document.body.setAttribute('data-console-errors', JSON.stringify(window.__zkErrors));
  if (window.__zkErrors.length){var b=document.getElementById('zk-errors');b.style.display='block';b.textContent='Script errors while drawing this page: '+window.__zkErrors.join('; ');}
});</script>`;

const table = (df: DataFrame, caption?: string, highlightRows?: number[]) => `<div class="table-wrap">${dataFrameToHtml(df, { caption, highlightRows })}</div>`;
const chart = (f: Figure, title: string, height?: number) => figureHtml(f, { title, height });

function proveSection(d: ReportData): string {
  const out = ['<h2 id="proving">Proving time</h2>'];
  const anchor = loadAnchorFigures();
  if (d.prove.length === 0) out.push('<p class="note">No prove() points in these results.</p>');
  else {
    out.push(`<p class="note">Each row is one <code>prove(spec)</code> call (spec: the op and sizes shown, seed 1, witness drawn from the seed; <code>num</code> instances), timed on the worker thread that ran it, verified with <code>checkProof</code> right after; medians over the repeats.</p>`);
    out.push(table(T.proveFrame(d.prove), 'prove() per op and size'));
    out.push(chart(C.timeVsSizeChart(d.prove, anchor), 'Prove time against size (log-log), with the anchor\'s H200 figures'));
    const ops = [...new Set(d.prove.map((r) => r.op))];
    out.push(`<div class="grid2">${ops.map((op) => chart(C.phaseChart(d.prove.filter((r) => r.op === op)), `Prover phases: ${op}`, 360)).join('\n')}</div>`);
    const backend = d.prove[0].backend;
    const cal = d.calibrations.flatMap((c) => c.calibration).find((c) => c.backend === backend);
    if (cal) {
      out.push(chart(C.rooflineChart(d.prove, cal), `Roofline on ${cal.device} (${backend}): modelled work against the measured ceilings`));
      out.push('<p class="note">Work per point is a model from the op\'s sizes (<code>src/report/work-model.ts</code>: ~12 Fr products per element for Hadamard, ~14 for a tlookup, one per matrix entry for matmul, whose witness product is on small integers), not a count taken in the prover; openings are multi-scalar multiplications in G1 and are left off the Fr roofline.</p>');
    } else out.push('<p class="note">No calibrate point for this backend in these results: no roofline.</p>');
  }
  out.push(`<h3>The anchor on ${escapeHtml(anchor.device)}</h3>`);
  out.push(table(T.anchorFrame(anchor), `Recorded figures (${anchor.date}), not measured here`));
  out.push(`<p class="note">Source: ${escapeHtml(anchor.source)} Ceilings there: ${anchor.ceilings.frMulGPerSecond} G Fr mul/s, ${formatNumber(anchor.ceilings.copyGBPerSecond)} GB/s. Wall clock of the anchor's whole commands: ${escapeHtml(anchor.wallClock)}.</p>`);
  out.push('<p class="note">The numbers above come from this sweep\'s <code>prove()</code> points. The anchor\'s benchmarks at its own sizes, with phases, floors and verification, are <code>zkllm bench</code>\'s (rendered by <code>zkllm bench --markdown</code>, as in BENCHMARKS.md).</p>');
  return out.join('\n');
}

function accSection(d: ReportData): string {
  const out = ['<h2 id="accuracy">Accuracy: float against quantized</h2>'];
  if (d.acc.length === 0) return out.concat('<p class="note">No accuracy points in these results.</p>').join('\n');
  for (const g of d.acc) {
    out.push(`<h3>${escapeHtml(g.title)}</h3>`);
    out.push(`<p class="note">Model: ${g.model.layers} layers, hidden ${g.model.hiddenSize}, ${g.model.heads} heads of ${g.model.headDim}; ${g.data.scoredTokens} scored predictions on ${escapeHtml(g.device)}. Float perplexity ${g.float.perplexityOfMeanLoss.toFixed(4)} (exp of the mean loss). ΔPPL is quantized − float; "anchor-style" is the change of the mean of per-window perplexities.</p>`);
    out.push(table(T.accuracyFrame(g), 'runAccuracyExperiment per configuration'));
    out.push(chart(C.perplexityChart(g), 'Perplexity: float and each quantized configuration'));
    out.push(chart(C.errorVsBitsChart(g), 'Perplexity change against bits'));
    out.push(chart(C.layerErrorChart(g), 'Error growth through the layers'));
    out.push(chart(C.attentionErrorChart(g), 'zkAttn probability error against the exact softmax of the same logits'));
  }
  return out.join('\n');
}

function tradeoffSection(d: ReportData): string {
  const out = ['<h2 id="tradeoff">Trade-off: tlookups, ΔPPL and proving time</h2>'];
  if (d.acc.length === 0) return out.concat('<p class="note">No accuracy points: no trade-off.</p>').join('\n');
  const p = d.price;
  out.push(
    p
      ? `<p class="note"><b>Proving time here is an estimate</b>, not a zkAttn proof: each configuration's tlookups (the accounting of <code>acc/tlookup-accounting.ts</code>, at the experiment's sequence length) priced at ${formatNumber(p.perEntry * 1e9)} ns per looked-up entry and ${formatNumber(p.perTableRow * 1e9)} ns per table row, measured on this machine with <code>prove({ op: 'tlookup-range' })</code> (${escapeHtml(p.method)}). The same prices for <code>zkllm acc</code>: <code>--cost-model '${escapeHtml(JSON.stringify({ perEntry: Number(p.perEntry.toPrecision(3)), perTableRow: Number(p.perTableRow.toPrecision(3)), unit: 's' }))}'</code>.</p>`
      : '<p class="note">No tlookup-range prove points in these results: costs are the accounting\'s entry-equivalents, not seconds.</p>',
  );
  out.push('<p class="note">The "measured" column holds a verified zkattn proof of one head when the experiment\'s configurations were proven (the trade-off notebook proves one per configuration with <code>zkattn()</code>); a sweep has no zkattn points, so it is empty here. <code>zkllm zkattn</code> measures whole models; its results carry the configuration\'s name to join by.</p>');
  for (const g of d.acc) {
    const pick = g.frontier.fewestTlookups?.config ?? null;
    out.push(`<h3>${escapeHtml(g.title)}</h3>`);
    out.push(table(T.tradeoffFrame(g.tradeoff), `Per configuration (highlighted: fewest tlookups within ΔPPL ≤ ${d.maxDppl})`, g.tradeoff.map((r, i) => (r.config === pick ? i : -1)).filter((i) => i >= 0)));
    const f = g.frontier.fewestTlookups;
    out.push(`<p>${f ? `Within ΔPPL ≤ ${d.maxDppl}: <b>${escapeHtml(f.config)}</b> has the fewest tlookups (${f.tlookupsPerModel} per model, ΔPPL ${f.deltaPpl >= 0 ? '+' : ''}${f.deltaPpl.toFixed(4)}).` : `No provable configuration within ΔPPL ≤ ${d.maxDppl}.`}</p>`);
    if (g.tradeoff.some((r) => r.provable && r.deltaPpl !== null)) out.push(chart(C.paretoChart(g.tradeoff, d.maxDppl, pick), 'ΔPPL against proving cost per zkAttn: the Pareto front'));
  }
  return out.join('\n');
}

export function renderReportPage(d: ReportData, o: PageOptions = {}): string {
  const title = o.title ?? 'zkllm-kit report';
  const reproduce = [...(o.reproduce ?? []), ...d.commands.filter((c) => !(o.reproduce ?? []).includes(c))];
  const problems = o.problems ?? [];
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">Generated ${escapeHtml((o.generatedAt ?? new Date()).toISOString())} from ${d.records} result records${d.envs.length ? ` measured on ${escapeHtml(d.envs.map((e) => `${e.device} (${e.host}, commit ${e.commit ?? 'unknown'})`).join('; '))}` : ''}.</p>`,
    '<div id="zk-errors"></div>',
    '<nav><a href="#environment">Environment</a><a href="#proving">Proving time</a><a href="#accuracy">Accuracy</a><a href="#tradeoff">Trade-off</a><a href="#reproduce">Reproduce</a></nav>',
    '<h2 id="environment">Environment</h2>',
    table(T.environmentFrame(d), 'Where the numbers were measured'),
    table(T.calibrationFrame(d), 'info() and calibrate(): compiled backends, devices and the roofline ceilings'),
    ...d.calibrations.flatMap((c) => c.calibration.map((x) => `<p class="note">calibrate (${x.backend}): ${escapeHtml(x.method)}</p>`)),
    proveSection(d),
    accSection(d),
    tradeoffSection(d),
    '<h2 id="reproduce">Reproduce</h2>',
    '<p class="note">Every number above comes from these commands (run in a checkout after <code>npm ci</code>); each result record also keeps its point, the device, the commit and the command.</p>',
    `<pre>${reproduce.map(escapeHtml).join('\n')}</pre>`,
    d.failures.length ? `<h3>Points that failed</h3><pre>${d.failures.map((f) => escapeHtml(`${f.label}: ${f.error}`)).join('\n')}</pre>` : '',
    problems.length ? `<h3>Lines skipped in the results files</h3><pre>${problems.map((p) => escapeHtml(`${p.file}:${p.line}: ${p.message}`)).join('\n')}</pre>` : '',
  ].join('\n');
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>\n${ERROR_RECORDER}\n<style>${CSS}</style>\n${plotlyScriptTag()}\n</head><body>\n${body}\n${SELF_CHECK}\n</body></html>\n`;
}
