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

// The same sum for NT tensors and degree D known at compile time, the term table given as counts:
// every value stays in registers (the runtime-sized form above indexes an 8 × 5 array of field
// elements by tensor, which a GPU keeps in local memory). Field products are exact, so the order of
// the factors does not change the value.
struct FactorCounts {
  int count = 0;
  Fr coeff[SUMCHECK_MAX_TERMS];
  unsigned char n[SUMCHECK_MAX_TERMS][SUMCHECK_MAX_TENSORS];  // term k's factors of tensor f, shared ones taken out
  unsigned char shared[SUMCHECK_MAX_TENSORS];                 // once per point

  static FactorCounts of(const SumcheckTerms& t) {
    FactorCounts c;
    c.count = t.count;
    for (int k = 0; k < t.count; k++) {
      c.coeff[k] = t.coeff[k];
      for (int f = 0; f < SUMCHECK_MAX_TENSORS; f++) c.n[k][f] = 0;
      unsigned out = t.shared;
      for (int j = 0; j < t.nfactors[k]; j++) {
        const int f = t.factor[k][j];
        if ((out >> f) & 1u) out &= ~(1u << f);
        else c.n[k][f]++;
      }
    }
    for (int f = 0; f < SUMCHECK_MAX_TENSORS; f++) c.shared[f] = (t.shared >> f) & 1u;
    return c;
  }
};

template <int NT, int D>
ZK_HD void sumcheck_pair_accumulate_fixed(const FactorCounts& c, const Fr* lo, const Fr* hi, Fr* acc) {
  // each tensor's value at t and its step: 2·NT field elements live at once, not NT·(D + 1)
  Fr cur[NT], step[NT];
  ZK_UNROLL
  for (int f = 0; f < NT; f++) cur[f] = lo[f], step[f] = hi[f] - lo[f];
  ZK_UNROLL
  for (int t = 0; t <= D; t++) {
    Fr total = Fr::zero();
    for (int k = 0; k < c.count; k++) {
      Fr prod = c.coeff[k];
      ZK_UNROLL
      for (int f = 0; f < NT; f++)
        for (int j = 0; j < c.n[k][f]; j++) prod = prod * cur[f];
      total += prod;
    }
    ZK_UNROLL
    for (int f = 0; f < NT; f++)
      if (c.shared[f]) total = total * cur[f];
    acc[t] += total;
    if (t < D) {
      ZK_UNROLL
      for (int f = 0; f < NT; f++) cur[f] += step[f];
    }
  }
}
