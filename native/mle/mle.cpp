#include "mle.h"
#include <algorithm>
#include <stdexcept>
#include "../platform/cpu_parallel.h"

int mle_vars(size_t n) {
  int k = 0;
  while ((size_t(1) << k) < n) k++;
  return k;
}

namespace {
std::vector<Fr> eq_table_serial(const Fr* r, size_t k) {
  std::vector<Fr> t{Fr::one()}, next;
  // Expanding from the last coordinate leaves r_0 on the lowest index bit.
  for (size_t j = k; j-- > 0;) {
    const Fr rj = r[j];
    next.resize(2 * t.size());
    for (size_t i = 0; i < t.size(); i++) {
      Fr x1 = t[i] * rj;
      next[2 * i + 1] = x1;
      next[2 * i] = t[i] - x1;
    }
    t.swap(next);
  }
  return t;
}
}  // namespace

std::vector<Fr> eq_table(const std::vector<Fr>& r) {
  // eq(r, x) = eq(r_lo, x_lo)·eq(r_hi, x_hi): two small tables made serially, then their product in
  // one parallel pass (a fork per level cost more than its products for the tables openings use).
  const size_t k = r.size();
  if (k < 12) return eq_table_serial(r.data(), k);
  const size_t lo_bits = k / 2;
  const std::vector<Fr> lo = eq_table_serial(r.data(), lo_bits), hi = eq_table_serial(r.data() + lo_bits, k - lo_bits);
  std::vector<Fr> t(size_t(1) << k);
  cpu_parallel_chunks(hi.size(), [&](size_t h0, size_t h1, size_t) {
    for (size_t h = h0; h < h1; h++)
      for (size_t l = 0; l < lo.size(); l++) t[(h << lo_bits) | l] = hi[h] * lo[l];
  }, std::max<size_t>(1, 4096 / lo.size()));  // a fork costs about as much as 4096 products
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

Fr weighted_sum(const std::vector<Fr>& w, const std::vector<Fr>& t) {
  if (w.size() != t.size()) throw std::invalid_argument("weighted_sum: tensors of different lengths");
  const size_t chunks = 64, n = w.size(), step = (n + chunks - 1) / chunks;
  std::vector<Fr> part(chunks, Fr::zero());
  cpu_parallel_chunks(chunks, [&](size_t lo, size_t hi, size_t) {
    for (size_t c = lo; c < hi; c++)
      for (size_t i = c * step; i < std::min(n, (c + 1) * step); i++) part[c] += w[i] * t[i];
  }, 1);
  Fr acc = Fr::zero();
  for (const auto& x : part) acc += x;
  return acc;
}

std::vector<Fr> fold_middle(const std::vector<Fr>& t, size_t outer, size_t I, size_t J, const std::vector<Fr>& w) {
  std::vector<Fr> out(outer * J, Fr::zero());
  // Rows are read whole (contiguous), each task a block of one outer index's columns.
  const size_t block = std::min<size_t>(J, 256), blocks = (J + block - 1) / block;
  cpu_parallel_chunks(outer * blocks, [&](size_t lo, size_t hi, size_t) {
    for (size_t task = lo; task < hi; task++) {
      const size_t o = task / blocks, j0 = (task % blocks) * block, j1 = std::min(J, j0 + block);
      Fr* acc = out.data() + o * J;
      for (size_t i = 0; i < I; i++) {
        const Fr wi = w[i];
        const Fr* row = t.data() + (o * I + i) * J;
        for (size_t j = j0; j < j1; j++) acc[j] += wi * row[j];
      }
    }
  }, 1);
  return out;
}

std::vector<Fr> fold_inner(const std::vector<Fr>& t, size_t rows, size_t J, const std::vector<Fr>& w) {
  std::vector<Fr> out(rows, Fr::zero());
  cpu_parallel_chunks(rows, [&](size_t lo, size_t hi, size_t) {
    for (size_t r = lo; r < hi; r++) {
      Fr acc = Fr::zero();
      for (size_t j = 0; j < J; j++) acc += w[j] * t[r * J + j];
      out[r] = acc;
    }
  });
  return out;
}

std::vector<Fr> repeat_each(const std::vector<Fr>& values, size_t inner) {
  std::vector<Fr> out(values.size() * inner);
  cpu_parallel_chunks(out.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t x = lo; x < hi; x++) out[x] = values[x / inner];
  });
  return out;
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
