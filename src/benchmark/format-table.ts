// A benchmark result as readable text for a terminal: the figures, the phases, the roofline.
import type { BenchResult } from './run-bench';
import { formatBytes } from './host-memory';

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms >= 10_000) return `${(ms / 1e3).toFixed(1)} s`;
  if (ms >= 1_000) return `${(ms / 1e3).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export const formatCount = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n));
export const formatFraction = (x: number | null) => (x === null ? '—' : x >= 0.1 ? `${(100 * x).toFixed(0)}%` : `${(100 * x).toPrecision(2)}%`);

export function formatBenchResult(r: BenchResult): string {
  const out: string[] = [];
  const row = (k: string, v: string) => out.push(`  ${k.padEnd(20)} ${v}`);
  const a = r.anchorComparable;
  out.push(`zkllm bench ${r.op} ${r.anchorArguments} (kit op '${r.kitOp}'${r.params.commit ? `, commit mode, rows of ${r.params.genDim}` : ''}, seed ${r.params.seed})`);
  row('device', `${r.device.name} [${r.device.backend}]`);
  row('commit', r.gitCommit);
  row('repeats', `${r.repeats.length} of ${r.params.repeat}${r.interrupted ? ' (interrupted)' : ''}; medians over ${r.medianOver}`);
  out.push('');
  let anchorText = formatMs(a.ms);
  if (a.anchor) anchorText += `   anchor (${a.anchor.device}, its timer): ${a.anchor.runsS.map((s) => `${s.toFixed(3)} s`).join(' / ')}${a.ratio !== null ? `, kit/anchor ${a.ratio.toFixed(2)}×` : ''}`;
  row('anchor-comparable', `${anchorText}   [${a.phases.join(' + ')}]`);
  row('complete', `${formatMs(r.complete.ms)}   [${r.complete.phases.join(' + ') || 'none'}]`);
  row('commitments', `${formatMs(r.commitments.ms)}   [${r.commitments.phases.join(' + ') || 'no commit phase'}]`);
  row('witness', `${formatMs(r.witness.ms)}   [${r.witness.phases.join(' + ')}] (not in any figure)`);
  row('verify', r.verify ? `${formatMs(r.verify.ms)}, ${r.verify.valid ? 'valid' : `INVALID: ${r.verify.reason}`}` : 'not run');
  row('proof size', r.proofBytes === null ? '—' : `${r.proofBytes} bytes`);
  out.push('', '  phases (median ms):');
  for (const [name, ms] of Object.entries(r.phasesMs)) {
    const role = r.repeats[r.repeats.length - 1]?.phases.find((p) => p.name === name)?.role ?? 'proof';
    out.push(`    ${name.padEnd(28)} ${formatMs(ms).padStart(10)}  ${role}`);
  }
  const c = r.roofline.ceilings;
  out.push('', `  roofline (${c.backend}: Fr mul ${(c.frMulPerSecond / 1e9).toFixed(3)} G/s, copy ${(c.copyBytesPerSecond / 1e9).toFixed(1)} GB/s, measured by calibrate()):`);
  for (const [name, f] of [['complete', r.roofline.complete], ['anchor-comparable', r.roofline.anchorComparable]] as const)
    out.push(`    ${name.padEnd(18)} ${formatBytes(f.bytes)} moved, ${formatCount(f.frMuls)} Fr products: floor ${formatMs(f.floorMs)} (${f.boundBy}), measured ${formatMs(f.measuredMs)}, achieved ${formatFraction(f.achieved)}`);
  out.push('', `  memory: about ${formatBytes(r.memory.estimatedBytes)} estimated, ${formatBytes(r.memory.availableBytes)} available (${r.memory.source})`);
  out.push(`  note: ${a.note}`);
  for (const n of r.notes) out.push(`  note: ${n}`);
  return out.join('\n');
}
