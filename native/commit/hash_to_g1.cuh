// Try-and-increment hash to G1, the per-generator body shared by the CPU threads and the CUDA
// kernel (so both give the same points, byte for byte).
//
// For a label digest D (32 bytes, see generators.h), a kind k (vector generator or the extra
// generator Q), an index i and a counter t = 0, 1, 2, ...:
//   h_j = SHA-256(D || k || le64(i) || le32(t) || j)      for j = 0, 1, 2   (46-byte messages)
//   x   = big-endian integer of h_0 || h_1, reduced mod q   (512 bits: bias below 2^-131)
//   accept x when x^3 + 4 is a square; y = (x^3 + 4)^((q+1)/4) (q = 3 mod 4), negated when the
//   parity of y differs from the low bit of h_2[0]
//   P = [h_eff](x, y) with h_eff = 0xd201000000010001, which maps every point of E(Fq) into G1
//   (RFC 9380, section 8.8.1); P = O (a candidate in the cofactor torsion, probability about
//   2^-255) is rejected like a non-square.
// The first accepted t gives the generator. Nobody knows a discrete-log relation between the
// points: each x is a hash output, so finding one would mean solving discrete logs in G1.
#pragma once
#include <cstdint>
#include "../curve/g1.cuh"
#include "../hash/sha256_short.cuh"

enum : uint8_t { GEN_KIND_VECTOR = 0, GEN_KIND_Q = 1 };
constexpr int GEN_MESSAGE_BYTES = 46;
constexpr uint64_t G1_H_EFF = 0xd201000000010001ULL;

namespace hash_to_g1_detail {

// 32 big-endian bytes (an integer below 2^256 < q) in Montgomery form.
ZK_HD Fq fq_from_be32(const uint8_t* b) {
  Fq raw = Fq::zero();
  for (int i = 0; i < 4; i++) {
    uint64_t w = 0;
    for (int j = 0; j < 8; j++) w = (w << 8) | b[(3 - i) * 8 + j];
    raw.v[i] = w;
  }
  return Fq::from_canonical_raw(raw);
}

// (hi || lo) as a 512-bit big-endian integer, mod q: hi·2^256 + lo, both halves already below q.
ZK_HD Fq fq_from_be64(const uint8_t* hi, const uint8_t* lo) {
  Fq two256 = Fq::zero();
  two256.v[4] = 1;
  return fq_from_be32(hi) * Fq::from_canonical_raw(two256) + fq_from_be32(lo);
}

ZK_HD int ctz64(uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __ffsll((long long)x) - 1;
#else
  return __builtin_ctzll(x);
#endif
}

// Legendre symbol (a/q) of a field element by the binary Jacobi algorithm: about a tenth of the
// cost of the exponentiation it replaces for the half of the candidates that are rejected.
ZK_HD int legendre(const Fq& x) {
  const Fq c = x.to_canonical_raw();
  uint64_t a[6], n[6];
  for (int i = 0; i < 6; i++) {
    a[i] = c.v[i];
    n[i] = FqParams::mod(i);
  }
  int t = 1;
  for (;;) {
    bool zero = true;
    for (int i = 0; i < 6; i++) zero = zero && a[i] == 0;
    if (zero) break;
    // a /= 2^k; each factor 2 flips the sign when n = 3, 5 mod 8.
    while ((a[0] & 1) == 0) {
      const int k = a[0] ? ctz64(a[0]) : 63;
      for (int i = 0; i < 5; i++) a[i] = (a[i] >> k) | (a[i + 1] << (64 - k));
      a[5] >>= k;
      const uint64_t r = n[0] & 7;
      if ((k & 1) && (r == 3 || r == 5)) t = -t;
    }
    // Quadratic reciprocity when swapping to keep a >= n, then (a/n) = ((a − n)/n).
    bool less = false;
    for (int i = 5; i >= 0; i--)
      if (a[i] != n[i]) {
        less = a[i] < n[i];
        break;
      }
    if (less) {
      for (int i = 0; i < 6; i++) {
        const uint64_t tmp = a[i];
        a[i] = n[i];
        n[i] = tmp;
      }
      if ((a[0] & 3) == 3 && (n[0] & 3) == 3) t = -t;
    }
    uint64_t borrow = 0;
    for (int i = 0; i < 6; i++) {
      const uint64_t d = a[i] - n[i] - borrow;
      borrow = (a[i] < n[i] || (a[i] == n[i] && borrow)) ? 1 : 0;
      a[i] = d;
    }
  }
  bool one = n[0] == 1;
  for (int i = 1; i < 6; i++) one = one && n[i] == 0;
  return one ? t : 0;
}

// a^((q+1)/4) by a 5-bit sliding window over the fixed exponent: 379 squarings and about 80
// products instead of about 230.
ZK_HD Fq sqrt_candidate(const Fq& a) {
  const uint64_t e[6] = {0xee7fbfffffffeaabULL, 0x07aaffffac54ffffULL, 0xd9cc34a83dac3d89ULL,
                         0xd91dd2e13ce144afULL, 0x92c6e9ed90d2eb35ULL, 0x0680447a8e5ff9a6ULL};  // (q+1)/4
  Fq odd[16];  // a^1, a^3, ..., a^31
  odd[0] = a;
  const Fq a2 = a.sqr();
  for (int i = 1; i < 16; i++) odd[i] = odd[i - 1] * a2;
  auto bit = [&](int i) { return (int)((e[i >> 6] >> (i & 63)) & 1); };
  Fq r = Fq::one();
  int i = 378;  // the top set bit
  while (i >= 0) {
    if (!bit(i)) {
      r = r.sqr();
      i--;
      continue;
    }
    int j = i - 4 < 0 ? 0 : i - 4;  // the window [j, i] ends on a set bit
    while (!bit(j)) j++;
    int val = 0;
    for (int k = i; k >= j; k--) {
      r = r.sqr();
      val = (val << 1) | bit(k);
    }
    r = r * odd[val >> 1];
    i = j - 1;
  }
  return r;
}

}  // namespace hash_to_g1_detail

