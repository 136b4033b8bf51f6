// zkllm-kit/report: tables (danfo), charts (plotly) and the self-contained HTML report, from sweep
// results or from a notebook's own runs.
export { dfd } from './data-frame';
export type { DataFrame } from './data-frame';
export { buildReportData, accGroupFromExperiment, median } from './report-data';
export { notebookSizes } from './notebook-sizes';
export type { NotebookSizes } from './notebook-sizes';
export type { ReportData, ProveRow, AccGroup, AccRun, TradeoffRow } from './report-data';
export { renderReportPage } from './report-page';
export { writeReport } from './write-report';
export { summarizeReport } from './report-summary';
export { dataFrameToHtml, formatNumber, escapeHtml } from './html-table';
export { figureHtml, plotlyScriptTag } from './plotly-html';
export type { Figure } from './plotly-html';
export * as charts from './charts';
export * as tables from './tables';
export { workOf } from './work-model';
export { fitTlookupPrice, priceAccount } from './tlookup-price';
export { loadAnchorFigures } from './anchor-figures';
export type { AnchorFigures } from './anchor-figures';
export { notebookDisplay } from './notebook-display';
export type { NotebookDisplayApi, NotebookShow } from './notebook-display';
