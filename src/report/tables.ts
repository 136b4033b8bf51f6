// The report's tables as danfo DataFrames (notebooks display the same frames): the environment,
// prove() timings, the anchor's figures, the accuracy runs and the trade-off.
import { dfd } from './data-frame';
const { DataFrame } = dfd;
type DataFrame = InstanceType<typeof dfd.DataFrame>;
import type { AccGroup, ProveRow, ReportData, TradeoffRow } from './report-data';
import type { AnchorFigures } from './anchor-figures';

export function environmentFrame(d: ReportData): DataFrame {
  const rows = d.envs.map((e) => ({ device: e.device, 'CPU threads': e.cpuThreads, GPUs: e.gpus.join(', ') || 'none', commit: e.commit ?? 'unknown', node: e.node, host: e.host }));
  return new DataFrame(rows.length ? rows : [{ device: 'no records' }]);
}

export function calibrationFrame(d: ReportData): DataFrame {
  const rows = d.calibrations.flatMap((c) =>
    c.calibration.map((x) => ({ backend: x.backend, device: x.device, 'Fr mul (G/s)': x.frMulGPerSecond, 'copy (GB/s)': x.copyGBPerSecond, 'compiled backends': `cpu${c.info.cudaCompiled ? `, cuda (${c.info.cudaArchs})` : ''}`, 'GPU status': c.info.devices.length ? c.info.devices.map((g) => g.name).join(', ') : c.info.gpuStatus })),
  );
  return new DataFrame(rows.length ? rows : [{ backend: '—', note: 'no calibrate point in these results' }]);
}

export function proveFrame(rows: readonly ProveRow[]): DataFrame {
  return new DataFrame(
    rows.map((r) => ({
      op: r.op,
      sizes: r.label.slice(r.label.indexOf(' ') + 1),
      elements: r.work.elements,
      'prove (ms)': r.proveMs,
      'verify (ms)': r.verifyMs,
      'proof (bytes)': r.proofBytes,
      'µs per element': (r.proveMs * 1000) / Math.max(1, r.work.elements),
      repeats: r.repeats,
      backend: r.backend,
      device: r.device,
    })),
  );
}

export function anchorFrame(a: AnchorFigures): DataFrame {
  return new DataFrame(
    a.benchmarks.map((b) => ({
      benchmark: `${b.op} ${b.args}`,
      'anchor timer (s)': b.anchorTimerS.join(' / '),
      'kit whole prove (s)': b.kitProveS,
      'kit phases / note': b.kitPhases ?? b.kitNote ?? '',
    })),
  );
}

export function accuracyFrame(g: AccGroup): DataFrame {
  return new DataFrame(
    g.runs.map((r) => {
      const o = r.outcome;
      const ch = o.change?.perplexityOfMeanLoss;
      return {
        config: o.config.name,
        'float PPL': g.float.perplexityOfMeanLoss,
        'quantized PPL': o.perplexity?.perplexityOfMeanLoss ?? null,
        ΔPPL: ch?.delta ?? null,
        'ΔPPL %': ch ? ch.relative * 100 : null,
        'anchor-style ΔPPL': o.change?.meanWindowPerplexity.delta ?? null,
        'attn max err': o.attention?.maxAbsErr ?? null,
        'attn mean err': o.attention?.meanAbsErr ?? null,
        'last-layer rel err': o.layers?.[o.layers.length - 1]?.stateRelRmsErr ?? null,
        note: o.error ?? (o.tlookups.provable ? '' : 'not provable (float steps)'),
      };
    }),
  );
}

export function tradeoffFrame(rows: readonly TradeoffRow[]): DataFrame {
  return new DataFrame(
    rows.map((r) => ({
      config: r.config,
      'tlookups / zkAttn (+ bound)': `${r.tlookupsPerZkAttn} + ${r.boundPerZkAttn}`,
      'tlookups / model': r.tlookupsPerModel,
      ΔPPL: r.deltaPpl,
      'cost / zkAttn (entry-eq.)': r.costPerZkAttn,
      'est. s / zkAttn': r.estSecondsPerZkAttn,
      'est. s / model': r.estSecondsPerModel,
      'zkAttn proof s / head (measured)': r.provenSecondsPerZkAttn,
      note: r.error ?? (r.provable ? '' : 'not provable (float steps)'),
    })),
  );
}
