// The experiment's result as a plain-text table: one row per configuration, then the frontier.

import type { ExperimentResult } from "./experiment";
import { describeFrontier } from "./frontier";

/** A plain-text table of the result: one row per config. */
export function formatExperiment(r: ExperimentResult): string {
  const lines: string[] = [];
  const w = r.data.windowing;
  const how = w ? `${w.mode}${w.stride !== undefined ? ` stride ${w.stride}` : ""}${w.seed !== undefined ? ` seed ${w.seed}` : ""}, BOS per ${w.bos === "once" ? "text" : w.bos}, ` : "";
  lines.push(`model ${r.model.dir} (${r.model.layers} layers, hidden ${r.model.hiddenSize}), ${r.data.source}, ${r.data.windows} windows of ${r.data.seqLen} (${how}${r.data.scoredTokens} scored predictions), ${r.device}`);
  lines.push(`float: perplexity ${r.float.perplexityOfMeanLoss.toFixed(3)} (exp mean loss), ${r.float.meanWindowPerplexity.toFixed(3)} (mean of window perplexities, the anchor's)`);
  const head = ["config", "tlookups/zkAttn", "tlookups/layer", `cost/model (${r.configs[0]?.tlookups.costModel.unit ?? ""})`, "ppl", "d ppl", "d ppl %", "anchor ppl", "d anchor", "attn max err", "attn mean err", "row-sum dev", "last-layer rel err"];
  const rows = r.configs.map((c) => {
    const t = c.tlookups.totals;
    const zk = `${t.perZkAttn}+${t.rowShiftBoundPerZkAttn}` + (c.tlookups.provable ? "" : "*");
    const cost = t.costPerModel.toExponential(3);
    if (c.error !== undefined || !c.perplexity || !c.change || !c.attention || !c.layers)
      return [c.config.name, zk, String(t.perLayer), cost, "error", c.error ?? "", "", "", "", "", "", "", ""];
    const last = c.layers[c.layers.length - 1];
    return [
      c.config.name,
      zk,
      String(t.perLayer),
      cost,
      c.perplexity.perplexityOfMeanLoss.toFixed(3),
      (c.change.perplexityOfMeanLoss.delta >= 0 ? "+" : "") + c.change.perplexityOfMeanLoss.delta.toFixed(3),
      (c.change.perplexityOfMeanLoss.relative * 100).toFixed(3),
      c.perplexity.meanWindowPerplexity.toFixed(3),
      (c.change.meanWindowPerplexity.delta >= 0 ? "+" : "") + c.change.meanWindowPerplexity.delta.toFixed(3),
      c.attention.maxAbsErr.toExponential(2),
      c.attention.meanAbsErr.toExponential(2),
      c.attention.rowSumMaxDev.toExponential(2),
      last.stateRelRmsErr.toExponential(2),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((x, i) => x.padEnd(widths[i])).join("  ");
  lines.push(fmt(head), ...rows.map(fmt));
  lines.push("tlookups/zkAttn: the zkAttn's own + the row-sum bound check; tlookups/layer includes every head's; cost: tlookup-cost.ts");
  if (r.configs.some((c) => !c.tlookups.provable)) lines.push("* not every nonlinear step is a table lookup (float exp/rsqrt/SiLU): not provable as is");
  if (r.configs.length > 1) lines.push(describeFrontier(r.frontier));
  return lines.join("\n");
}