// One candidate; false when counter t gives no point.
ZK_HD bool hash_to_g1_try(const uint8_t label_digest[32], uint8_t kind, uint64_t index, uint32_t counter,
                          G1Jacobian* out) {
  using namespace hash_to_g1_detail;
  uint8_t msg[GEN_MESSAGE_BYTES];
  for (int i = 0; i < 32; i++) msg[i] = label_digest[i];
  msg[32] = kind;
  for (int i = 0; i < 8; i++) msg[33 + i] = (uint8_t)(index >> (8 * i));
  for (int i = 0; i < 4; i++) msg[41 + i] = (uint8_t)(counter >> (8 * i));
  uint8_t h0[32], h1[32], h2[32];
  msg[45] = 0;
  sha256_short::hash(msg, GEN_MESSAGE_BYTES, h0);
  msg[45] = 1;
  sha256_short::hash(msg, GEN_MESSAGE_BYTES, h1);
  msg[45] = 2;
  sha256_short::hash(msg, GEN_MESSAGE_BYTES, h2);

  const Fq x = fq_from_be64(h0, h1);
  const Fq rhs = x.sqr() * x + Fq::from_u64(4);
  if (legendre(rhs) < 0) return false;
  Fq y = sqrt_candidate(rhs);
  if (y.sqr() != rhs) return false;  // never taken: (rhs/q) = 1 makes y a square root
  if ((y.to_canonical_raw().v[0] & 1) != (uint64_t)(h2[0] & 1)) y = y.neg();
  const uint64_t h_eff = G1_H_EFF;
  G1Jacobian p = G1Jacobian::mul_raw(G1Affine{x, y}, &h_eff, 1);
  if (p.is_identity()) return false;
  *out = p;
  return true;
}

// The generator (kind, index) in Jacobian form; callers normalise, in batches where they can.
ZK_HD G1Jacobian hash_to_g1(const uint8_t label_digest[32], uint8_t kind, uint64_t index) {
  G1Jacobian p = G1Jacobian::identity();
  for (uint32_t t = 0;; t++)
    if (hash_to_g1_try(label_digest, kind, index, t, &p)) return p;
}
