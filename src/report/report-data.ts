// What a report shows, computed from result records (any number of files, merged by key): the
// environment and ceilings, one row per prove() configuration (median over repeats), the accuracy
// runs grouped by model and data, and the trade-off (tlookups, ΔPPL, priced proving time).
import type { ResultRecord, RecordEnv } from '../sweep/results-file';
import type { AccPoint, ProvePoint } from '../sweep/sweep-spec';
import { describePoint } from '../sweep/sweep-spec';
import { pointKey } from '../sweep/point-key';
import type { AccResult, CalibrateResult, ProveResult } from '../sweep/run-point';
import type { ConfigOutcome, ExperimentResult } from '../../acc/experiment';
import { findFrontier, type Frontier } from '../../acc/frontier';
import { workOf, type WorkModel } from './work-model';
import { fitTlookupPrice, priceAccount, type FittedPrice } from './tlookup-price';

export interface ProveRow {
  op: string;
  label: string;
  point: ProvePoint;
  backend: string;
  device: string;
  repeats: number;
  proveMs: number;
  verifyMs: number;
  proofBytes: number;
  /** Median per phase over the repeats, in the prover's order. */
  phasesMs: Record<string, number>;
  work: WorkModel;
}

export interface AccRun {
  point: AccPoint;
  outcome: ConfigOutcome;
}

export interface TradeoffRow {
  config: string;
  provable: boolean;
  tlookupsPerZkAttn: number;
  boundPerZkAttn: number;
  tlookupsPerModel: number;
  deltaPpl: number | null;
  relativeDeltaPpl: number | null;
  /** The accounting's cost per zkAttn (entry-equivalents: entries + table rows). */
  costPerZkAttn: number;
  /** Estimated seconds from measured tlookup prices on the machine that ran the prove points. */
  estSecondsPerZkAttn: number | null;
  estSecondsPerModel: number | null;
  /** Seconds of a zkattn proof of one head at this experiment's window, when one was measured. */
  provenSecondsPerZkAttn: number | null;
  error?: string;
}

export interface AccGroup {
  title: string;
  model: ExperimentResult['model'];
  data: ExperimentResult['data'];
  device: string;
  float: ExperimentResult['float'];
  runs: AccRun[];
  frontier: Frontier;
  tradeoff: TradeoffRow[];
}

