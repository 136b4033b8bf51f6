// Split-eq sumcheck rounds (Gruen; Dao–Thaler), shared by the CPU and CUDA engines.
//
// For Σ_x eq(w, x)·P(x), round j (variables 0..j-1 bound to r_0..r_{j-1}) factors as
//   g_j(t) = C_j · eq(w_j, t) · Σ_{x'} E_j[x'] · P(r, t, x'),   C_j = Π_{i<j} eq(w_i, r_i),
// with E_j the eq table of (w_{j+1}, ..., w_{n-1}) (half the current length, and each next one is
// the pair sums of the last: eq(w, 0) + eq(w, 1) = 1). So the eq tensor is never formed or folded,
// and the sum left has one degree less. The engine still returns g_j at t = 0..degree, the same
// field values the full table gives (the arithmetic is exact), so the proof bytes do not change.
//
// A shape is a term table known at compile time (the coefficients stay runtime): its pair body adds
// each group's raw sum (without the coefficient, C_j or eq(w_j, t)) at t = 0..npts-1; the host
// extrapolates every group to t = 0..degree and applies those factors once per round.
#pragma once
#include <vector>
#include "../../mle/mle.h"
#include "../../proto/sumcheck_terms.h"

enum class SplitEqShape { None, Triple, Lookup };

// Non-eq tensors of a shape, in order: 0 = the factor after eq in every eq term, 1 = the other.
// eq·a·b (Hadamard, inner products): one group, degree 2.
struct TripleShape {
  static constexpr int NT = 2, NACC = 3;
  ZK_HD static void pair(const Fr* lo, const Fr* hi, const Fr& e, const Fr&, Fr* acc) {
    // e·a(t) is linear in t: two products give it at t = 0, 1, 2
    const Fr ea0 = e * lo[0], ea1 = e * hi[0], ea2 = ea1 + ea1 - ea0;
    const Fr b2 = hi[1] + hi[1] - lo[1];
    acc[0] += ea0 * lo[1];
    acc[1] += ea1 * hi[1];
    acc[2] += ea2 * b2;
  }
};

// α·eq·A·S + αβ·eq·A + A (the lookup's values sumcheck) = α·eq·A·(S + β) + A: groups eq·A·(S + k)
// with k = β (3 points, coefficient α) and A (2 points).
struct LookupShape {
  static constexpr int NT = 2, NACC = 5;
  ZK_HD static void pair(const Fr* lo, const Fr* hi, const Fr& e, const Fr& k, Fr* acc) {
    const Fr ea0 = e * lo[0], ea1 = e * hi[0], ea2 = ea1 + ea1 - ea0;
    const Fr s0 = lo[1] + k, s1 = hi[1] + k, s2 = s1 + s1 - s0;
    acc[0] += ea0 * s0;
    acc[1] += ea1 * s1;
    acc[2] += ea2 * s2;
    acc[3] += lo[0];
    acc[4] += hi[0];
  }
};

struct SplitEqGroup {
  int term, npts;
  bool eq;
};

inline std::vector<SplitEqGroup> split_eq_groups(SplitEqShape s) {
  if (s == SplitEqShape::Triple) return {{0, 3, true}};
  if (s == SplitEqShape::Lookup) return {{0, 3, true}, {2, 2, false}};
  return {};
}

inline int split_eq_nacc(SplitEqShape s) {
  return s == SplitEqShape::Triple ? TripleShape::NACC : s == SplitEqShape::Lookup ? LookupShape::NACC : 0;
}

// Which shape a term table over {eq, t1, t2} is (tensor 0 the eq table), if any.
inline SplitEqShape split_eq_shape(const SumcheckTerms& t) {
  auto is = [&](int k, std::initializer_list<int> fs) {
    if (t.nfactors[k] != (int)fs.size()) return false;
    int j = 0;
    for (int f : fs)
      if (t.factor[k][j++] != f) return false;
    return true;
  };
  if (t.count == 1 && t.degree == 3 && is(0, {0, 1, 2})) return SplitEqShape::Triple;
  if (t.count == 3 && t.degree == 3 && is(0, {0, 1, 2}) && is(1, {0, 1}) && is(2, {1}) && !t.coeff[0].is_zero())
    return SplitEqShape::Lookup;
  return SplitEqShape::None;
}

// The shape's constant k: the lookup's β = coeff_1 / coeff_0 (so that coeff_0·(S + k) covers both eq terms).
inline Fr split_eq_constant(SplitEqShape s, const SumcheckTerms& t) {
  return s == SplitEqShape::Lookup ? t.coeff[1] * t.coeff[0].inv() : Fr::zero();
}

// Host side (plain host functions, also in a .cu file).

// eq(w, t) = (1 - w)(1 - t) + w·t.
inline Fr eq1(const Fr& w, const Fr& t) { return (Fr::one() - w) * (Fr::one() - t) + w * t; }

// The running scalars of a split-eq sumcheck: the point, the bound prefix's eq factor C_j, the round.
struct SplitEqScalars {
  std::vector<Fr> w;
  Fr c = Fr::one();
  size_t j = 0;
  void bind(const Fr& r) { c *= eq1(w.at(j), r), j++; }
};

// g_j(0..degree) from the groups' raw sums (all pairs added), in the shape's accumulator order.
inline std::vector<Fr> split_eq_round_values(SplitEqShape s, const SumcheckTerms& terms, const Fr* raw,
                                             const SplitEqScalars& sc) {
  const int d = terms.degree;
  std::vector<Fr> g(d + 1, Fr::zero());
  const Fr wj = sc.w.at(sc.j);
  int off = 0;
  for (const SplitEqGroup& gr : split_eq_groups(s)) {
    const std::vector<Fr> vals(raw + off, raw + off + gr.npts);
    off += gr.npts;
    for (int t = 0; t <= d; t++) {
      const Fr ft = Fr::from_u64(t);
      Fr v = t < gr.npts ? vals[t] : interpolate_at(vals, ft);
      v *= terms.coeff[gr.term];
      if (gr.eq) v *= sc.c * eq1(wj, ft);
      g[t] += v;
    }
  }
  return g;
}
