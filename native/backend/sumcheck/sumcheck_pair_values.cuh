// The per-pair body of a sumcheck round, shared by the CPU loop and the CUDA kernel: for the pair
// (2i, 2i+1) of every tensor, adds Σ_terms coeff·Π_f (lo_f + t·(hi_f − lo_f)) to acc[t], t = 0..degree.
#pragma once
#include "../../proto/sumcheck_terms.h"

constexpr int SUMCHECK_MAX_TENSORS = 8;

ZK_HD void sumcheck_pair_accumulate(const SumcheckTerms& terms, const Fr* lo, const Fr* hi, int ntensors, Fr* acc) {
  const int d = terms.degree;
  Fr vals[SUMCHECK_MAX_TENSORS][SUMCHECK_MAX_FACTORS + 1];
  for (int f = 0; f < ntensors; f++) {
    const Fr diff = hi[f] - lo[f];
    vals[f][0] = lo[f];
    for (int t = 1; t <= d; t++) vals[f][t] = vals[f][t - 1] + diff;
  }
  // Σ_k coeff_k·Π_{f in k} = Π_{f shared}·Σ_k coeff_k·Π_{f in k, not shared} (one occurrence of each
  // shared tensor taken out of every term): the same value with fewer products.
  for (int t = 0; t <= d; t++) {
    Fr total = Fr::zero();
    for (int k = 0; k < terms.count; k++) {
      unsigned out = terms.shared;
      Fr prod = terms.coeff[k];
      for (int j = 0; j < terms.nfactors[k]; j++) {
        const int f = terms.factor[k][j];
        if ((out >> f) & 1u) out &= ~(1u << f);
        else prod = prod * vals[f][t];
      }
      total += prod;
    }
    for (int f = 0; f < ntensors; f++)
      if ((terms.shared >> f) & 1u) total = total * vals[f][t];
    acc[t] += total;
  }
}
