// Perplexity metrics. The anchor (reference §7) averages per-window perplexities; the usual
// definition exponentiates the mean loss. Both are reported, since they differ by Jensen's gap.

export function meanOf(values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error("mean of an empty list");
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/**
 * Cross-entropy (nats) of predicting tokens[t + 1] from logits row t, for t = 0 .. T-2,
 * computed with a max-shifted log-sum-exp.
 */
export function nextTokenLosses(logits: ArrayLike<number>, tokens: ArrayLike<number>, vocabSize: number): Float64Array {
  const T = tokens.length;
  if (T < 2) throw new Error(`nextTokenLosses: a window needs at least 2 tokens, got ${T}`);
  if (logits.length !== T * vocabSize) {
    throw new Error(`nextTokenLosses: ${logits.length} logits do not match ${T} positions x ${vocabSize} vocabulary entries`);
  }
  const out = new Float64Array(T - 1);
  for (let t = 0; t < T - 1; t++) {
    const row = t * vocabSize;
    let max = -Infinity;
    for (let v = 0; v < vocabSize; v++) if (logits[row + v] > max) max = logits[row + v];
    let z = 0;
    for (let v = 0; v < vocabSize; v++) z += Math.exp(logits[row + v] - max);
    const target = tokens[t + 1];
    if (!Number.isInteger(target) || target < 0 || target >= vocabSize) {
      throw new Error(`nextTokenLosses: target token ${target} at position ${t + 1} is outside [0, ${vocabSize})`);
    }
    out[t] = Math.log(z) + max - logits[row + target];
  }
  return out;
}

export interface PerplexitySummary {
  windows: number;
  /**
   * Mean loss (nats) over every scored prediction: the mean of the windows' mean losses, weighted
   * by how many predictions each window scores (equal weights when all score the same number).
   */
  meanLoss: number;
  /** exp(meanLoss). */
  perplexityOfMeanLoss: number;
  /** Mean over windows of exp(window loss): what the anchor prints. */
  meanWindowPerplexity: number;
  windowPerplexities: number[];
}

/** windowLosses[i] is window i's mean loss; scoredCounts[i] (default: all equal) how many predictions it averages. */
export function summarizeWindowLosses(windowLosses: readonly number[], scoredCounts?: readonly number[]): PerplexitySummary {
  if (windowLosses.length === 0) throw new Error("summarizeWindowLosses: no windows");
  for (const l of windowLosses) {
    if (!Number.isFinite(l)) throw new Error(`summarizeWindowLosses: non-finite window loss ${l}`);
  }
  if (scoredCounts !== undefined && (scoredCounts.length !== windowLosses.length || scoredCounts.some((n) => !(n > 0))))
    throw new Error("summarizeWindowLosses: one positive scored count per window is needed");
  const windowPerplexities = windowLosses.map((l) => Math.exp(l));
  let meanLoss = meanOf(windowLosses);
  // Equal counts keep the plain mean (bit for bit what unweighted callers get).
  if (scoredCounts !== undefined && scoredCounts.some((n) => n !== scoredCounts[0])) {
    const total = scoredCounts.reduce((a, n) => a + n, 0);
    meanLoss = windowLosses.reduce((a, l, i) => a + l * scoredCounts[i], 0) / total;
  }
  return {
    windows: windowLosses.length,
    meanLoss,
    perplexityOfMeanLoss: Math.exp(meanLoss),
    meanWindowPerplexity: meanOf(windowPerplexities),
    windowPerplexities,
  };
}
