#include "pedersen.h"
#include <algorithm>
#include <chrono>
#include <stdexcept>
#include "../backend/commit/commit_kernels.h"
#include "../platform/cpu_parallel.h"
#include "../backend/msm/msm_rows.h"
#include "../curve/g1_batch_affine.h"
#include "../witness/witness.h"
#include <atomic>
#include <climits>

namespace {

int bit_length(uint64_t x) { return x ? 64 - __builtin_clzll(x) : 0; }

int max_bits(const int32_t* v, size_t n) {
  std::vector<uint32_t> part(cpu::thread_count(), 0);
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t t) {
    uint32_t m = 0;
    for (size_t i = lo; i < hi; i++) m |= v[i] < 0 ? 0u - (uint32_t)v[i] : (uint32_t)v[i];
    part[t] = m;
  });
  uint32_t m = 0;
  for (uint32_t p : part) m |= p;
  return bit_length(m);
}

int max_bits(const ScalarRaw* v, size_t n) {
  std::vector<int> part(cpu::thread_count(), 0);
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t t) {
    uint64_t m[4] = {0, 0, 0, 0};
    for (size_t i = lo; i < hi; i++)
      for (int k = 0; k < 4; k++) m[k] |= v[i].v[k];
    int b = 0;
    for (int k = 3; k >= 0 && !b; k--)
      if (m[k]) b = 64 * k + bit_length(m[k]);
    part[t] = b;
  });
  return *std::max_element(part.begin(), part.end());
}

std::vector<G1Affine> commit(Backend b, const PedersenGenerators& gens, const MsmRowsScalars& s, size_t n,
                             std::chrono::steady_clock::time_point t0, PedersenTiming* timing) {
  const size_t w = gens.g.size(), rows = (n + w - 1) / w;
  std::vector<G1Jacobian> jac(rows);
  MsmTiming mt;
  commit_rows(b, gens, s, n, jac.data(), &mt);
  std::vector<G1Affine> out(rows);
  g1_batch_to_affine(jac.data(), out.data(), rows);
  if (timing) {
    timing->msm_ms = mt.total_ms;
    timing->total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  return out;
}

void check_shape(const PedersenGenerators& gens, size_t n) {
  if (n == 0) throw std::invalid_argument("cannot commit to an empty tensor");
  if (gens.g.empty()) throw std::invalid_argument("no generators");
}

}  // namespace

std::vector<G1Affine> pedersen_commit_rows(Backend b, const PedersenGenerators& gens, const int32_t* values, size_t n,
                                           PedersenTiming* timing) {
  const auto t0 = std::chrono::steady_clock::now();
  check_shape(gens, n);
  MsmRowsScalars s;
  s.ints = values;
  s.bits = max_bits(values, n);
  return commit(b, gens, s, n, t0, timing);
}

std::vector<G1Affine> pedersen_commit_rows(Backend b, const PedersenGenerators& gens, const ScalarRaw* values,
                                           size_t n, PedersenTiming* timing) {
  const auto t0 = std::chrono::steady_clock::now();
  check_shape(gens, n);
  MsmRowsScalars s;
  s.raw = values;
  s.bits = max_bits(values, n);
  return commit(b, gens, s, n, t0, timing);
}

std::vector<G1Affine> pedersen_commit_rows(Backend b, const PedersenGenerators& gens, const Fr* values, size_t n,
                                           PedersenTiming* timing) {
  const auto t0 = std::chrono::steady_clock::now();
  check_shape(gens, n);
  // Small signed integers held as field elements (a negative n is p − |n|, 255 bits wide) take the
  // int32 path: a few windows instead of all of them, and the same commitment.
  std::vector<int32_t> ints(n);
  std::atomic<bool> small{true};
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi && small.load(std::memory_order_relaxed); i++) {
      uint64_t j;
      if (fr_offset_in_range(values[i], INT32_MIN, uint64_t(1) << 32, &j)) ints[i] = (int32_t)((int64_t)j + INT32_MIN);
      else small.store(false, std::memory_order_relaxed);
    }
  });
  if (small.load()) return pedersen_commit_rows(b, gens, ints.data(), n, timing);
  ints = {};
  std::vector<ScalarRaw> raw(n);
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) raw[i] = scalar_raw(values[i]);
  });
  MsmRowsScalars s;
  s.raw = raw.data();
  s.bits = max_bits(raw.data(), n);
  return commit(b, gens, s, n, t0, timing);
}
