// A few lines of text for the terminal after a sweep or a report: the ceilings, the largest size
// of each op, and the trade-off's answer.
import type { ReportData } from './report-data';

export function summarizeReport(d: ReportData): string {
  const lines: string[] = [];
  for (const c of d.calibrations)
    for (const x of c.calibration) lines.push(`  ceilings (${x.backend}, ${x.device}): Fr mul ${x.frMulGPerSecond.toPrecision(3)} G/s, copy ${x.copyGBPerSecond.toPrecision(3)} GB/s`);
  const largest = new Map<string, (typeof d.prove)[number]>();
  for (const r of d.prove) if ((largest.get(r.op)?.work.elements ?? -1) < r.work.elements) largest.set(r.op, r);
  if (largest.size)
    lines.push(`  prove, largest size of each op: ${[...largest.values()].map((r) => `${r.label} ${(r.proveMs / 1000).toPrecision(3)} s`).join('; ')}`);
  if (d.price) lines.push(`  tlookup prices measured: ${(d.price.perEntry * 1e9).toPrecision(3)} ns/entry, ${(d.price.perTableRow * 1e9).toPrecision(3)} ns/table row`);
  for (const g of d.acc) {
    lines.push(`  accuracy ${g.title}: float PPL ${g.float.perplexityOfMeanLoss.toFixed(3)}, ${g.runs.length} configurations`);
    const f = g.frontier.fewestTlookups;
    const row = f && g.tradeoff.find((r) => r.config === f.config);
    lines.push(
      f
        ? `  fewest tlookups within ΔPPL <= ${d.maxDppl}: ${f.config} (${row ? `${row.tlookupsPerZkAttn}+${row.boundPerZkAttn} per zkAttn, ` : ''}ΔPPL ${f.deltaPpl >= 0 ? '+' : ''}${f.deltaPpl.toFixed(4)}${row?.estSecondsPerZkAttn != null ? `, ~${row.estSecondsPerZkAttn.toPrecision(3)} s of tlookups per zkAttn, estimated from measured prices` : ''})`
        : `  no provable configuration within ΔPPL <= ${d.maxDppl}`,
    );
  }
  if (d.failures.length) lines.push(`  ${d.failures.length} point(s) failed: see the report`);
  return lines.join('\n');
}
