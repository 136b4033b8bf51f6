#include "hyrax.h"
#include <stdexcept>
#include "../codec/g1_codec.h"
#include "../mle/mle.h"

namespace {
ScalarRaw raw(const Fr& x) {
  Fr c = x.to_canonical_raw();
  return {{c.v[0], c.v[1], c.v[2], c.v[3]}};
}
int log2_exact(size_t w) {
  int m = mle_vars(w);
  if ((size_t(1) << m) != w) throw std::invalid_argument("generator dimension must be a power of two");
  return m;
}
G1Jacobian msm(Backend b, const std::vector<G1Affine>& pts, const std::vector<Fr>& scalars) {
  std::vector<ScalarRaw> s(scalars.size());
  for (size_t i = 0; i < s.size(); i++) s[i] = raw(scalars[i]);
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

IpaProof hyrax_prove(Transcript& tr, const std::string& label, const std::vector<Fr>& t, const std::vector<Fr>& z,
                     const PedersenGenerators& key, Backend backend) {
  const size_t w = key.g.size();
  std::vector<Fr> z_col, z_row;
  hyrax_split_point(t.size(), w, z, z_col, z_row);
  // t' = Σ_r eq(z_row, r)·t_r
  std::vector<Fr> e_row = eq_table(z_row), a(w, Fr::zero());
  for (size_t r = 0; r < e_row.size() && r * w < t.size(); r++)
    for (size_t c = 0; c < w && r * w + c < t.size(); c++) a[c] += e_row[r] * t[r * w + c];
  std::vector<Fr> b = eq_table(z_col);
  tr.absorb_fr(label + "/value", inner(a.data(), b.data(), w));
  // The generators are folded implicitly: after some rounds, generator k is Σ_{pos(i)=k} coef_i·G_i,
  // so every L and R is one MSM over the original generators (plus Q).
  std::vector<Fr> coef(w, Fr::one());
  std::vector<size_t> pos(w);
  for (size_t i = 0; i < w; i++) pos[i] = i;
  std::vector<G1Affine> points(key.g);
  points.push_back(key.q);
  IpaProof proof;
  for (size_t len = w, j = 0; len > 1; len /= 2, j++) {
    const size_t half = len / 2;
    std::vector<Fr> sl(w + 1, Fr::zero()), sr(w + 1, Fr::zero());
    for (size_t i = 0; i < w; i++) {
      if (pos[i] >= half) sl[i] = a[pos[i] - half] * coef[i];  // a_lo paired with G_hi
      else sr[i] = a[pos[i] + half] * coef[i];                // a_hi paired with G_lo
    }
    sl[w] = inner(a.data(), b.data() + half, half);
    sr[w] = inner(a.data() + half, b.data(), half);
    G1Affine L = msm(backend, points, sl).to_affine(), R = msm(backend, points, sr).to_affine();
    proof.L.push_back(L);
    proof.R.push_back(R);
    const Fr x = round_challenge(tr, label, j, L, R), xi = x.inv();
    for (size_t k = 0; k < half; k++) {
      a[k] = a[k] * x + a[k + half] * xi;
      b[k] = b[k] * xi + b[k + half] * x;
    }
    for (size_t i = 0; i < w; i++) {
      if (pos[i] < half) coef[i] *= xi;
      else coef[i] *= x, pos[i] -= half;
    }
  }
  proof.a = a[0];
  return proof;
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
