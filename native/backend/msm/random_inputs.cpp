#include "random_inputs.h"
#include <algorithm>
#include "../../platform/cpu_parallel.h"

namespace {
uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
// Uniform in [0, r) by rejection on 255-bit draws.
ScalarRaw draw_scalar(uint64_t& s) {
  for (;;) {
    Fr raw;
    for (int i = 0; i < 4; i++) raw.v[i] = splitmix64(s);
    raw.v[3] &= 0x7fffffffffffffffULL;
    if (raw.raw_less_than_modulus()) return {{raw.v[0], raw.v[1], raw.v[2], raw.v[3]}};
  }
}
}  // namespace

std::vector<ScalarRaw> random_scalars(size_t n, uint64_t seed) {
  std::vector<ScalarRaw> out(n);
  uint64_t s = seed;
  for (auto& k : out) k = draw_scalar(s);
  return out;
}

// Runs of RUN points walk P, P+Q, P+2Q, ... from their own random start and are normalised with
// one batched inversion of their Z coordinates. Runs have a fixed length so the points depend on
// the seed alone, not on the number of threads.
std::vector<G1Affine> random_points(size_t n, uint64_t seed) {
  constexpr size_t RUN = 4096;
  std::vector<G1Affine> out(n);
  uint64_t s = seed ^ 0x5851f42d4c957f2dULL;
  ScalarRaw kq = draw_scalar(s);
  G1Affine q = G1Jacobian::mul_raw(g1_generator(), kq.v, 4).to_affine();
  const size_t runs = (n + RUN - 1) / RUN;
  cpu_parallel_chunks(
      runs,
      [&](size_t rlo, size_t rhi, size_t) {
        std::vector<G1Jacobian> run(RUN);
        std::vector<Fq> prefix(RUN);
        for (size_t r = rlo; r < rhi; r++) {
          const size_t lo = r * RUN, len = std::min(n, lo + RUN) - lo;
          uint64_t rs = seed + 0x632be59bd9b4e019ULL * (r + 1);
          ScalarRaw k0 = draw_scalar(rs);
          G1Jacobian p = G1Jacobian::mul_raw(g1_generator(), k0.v, 4);
          Fq acc = Fq::one();
          for (size_t i = 0; i < len; i++) {
            run[i] = p;
            prefix[i] = acc;
            acc = acc * p.Z;
            p = p.add_mixed(q);
          }
          Fq inv = acc.inv();
          for (size_t i = len; i-- > 0;) {
            Fq zi = inv * prefix[i];
            inv = inv * run[i].Z;
            Fq zi2 = zi.sqr();
            out[lo + i] = {run[i].X * zi2, run[i].Y * zi2 * zi};
          }
        }
      },
      1);
  return out;
}
