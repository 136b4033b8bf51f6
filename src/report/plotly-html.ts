// Plotly figures as HTML. The plotly.js bundle (plotly.js-dist-min, one file) is inlined once per
// page, so a report opens with no network; a chart is a div and a Plotly.newPlot call.
import * as fs from 'node:fs';
import { escapeHtml } from './html-table';

export interface Figure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

let bundle: string | undefined;
/** The plotly.js bundle's source. The AMD loader that Jupyter pages carry (require.js) would make
 *  the bundle register as an AMD module instead of window.Plotly: `define` is hidden while it runs. */
export function plotlyScriptTag(): string {
  bundle ??= fs.readFileSync(require.resolve('plotly.js-dist-min'), 'utf8');
  return `<script>window.__zkDefine = window.define; window.define = undefined;</script>\n<script>${bundle.replace(/<\/script/gi, '<\\/script')}</script>\n<script>window.define = window.__zkDefine;</script>`;
}

let counter = 0;

/** JSON inside a <script>: '</' must not close the element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/<\//g, '<\\/').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A div and the script that draws the figure into it (Plotly must be loaded before). */
export function figureHtml(f: Figure, o: { title?: string; height?: number } = {}): string {
  const id = `zk-chart-${process.pid}-${++counter}`;
  const layout = {
    margin: { l: 70, r: 20, t: o.title ? 40 : 20, b: 60 },
    height: o.height ?? 420,
    font: { family: 'system-ui, sans-serif', size: 12 },
    ...(o.title ? { title: { text: o.title, font: { size: 14 } } } : {}),
    ...f.layout,
  };
  return (
    `<div class="zk-chart" id="${id}"${o.title ? ` aria-label="${escapeHtml(o.title)}"` : ''}></div>\n` +
    // A page that keeps window.__zkPlots (report-page.ts) gets each chart's promise, to check after drawing.
    `<script>(window.__zkPlots || []).push(Plotly.newPlot(${JSON.stringify(id)}, ${scriptJson(f.data)}, ${scriptJson(layout)}, {displaylogo: false, responsive: true}));</script>`
  );
}
