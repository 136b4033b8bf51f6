// The sweep's answer to "what is the cheapest configuration I can prove within a perplexity
// budget": among the provable configurations that ran without error and lose at most maxDeltaPpl
// perplexity against float (exp of the mean loss; a gain counts as within), the one with the fewest
// tlookups per model (ties broken by cost), and the one of lowest modelled cost, which may differ
// (few large tables can cost more than more small ones).

import type { ConfigOutcome } from "./experiment";

export interface FrontierPick {
  config: string;
  tlookupsPerModel: number;
  costPerModel: number;
  costUnit: string;
  deltaPpl: number;
  relativeDeltaPpl: number;
}

export interface Frontier {
  maxDeltaPpl: number;
  /** The perplexity the budget applies to. */
  metric: "perplexityOfMeanLoss";
  /** Configurations within the budget, fewest tlookups first. */
  within: FrontierPick[];
  fewestTlookups: FrontierPick | null;
  cheapest: FrontierPick | null;
  /** Configurations left out, and why. */
  excluded: Array<{ config: string; reason: string }>;
}

export const DEFAULT_MAX_DELTA_PPL = 0.1;

function pick(c: ConfigOutcome): FrontierPick {
  const ch = c.change!.perplexityOfMeanLoss;
  return {
    config: c.config.name,
    tlookupsPerModel: c.tlookups.totals.perModel,
    costPerModel: c.tlookups.totals.costPerModel,
    costUnit: c.tlookups.costModel.unit,
    deltaPpl: ch.delta,
    relativeDeltaPpl: ch.relative,
  };
}

export function findFrontier(configs: readonly ConfigOutcome[], maxDeltaPpl = DEFAULT_MAX_DELTA_PPL): Frontier {
  if (!(maxDeltaPpl >= 0) || !Number.isFinite(maxDeltaPpl)) throw new Error(`max ΔPPL must be a number >= 0, got ${maxDeltaPpl}`);
  const within: FrontierPick[] = [];
  const excluded: Frontier["excluded"] = [];
  for (const c of configs) {
    const name = c.config.name;
    if (c.error !== undefined || !c.change) excluded.push({ config: name, reason: `failed: ${c.error ?? "no result"}` });
    else if (!c.tlookups.provable) excluded.push({ config: name, reason: "not provable (float steps)" });
    else if (!(c.change.perplexityOfMeanLoss.delta <= maxDeltaPpl))
      excluded.push({ config: name, reason: `ΔPPL ${c.change.perplexityOfMeanLoss.delta.toFixed(4)} > ${maxDeltaPpl}` });
    else within.push(pick(c));
  }
  within.sort((a, b) => a.tlookupsPerModel - b.tlookupsPerModel || a.costPerModel - b.costPerModel || a.config.localeCompare(b.config));
  const cheapest = within.reduce<FrontierPick | null>((best, p) => (best === null || p.costPerModel < best.costPerModel ? p : best), null);
  return { maxDeltaPpl, metric: "perplexityOfMeanLoss", within, fewestTlookups: within[0] ?? null, cheapest, excluded };
}

export function describeFrontier(f: Frontier): string {
  const show = (p: FrontierPick) =>
    `${p.config} (${p.tlookupsPerModel} tlookups per model, cost ${p.costPerModel.toExponential(3)} ${p.costUnit}, ΔPPL ${p.deltaPpl >= 0 ? "+" : ""}${p.deltaPpl.toFixed(4)})`;
  if (f.fewestTlookups === null) return `within ΔPPL <= ${f.maxDeltaPpl}: no provable configuration`;
  const lines = [`within ΔPPL <= ${f.maxDeltaPpl}: fewest tlookups ${show(f.fewestTlookups)}`];
  if (f.cheapest && f.cheapest.config !== f.fewestTlookups.config) lines.push(`  lowest cost ${show(f.cheapest)}`);
  return lines.join("\n");
}
