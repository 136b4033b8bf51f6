// The unigram baseline the stand-in model is compared with: how well token frequencies alone
// predict held-out text. A trained model that does not beat it by far has learned nothing useful.

export interface UnigramBaseline {
  trainingTokens: number;
  heldOutTokens: number;
  vocabSize: number;
  /** Pseudo-count added to every vocabulary entry (1 = Laplace / add-one smoothing). */
  addK: number;
  perplexity: number;
}

/**
 * Perplexity of a unigram model with add-k smoothing over the whole vocabulary:
 * p(w) = (count(w) + k) / (N + k * V), counts over every training token (BOS included), and
 * perplexity = exp(-mean log p(w)) over every held-out token (BOS included).
 */
export function unigramBaseline(training: ArrayLike<number>, heldOut: ArrayLike<number>, vocabSize: number, addK = 1): UnigramBaseline {
  if (!(addK > 0)) throw new Error(`unigramBaseline: addK must be positive (else unseen tokens get probability 0), got ${addK}`);
  if (heldOut.length === 0) throw new Error("unigramBaseline: no held-out tokens");
  const counts = new Float64Array(vocabSize);
  for (let i = 0; i < training.length; i++) {
    const id = training[i];
    if (!(id >= 0 && id < vocabSize)) throw new Error(`unigramBaseline: training token ${id} at ${i} is outside [0, ${vocabSize})`);
    counts[id]++;
  }
  const denominator = training.length + addK * vocabSize;
  let logSum = 0;
  for (let i = 0; i < heldOut.length; i++) {
    const id = heldOut[i];
    if (!(id >= 0 && id < vocabSize)) throw new Error(`unigramBaseline: held-out token ${id} at ${i} is outside [0, ${vocabSize})`);
    logSum += Math.log((counts[id] + addK) / denominator);
  }
  return {
    trainingTokens: training.length,
    heldOutTokens: heldOut.length,
    vocabSize,
    addK,
    perplexity: Math.exp(-logSum / heldOut.length),
  };
}