export interface ReportData {
  records: number;
  envs: RecordEnv[];
  calibrations: Array<CalibrateResult & { env: RecordEnv }>;
  prove: ProveRow[];
  price: FittedPrice | null;
  acc: AccGroup[];
  failures: Array<{ label: string; error: string }>;
  commands: string[];
  maxDppl: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function proveRows(records: readonly ResultRecord[]): ProveRow[] {
  const groups = new Map<string, ResultRecord[]>();
  for (const r of records) {
    if (r.kind !== 'prove' || !r.ok) continue;
    const k = pointKey({ ...(r.point as ProvePoint), repeat: 0 });
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const rows = [...groups.values()].map((rs): ProveRow => {
    const point = { ...(rs[0].point as ProvePoint), repeat: 0 };
    const res = rs.map((r) => r.result as ProveResult);
    const phases: Record<string, number> = {};
    for (const name of Object.keys(res[0].phasesMs)) phases[name] = median(res.map((x) => x.phasesMs[name] ?? 0));
    return {
      op: point.op + (point.commit ? ' (commit)' : ''),
      label: describePoint(point),
      point,
      backend: res[0].backend,
      device: rs[0].env.device,
      repeats: rs.length,
      proveMs: median(res.map((x) => x.proveMs)),
      verifyMs: median(res.map((x) => x.verifyMs)),
      proofBytes: res[0].proofBytes,
      phasesMs: phases,
      work: workOf(point),
    };
  });
  return rows.sort((a, b) => a.op.localeCompare(b.op) || a.work.elements - b.work.elements || a.label.localeCompare(b.label));
}

function tradeoffRow(o: ConfigOutcome, price: FittedPrice | null, proven: Readonly<Record<string, number>>): TradeoffRow {
  const t = o.tlookups.totals;
  const est = price && o.tlookups.provable ? priceAccount(o.tlookups, price) : null;
  const ch = o.change?.perplexityOfMeanLoss;
  return {
    config: o.config.name,
    provable: o.tlookups.provable,
    tlookupsPerZkAttn: t.perZkAttn,
    boundPerZkAttn: t.rowShiftBoundPerZkAttn,
    tlookupsPerModel: t.perModel,
    deltaPpl: ch ? ch.delta : null,
    relativeDeltaPpl: ch ? ch.relative : null,
    costPerZkAttn: t.costPerZkAttn,
    estSecondsPerZkAttn: est ? est.perZkAttn : null,
    estSecondsPerModel: est ? est.perModel : null,
    provenSecondsPerZkAttn: proven[o.config.name] ?? null,
    ...(o.error !== undefined ? { error: o.error } : {}),
  };
}

function accGroups(records: readonly ResultRecord[], price: FittedPrice | null, maxDppl: number): AccGroup[] {
  const groups = new Map<string, { res: AccResult; runs: AccRun[] }>();
  for (const r of records) {
    if (r.kind !== 'acc' || !r.ok) continue;
    const p = r.point as AccPoint;
    const res = r.result as AccResult;
    const k = JSON.stringify([p.model, p.data, p.seqLen, p.samples, p.windowing, p.backend]);
    const g = groups.get(k) ?? { res, runs: [] };
    g.runs.push({ point: p, outcome: res.outcome });
    groups.set(k, g);
  }
  return [...groups.values()].map(({ res, runs }) => ({
    title: `${res.model.dir}: ${res.data.windows} windows of ${res.data.seqLen} tokens (${res.data.source})`,
    model: res.model,
    data: res.data,
    device: res.device,
    float: res.float,
    runs,
    frontier: findFrontier(runs.map((x) => x.outcome), maxDppl),
    tradeoff: runs.map((x) => tradeoffRow(x.outcome, price, {})),
  }));
}

/** An AccGroup straight from runAccuracyExperiment's result (notebooks), priced when a price is given. */
/**
 * `proven`: seconds of a measured zkattn proof of one head per configuration name (the notebook
 * measures them with zkattn()); configurations without one show the estimate alone.
 */
export function accGroupFromExperiment(
  r: ExperimentResult,
  o: { maxDppl?: number; price?: FittedPrice | null; proven?: Readonly<Record<string, number>> } = {},
): AccGroup {
  const maxDppl = o.maxDppl ?? 0.1;
  const point = (c: ConfigOutcome): AccPoint => ({ kind: 'acc', backend: r.backend, model: r.model.dir, data: r.data.source, seqLen: r.data.seqLen, samples: r.data.windows, windowing: r.data.windowing?.mode ?? 'chunks', config: c.config.name });
  const runs = r.configs.map((outcome) => ({ point: point(outcome), outcome }));
  return {
    title: `${r.model.dir}: ${r.data.windows} windows of ${r.data.seqLen} tokens (${r.data.source})`,
    model: r.model,
    data: r.data,
    device: r.device,
    float: r.float,
    runs,
    frontier: findFrontier(r.configs, maxDppl),
    tradeoff: r.configs.map((c) => tradeoffRow(c, o.price ?? null, o.proven ?? {})),
  };
}

export function buildReportData(records: readonly ResultRecord[], o: { maxDppl?: number } = {}): ReportData {
  const maxDppl = o.maxDppl ?? 0.1;
  const envs = new Map<string, RecordEnv>();
  for (const r of records) envs.set(JSON.stringify(r.env), r.env);
  const prove = proveRows(records);
  const price = fitTlookupPrice(
    prove.filter((r) => r.point.op === 'tlookup-range' && !r.point.commit).map((r) => ({ entries: (r.point.num ?? 1) * (r.point.dim ?? 0), tableRows: r.point.len ?? 0, seconds: r.proveMs / 1000 })),
  );
  return {
    records: records.length,
    envs: [...envs.values()],
    calibrations: records.filter((r) => r.kind === 'calibrate' && r.ok).map((r) => ({ ...(r.result as CalibrateResult), env: r.env })),
    prove,
    price,
    acc: accGroups(records, price, maxDppl),
    failures: records.filter((r) => !r.ok).map((r) => ({ label: describePoint(r.point), error: r.error ?? '' })),
    commands: [...new Set(records.map((r) => r.command))],
    maxDppl,
  };
}
