#include "hyrax.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include "../codec/g1_codec.h"
#include "../curve/g1_batch_affine.h"
#include "../mle/mle.h"
#include "../platform/cpu_parallel.h"
#include "step_laps.h"

namespace {
int log2_exact(size_t w) {
  int m = mle_vars(w);
  if ((size_t(1) << m) != w) throw std::invalid_argument("generator dimension must be a power of two");
  return m;
}
G1Jacobian msm(Backend b, const std::vector<G1Affine>& pts, const std::vector<Fr>& scalars) {
  std::vector<ScalarRaw> s(scalars.size());
  for (size_t i = 0; i < s.size(); i++) s[i] = scalar_raw(scalars[i]);
  return g1_msm(b, pts.data(), s.data(), pts.size());
}
Fr inner(const Fr* a, const Fr* b, size_t n) {
  Fr s = Fr::zero();
  for (size_t i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}
Fr round_challenge(Transcript& tr, const std::string& label, size_t j, const G1Affine& L, const G1Affine& R) {
  absorb_points(tr, label + "/L/" + std::to_string(j), {L});
  absorb_points(tr, label + "/R/" + std::to_string(j), {R});
  Fr x = tr.challenge_fr(label + "/x/" + std::to_string(j));
  if (x.is_zero()) throw std::runtime_error("inner-product challenge is zero");  // probability 2^-255
  return x;
}
}  // namespace

void absorb_points(Transcript& tr, const std::string& label, const std::vector<G1Affine>& pts) {
  std::vector<uint8_t> bytes(G1_BYTES * pts.size());
  for (size_t i = 0; i < pts.size(); i++) g1_encode(pts[i], bytes.data() + G1_BYTES * i);
  tr.absorb(label, bytes.data(), bytes.size());
}

std::string opening_term_label(const std::string& label, size_t terms, size_t k) {
  return terms == 1 ? label : label + "/" + std::to_string(k);
}

IpaProof ipa_prove(Transcript& tr, const std::string& label, const Fr& value, IpaEngine& engine, size_t w) {
  log2_exact(w);
  tr.absorb_fr(label + "/value", value);
  IpaProof proof;
  // ZKLLM_TRACE=1: how long the rounds' group sums take against everything else.
  const bool trace = std::getenv("ZKLLM_TRACE") != nullptr;
  double cross_ms = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const size_t last = ipa_final_length(log2_exact(w));
  for (size_t len = w, j = 0; len > last; len /= 2, j++) {
    G1Jacobian L, R;
    const auto c0 = std::chrono::steady_clock::now();
    engine.cross_terms(len, L, R);
    cross_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - c0).count();
    G1Affine lr[2];
    const G1Jacobian jac[2] = {L, R};
    g1_batch_to_affine(jac, lr, 2);
    proof.L.push_back(lr[0]);
    proof.R.push_back(lr[1]);
    const Fr x = round_challenge(tr, label, j, proof.L.back(), proof.R.back());
    engine.fold(len, x, x.inv());
  }
  proof.a = engine.final_a(last);
  if (trace)
    std::fprintf(stderr, "[ipa] %s: w=%zu, %.3f ms, of which L and R %.3f ms\n", label.c_str(), w,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(), cross_ms);
  return proof;
}

std::vector<Fr> row_fold(const std::vector<Fr>& t, const std::vector<Fr>& row_weights, size_t w) {
  std::vector<Fr> a(w, Fr::zero());
  // columns shared out over the threads
  cpu_parallel_chunks(w, [&](size_t c0, size_t c1, size_t) {
    for (size_t r = 0; r < row_weights.size() && r * w < t.size(); r++) {
      if (row_weights[r].is_zero()) continue;
      const Fr wr = row_weights[r];
      const Fr* row = t.data() + r * w;
      const size_t end = std::min(c1, t.size() - r * w);
      for (size_t c = c0; c < end; c++) a[c] += wr * row[c];
    }
  }, 256);
  return a;
}

OpeningProof hyrax_prove(Transcript& tr, const std::string& label, const std::vector<Fr>& t,
                         const std::vector<OpeningTerm>& terms, std::shared_ptr<const PedersenGenerators> key,
                         Backend backend) {
  const size_t w = key->g.size();
  OpeningProof proof;
  std::vector<std::vector<Fr>> as, bs;
  std::vector<Fr> values;
  for (const auto& term : terms) {
    if (term.cols.size() != w) throw std::logic_error("opening: column weights must match the generators");
    std::vector<Fr> a = row_fold(t, term.rows, w);
    values.push_back(inner(a.data(), term.cols.data(), w));
    as.push_back(std::move(a));
    bs.push_back(term.cols);
  }
  if (terms.size() > 1) proof.term_values.push_back(values[0]);  // absorbed by its argument as its value
  for (size_t k = 0; k < terms.size(); k++) {
    auto engine = make_ipa_engine(backend, key, std::move(as[k]), std::move(bs[k]));
    proof.parts.push_back(ipa_prove(tr, opening_term_label(label, terms.size(), k), values[k], *engine, w));
  }
  return proof;
}

