// A zkattn result as text for a terminal, and as Markdown (the zkAttn section of BENCHMARKS.md from
// saved --json results): the whole model's zkAttn beside the anchor's formula on the same card.
import { formatMs } from '../benchmark/format-table';
import { formatBytes } from '../memory';
import type { PhaseGroups } from './phase-groups';
import type { ZkattnResult } from './run-zkattn';

const secs = (s: number) => formatMs(1000 * s);
const kib = (b: number) => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);

function groupLine(g: PhaseGroups): string {
  const parts = [`matmuls ${formatMs(g.matmuls)}`, ...Object.entries(g.tlookups).map(([k, v]) => `tlookup ${k} ${formatMs(v)}`), `products ${formatMs(g.products)}`, `openings ${formatMs(g.openings)}`];
  for (const [k, v] of Object.entries(g.other)) parts.push(`${k} ${formatMs(v)}`);
  return parts.join(', ');
}

/** What the anchor's formula gives, with its range over the anchor's runs. */
export function formulaText(r: ZkattnResult): string {
  const f = r.anchorFormula;
  const m = f.mean;
  return `${secs(m.totalS)} (${secs(f.low.totalS)} to ${secs(f.high.totalS)} over its runs) = ${f.tlookups} tlookups ${secs(m.tlookupsS)} + Hadamard ${secs(m.hadamardS)} + openings ${secs(m.openingsS)}`;
}

export function formatZkattnResult(r: ZkattnResult): string {
  const out: string[] = [];
  const row = (k: string, v: string) => out.push(`  ${k.padEnd(22)} ${v}`);
  const p = r.params;
  out.push(`zkllm zkattn: ${r.model.name} (${r.model.layers} layers × ${r.model.heads} heads, head dim ${r.model.headDim}), '${r.config.name}', seq ${p.seqLen}`);
  row('device', `${r.device.name} [${r.device.backend}]`);
  row('commit', r.gitCommit);
  row('command', r.command);
  row('configuration', `${r.config.tlookupsPerZkAttn} tlookups per zkAttn + ${r.config.rowShiftBoundPerZkAttn} row-sum bound = ${r.config.lookupsPerProof} per proof (the prover ran ${r.lookupCheck.reported}${r.lookupCheck.equal ? ', equal' : ''})`);
  row('witness', `${p.witness}${r.window ? `: ${r.window.source}, window ${r.window.index} (${r.window.tokens} tokens; forward ${formatMs(r.window.forwardMs)})` : `, seed ${p.seed}`}`);
  row('proofs', `${r.measured.proofs} of up to ${p.headsPerProof} heads (${p.headsPerProofLimitedBy}); ${r.measured.heads} heads${p.commit ? `; committed, rows of ${p.genDim}` : ''}`);
  row('verify', `${r.verify.allValid ? 'every proof valid' : `INVALID: ${r.proofs.filter((x) => !x.verify.valid).map((x) => `proof ${x.index}: ${x.verify.reason}`).join('; ')}`}, ${formatMs(r.verify.ms)}`);
  out.push('');
  row('per head', `${formatMs(r.perHead.proofMs)} proof (wall ${formatMs(r.perHead.wallMs)}), commitments ${formatMs(r.perHead.commitmentsMs)}, verify ${formatMs(r.perHead.verifyMs)}, ${kib(r.perHead.proofBytes)}`);
  row('  by group', groupLine(r.perHead.groups));
  for (const l of r.perLayer.measured) row(`layer ${l.layer} (${l.heads} heads)`, `${formatMs(l.proofMs)} proof, commitments ${formatMs(l.commitmentsMs)}, verify ${formatMs(l.verifyMs)}, ${kib(l.proofBytes)}`);
  const wl = r.perLayer.wholeLayer;
  row(`a layer (${wl.heads} heads)`, `${formatMs(wl.proofMs)} proof${wl.extrapolated ? ' (extrapolated)' : ''}, commitments ${formatMs(wl.commitmentsMs)}`);
  const wm = r.wholeModel;
  row(`whole model (${wm.zkAttns})`, `${formatMs(wm.proofMs)} zkAttn proving${wm.extrapolated ? ` (extrapolated: ${wm.basis})` : ''}; commitments ${formatMs(wm.commitmentsMs)} apart; verify ${formatMs(wm.verifyMs)}; proofs ${kib(wm.proofBytes)}`);
  row("anchor's formula", formulaText(r));
  row('', `(${r.anchorFormula.formula}; ${r.anchorFormula.device} timers, ${r.anchorFormula.source})`);
  out.push('', `  memory: about ${formatBytes(r.memory.estimatedBytes)} per proof estimated, ${formatBytes(r.memory.availableBytes)} available (${r.memory.source})`);
  for (const n of [...r.notes, ...r.anchorFormula.notes]) out.push(`  note: ${n}`);
  return out.join('\n');
}

/** A saved result, checked enough to render (throws naming the file otherwise). */
export function readZkattnResults(text: string, file: string): ZkattnResult[] {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const xs = Array.isArray(j) ? j : [j];
  xs.forEach((x, i) => {
    const r = x as Partial<ZkattnResult> | null;
    if (!r || r.kind !== 'zkllm-zkattn' || r.version !== 1 || !r.wholeModel || !r.anchorFormula) throw new Error(`${file}${xs.length > 1 ? ` [${i}]` : ''}: not a zkllm zkattn --json result`);
  });
  return xs as ZkattnResult[];
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** The zkAttn section of BENCHMARKS.md: one row per result, the anchor's formula on the same row. */
export function renderZkattnMarkdown(results: ZkattnResult[], sources: string[]): string {
  const out = [
    '## zkAttn: a model\'s attention proven under a quantization configuration',
    '',
    `Generated by \`zkllm zkattn --markdown ${sources.join(' ')}\` from saved \`zkllm zkattn --json\` results.`,
    '',
    '| model | configuration | tlookups (+ bound) | seq | heads proven | device | zkAttn proving, whole model | commitments | verify | proofs | anchor\'s formula (its H200 timers) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const wm = r.wholeModel;
    out.push(
      `| ${[
        `${r.model.name} (${r.model.layers} × ${r.model.heads})`,
        r.config.name,
        `${r.config.tlookupsPerZkAttn} (+${r.config.rowShiftBoundPerZkAttn})`,
        String(r.params.seqLen),
        `${wm.sample.heads} of ${wm.zkAttns}${wm.extrapolated ? ' (extrapolated)' : ''}`,
        r.device.name,
        formatMs(wm.proofMs),
        formatMs(wm.commitmentsMs),
        `${formatMs(wm.verifyMs)} ${r.verify.allValid ? '✓' : '✗ INVALID'}`,
        kib(wm.proofBytes),
        formulaText(r),
      ]
        .map(esc)
        .join(' | ')} |`,
    );
  }
  out.push('', 'Per head, by phase group, and commands:', '');
  for (const r of results) {
    out.push(`- ${r.model.name}, ${r.config.name}, seq ${r.params.seqLen} (commit ${r.gitCommit.slice(0, 12)}, ${r.date.slice(0, 10)}): per head ${formatMs(r.perHead.proofMs)}: ${groupLine(r.perHead.groups)}. \`${r.command} --json\``);
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  return out.join('\n') + '\n';
}
