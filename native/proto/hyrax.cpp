#include "hyrax.h"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include "../codec/g1_codec.h"
#include "../curve/g1_batch_affine.h"
#include "../mle/mle.h"

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

void hyrax_split_point(size_t n, size_t w, const std::vector<Fr>& z, std::vector<Fr>& z_col, std::vector<Fr>& z_row) {
  const int m = log2_exact(w);
  if (z.size() < (size_t)mle_vars(n)) throw std::invalid_argument("point has too few coordinates for the tensor");
  z_col.assign(z.begin(), z.begin() + std::min<size_t>(m, z.size()));
  z_col.resize(m, Fr::zero());
  z_row.assign(z.begin() + std::min<size_t>(m, z.size()), z.end());
}

IpaProof ipa_prove(Transcript& tr, const std::string& label, const Fr& value, IpaEngine& engine, size_t w) {
  log2_exact(w);
  tr.absorb_fr(label + "/value", value);
  IpaProof proof;
  // ZKLLM_TRACE=1: how long the rounds' group sums take against everything else.
  const bool trace = std::getenv("ZKLLM_TRACE") != nullptr;
  double cross_ms = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t len = w, j = 0; len > 1; len /= 2, j++) {
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
  proof.a = engine.final_a();
  if (trace)
    std::fprintf(stderr, "[ipa] %s: w=%zu, %.3f ms, of which L and R %.3f ms\n", label.c_str(), w,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(), cross_ms);
  return proof;
}

IpaProof hyrax_prove(Transcript& tr, const std::string& label, const std::vector<Fr>& t, const std::vector<Fr>& z,
                     std::shared_ptr<const PedersenGenerators> key, Backend backend) {
  const size_t w = key->g.size();
  std::vector<Fr> z_col, z_row;
  hyrax_split_point(t.size(), w, z, z_col, z_row);
  // t' = Σ_r eq(z_row, r)·t_r
  std::vector<Fr> e_row = eq_table(z_row), a(w, Fr::zero());
  for (size_t r = 0; r < e_row.size() && r * w < t.size(); r++)
    for (size_t c = 0; c < w && r * w + c < t.size(); c++) a[c] += e_row[r] * t[r * w + c];
  std::vector<Fr> b = eq_table(z_col);
  const Fr value = inner(a.data(), b.data(), w);
  auto engine = make_ipa_engine(backend, std::move(key), std::move(a), std::move(b));
  return ipa_prove(tr, label, value, *engine, w);
}

bool hyrax_verify(Transcript& tr, const std::string& label, const std::vector<G1Affine>& rows, size_t n,
                  const std::vector<Fr>& z, const Fr& v, const IpaProof& proof, const PedersenGenerators& key, Backend backend,
                  std::string& reason) {
  const size_t w = key.g.size();
  const int m = log2_exact(w);
  std::vector<Fr> z_col, z_row;
  hyrax_split_point(n, w, z, z_col, z_row);
  const size_t nrows = (n + w - 1) / w;
  if (rows.size() != nrows)
    return reason = "expected " + std::to_string(nrows) + " row commitments, got " + std::to_string(rows.size()), false;
  if (proof.L.size() != (size_t)m || proof.R.size() != (size_t)m)
    return reason = "inner-product proof must have " + std::to_string(m) + " rounds", false;
  tr.absorb_fr(label + "/value", v);
  // P = Σ_r eq(z_row, r)·C_r + v·Q
  std::vector<Fr> e_row = eq_table(z_row);
  std::vector<G1Affine> pts(rows);
  std::vector<Fr> sc(e_row.begin(), e_row.begin() + nrows);
  pts.push_back(key.q);
  sc.push_back(v);
  std::vector<Fr> xs(m);
  for (int j = 0; j < m; j++) {
    xs[j] = round_challenge(tr, label, j, proof.L[j], proof.R[j]);
    const Fr x2 = xs[j].sqr(), xi2 = x2.inv();
    pts.push_back(proof.L[j]), sc.push_back(x2);
    pts.push_back(proof.R[j]), sc.push_back(xi2);
  }
  // coef_i = Π_j (bit m−1−j of i ? x_j : x_j⁻¹), the weights of the folded generator and of b'.
  std::vector<Fr> coef(w, Fr::one()), xinv(m);
  for (int j = 0; j < m; j++) xinv[j] = xs[j].inv();
  for (size_t i = 0; i < w; i++)
    for (int j = 0; j < m; j++) coef[i] *= ((i >> (m - 1 - j)) & 1) ? xs[j] : xinv[j];
  std::vector<Fr> b = eq_table(z_col);
  const Fr b_final = inner(coef.data(), b.data(), w);
  // P_final − a·G_final − a·b_final·Q must be the identity: one MSM.
  for (size_t i = 0; i < w; i++) pts.push_back(key.g[i]), sc.push_back((proof.a * coef[i]).neg());
  pts.push_back(key.q), sc.push_back((proof.a * b_final).neg());
  if (!msm(backend, pts, sc).is_identity()) return reason = label + ": inner-product argument does not verify", false;
  return true;
}