bool hyrax_verify(Transcript& tr, const std::string& label, const std::vector<G1Affine>& rows,
                  const std::vector<OpeningTerm>& terms, const Fr& v, const OpeningProof& proof,
                  const PedersenGenerators& key, Backend backend, std::string& reason) {
  if (proof.parts.size() != terms.size() || proof.term_values.size() + 1 != terms.size())
    return reason = label + ": opening has the wrong number of parts", false;
  std::vector<Fr> values;
  if (terms.size() > 1) {
    values = {proof.term_values[0], v - proof.term_values[0]};
  } else {
    values = {v};
  }
  for (size_t k = 0; k < terms.size(); k++)
    if (!ipa_verify(tr, opening_term_label(label, terms.size(), k), rows, terms[k].rows, terms[k].cols, values[k],
                    proof.parts[k], key, backend, reason))
      return false;
  return true;
}

bool ipa_verify(Transcript& tr, const std::string& label, const std::vector<G1Affine>& rows,
                const std::vector<Fr>& row_weights, const std::vector<Fr>& b, const Fr& v, const IpaProof& proof,
                const PedersenGenerators& key, Backend backend, std::string& reason) {
  const size_t w = key.g.size();
  const int m = log2_exact(w), rounds = ipa_rounds(m), tail_bits = m - rounds;
  const size_t last = ipa_final_length(m);
  if (rows.size() != row_weights.size())
    return reason = "expected " + std::to_string(row_weights.size()) + " row commitments, got " + std::to_string(rows.size()), false;
  if (b.size() != w) return reason = label + ": column weights must match the generators", false;
  if (proof.L.size() != (size_t)rounds || proof.R.size() != (size_t)rounds)
    return reason = "inner-product proof must have " + std::to_string(rounds) + " rounds", false;
  if (proof.a.size() != last)
    return reason = "inner-product proof must end with " + std::to_string(last) + " entries", false;
  tr.absorb_fr(label + "/value", v);
  // P = Σ_r weight_r·C_r + v·Q
  std::vector<G1Affine> pts;
  std::vector<Fr> sc;
  for (size_t r = 0; r < rows.size(); r++)
    if (!row_weights[r].is_zero()) pts.push_back(rows[r]), sc.push_back(row_weights[r]);
  pts.push_back(key.q);
  sc.push_back(v);
  std::vector<Fr> xs(rounds);
  for (int j = 0; j < rounds; j++) {
    xs[j] = round_challenge(tr, label, j, proof.L[j], proof.R[j]);
    const Fr x2 = xs[j].sqr(), xi2 = x2.inv();
    pts.push_back(proof.L[j]), sc.push_back(x2);
    pts.push_back(proof.R[j]), sc.push_back(xi2);
  }
  StepLaps lap("ipa verify");
  // Generator i ends in entry i mod `last` of the folded vectors with weight
  // coef_i = Π_j (bit m−1−j of i ? x_j : x_j⁻¹), a function of its top `rounds` bits (h below),
  // expanded level by level (j = 0 the top bit): 2^rounds products instead of 2^rounds·rounds.
  std::vector<Fr> coef(size_t(1) << rounds, Fr::one());
  for (int j = 0, len = 1; j < rounds; j++, len *= 2) {
    const Fr xi = xs[j].inv();
    for (int k = len - 1; k >= 0; k--) coef[2 * k + 1] = coef[k] * xs[j], coef[2 * k] = coef[k] * xi;
  }
  // b_final = the column weights folded alike; then P_final − <a, G_final> − <a, b_final>·Q must be
  // the identity: one MSM.
  std::vector<Fr> b_final(last, Fr::zero());
  for (size_t i = 0; i < w; i++) b_final[i & (last - 1)] += coef[i >> tail_bits] * b[i];
  for (size_t i = 0; i < w; i++) pts.push_back(key.g[i]), sc.push_back((proof.a[i & (last - 1)] * coef[i >> tail_bits]).neg());
  pts.push_back(key.q), sc.push_back(inner(proof.a.data(), b_final.data(), last).neg());
  lap(label + ": scalars");
  const bool ok = msm(backend, pts, sc).is_identity();
  lap(label + (backend == Backend::Cuda ? ": msm (cuda)" : ": msm (cpu)"));
  if (!ok) return reason = label + ": inner-product argument does not verify", false;
  return true;
}
