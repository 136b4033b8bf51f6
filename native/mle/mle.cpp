#include "mle.h"
#include <stdexcept>
#include "../platform/cpu_parallel.h"

int mle_vars(size_t n) {
  int k = 0;
  while ((size_t(1) << k) < n) k++;
  return k;
}

std::vector<Fr> eq_table(const std::vector<Fr>& r) {
  std::vector<Fr> t{Fr::one()}, next;
  // Expanding from the last coordinate leaves r_0 on the lowest index bit.
  for (size_t j = r.size(); j-- > 0;) {
    const Fr rj = r[j];
    next.resize(2 * t.size());
    cpu_parallel_chunks(t.size(), [&](size_t lo, size_t hi, size_t) {
      for (size_t i = lo; i < hi; i++) {
        Fr x1 = t[i] * rj;
        next[2 * i + 1] = x1;
        next[2 * i] = t[i] - x1;
      }
    }, 4096);
    t.swap(next);
  }
  return t;
}

Fr eq_eval(const std::vector<Fr>& a, const std::vector<Fr>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("eq_eval: points of different lengths");
  Fr acc = Fr::one();
  for (size_t j = 0; j < a.size(); j++) {
    Fr ab = a[j] * b[j];
    acc *= ab + ab + Fr::one() - a[j] - b[j];
  }
  return acc;
}

Fr mle_evaluate(const Fr* t, size_t n, const std::vector<Fr>& r) {
  if ((r.size() < 64 && (size_t(1) << r.size()) < n))
    throw std::invalid_argument("mle_evaluate: point has too few coordinates for the tensor size");
  if (n == 0) return Fr::zero();
  std::vector<Fr> cur(t, t + n);
  for (size_t j = 0; j < r.size(); j++) {
    if (cur.size() % 2) cur.push_back(Fr::zero());
    mle_fold(cur, r[j]);
  }
  return cur[0];
}

void mle_fold(std::vector<Fr>& t, const Fr& r) {
  if (t.size() % 2) throw std::invalid_argument("mle_fold: odd length");
  const size_t half = t.size() / 2;
  std::vector<Fr> out(half);
  cpu_parallel_chunks(half, [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) out[i] = t[2 * i] + r * (t[2 * i + 1] - t[2 * i]);
  }, 4096);
  t.swap(out);
}

Fr interpolate_at(const std::vector<Fr>& v, const Fr& x) {
  const int d = (int)v.size() - 1;
  Fr acc = Fr::zero();
  for (int i = 0; i <= d; i++) {
    Fr num = Fr::one(), den = Fr::one();
    for (int j = 0; j <= d; j++) {
      if (j == i) continue;
      num *= x - Fr::from_u64(j);
      den *= i > j ? Fr::from_u64(i - j) : Fr::from_u64(j - i).neg();
    }
    acc += v[i] * num * den.inv();
  }
  return acc;
}
