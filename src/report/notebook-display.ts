// Tables and charts inline in a tslab notebook, sent as HTML through tslab's display API (the
// notebook passes `tslab.display` in: the 'tslab' module exists only inside the kernel). plotly.js
// goes out once per notebook, with the first chart, so an exported notebook opens with no network,
// like the report.
import type { DataFrame } from './data-frame';
import { dataFrameToHtml, TABLE_CSS, type TableOptions } from './html-table';
import { figureHtml, plotlyScriptTag, type Figure } from './plotly-html';

/** What tslab's `display` offers (import * as tslab from 'tslab'; tslab.display). */
export interface NotebookDisplayApi {
  html(s: string): void;
  markdown(s: string): void;
}

export interface NotebookShow {
  table(df: DataFrame, o?: TableOptions): void;
  chart(f: Figure, o?: { title?: string; height?: number }): void;
  markdown(s: string): void;
}

/** Table, chart and markdown helpers over tslab's display: `const show = notebookDisplay(tslab.display)`.
 *  The table style and plotly.js go out once, with the first table and the first chart. */
export function notebookDisplay(display: NotebookDisplayApi): NotebookShow {
  let plotlySent = false;
  let cssSent = false;
  return {
    table(df, o = {}) {
      const css = cssSent ? '' : `<style>${TABLE_CSS}</style>`;
      cssSent = true;
      display.html(css + dataFrameToHtml(df, o));
    },
    chart(f, o = {}) {
      const lib = plotlySent ? '' : plotlyScriptTag();
      plotlySent = true;
      display.html(lib + figureHtml(f, o));
    },
    markdown(s) {
      display.markdown(s);
    },
  };
}
