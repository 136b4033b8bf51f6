// The polynomial a sumcheck runs over: Σ_t coeff_t · Π_{f in factors_t} P_f(x), where the P_f are
// multilinear tensors of equal power-of-two length. A plain struct so it can be passed to GPU
// kernels by value.
#pragma once
#include <stdexcept>
#include <vector>
#include "../field/field.cuh"

constexpr int SUMCHECK_MAX_TERMS = 8;
constexpr int SUMCHECK_MAX_FACTORS = 4;  // so round messages have degree <= 4

struct SumcheckTerms {
  int count = 0;
  int degree = 0;
  Fr coeff[SUMCHECK_MAX_TERMS];
  int nfactors[SUMCHECK_MAX_TERMS];
  int factor[SUMCHECK_MAX_TERMS][SUMCHECK_MAX_FACTORS];
  // Tensors that are a factor of every term (bit f for tensor f): a round multiplies them once per
  // point instead of once per term (zkattn's terms all carry eq and the causal mask).
  unsigned shared = 0;

  void add(const Fr& c, std::initializer_list<int> fs) {
    if (count == SUMCHECK_MAX_TERMS || fs.size() == 0 || fs.size() > SUMCHECK_MAX_FACTORS)
      throw std::logic_error("sumcheck term table overflow");
    coeff[count] = c;
    nfactors[count] = (int)fs.size();
    int k = 0;
    unsigned mask = 0;
    for (int f : fs) {
      if (f < 0 || f >= 32) throw std::logic_error("sumcheck term: tensor index out of range");
      factor[count][k++] = f;
      mask |= 1u << f;
    }
    shared = count == 0 ? mask : shared & mask;
    if ((int)fs.size() > degree) degree = (int)fs.size();
    count++;
  }
};
