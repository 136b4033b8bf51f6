#include "g1_codec.h"
#include <cstring>
#include <stdexcept>

namespace {
Fq fq_from_be(const uint8_t* b, bool* ok) {
  Fq raw;
  for (int i = 0; i < 6; i++) {
    uint64_t w = 0;
    for (int j = 0; j < 8; j++) w = (w << 8) | b[(5 - i) * 8 + j];
    raw.v[i] = w;
  }
  *ok = raw.raw_less_than_modulus();
  return Fq::from_canonical_raw(raw);
}
void fq_to_be(const Fq& x, uint8_t* out) {
  Fq c = x.to_canonical_raw();
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 8; j++) out[(5 - i) * 8 + j] = (uint8_t)(c.v[i] >> (8 * (7 - j)));
}
// The order r of G1, as raw limbs.
const uint64_t R_ORDER[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL,
                             0x73eda753299d7d48ULL};

// |x| for the BLS12-381 parameter x = -0xd201000000010000.
constexpr uint64_t X_ABS = 0xd201000000010000ULL;

// [|x|]P: double-and-add from the top bit (bit 63 is set).
G1Jacobian mul_x_abs(const G1Jacobian& p) {
  G1Jacobian acc = p;
  for (int bit = 62; bit >= 0; bit--) {
    acc = acc.dbl();
    if ((X_ABS >> bit) & 1) acc = acc.add(p);
  }
  return acc;
}

// φ(P) + [x²]P = O with φ(x, y) = (βx, y).
bool endo_test(const G1Affine& p, const Fq& beta) {
  if (p.is_identity()) return true;
  const G1Jacobian q = mul_x_abs(mul_x_abs(G1Jacobian::from_affine(p)));
  return q.equals(G1Jacobian::from_affine(G1Affine{beta * p.x, p.y.neg()}));
}

// β, the cube root of unity in Fq with φ = [−x²] on G1: r = x⁴ − x² + 1 and −x² is a root of
// λ² + λ + 1 mod r, so φ − [−x²] has degree r and its kernel is G1 exactly (Scott, "A note on group
// membership tests for G1, G2 and GT on BLS pairing-friendly curves", 2021): a point of E(Fq) with
// φ(P) = [−x²]P is in G1. Of the two nontrivial cube roots, the one that passes for the generator.
Fq endo_beta() {
  uint64_t e[6], rem = 0;  // (q − 1) / 3
  for (int i = 5; i >= 0; i--) {
    const unsigned __int128 cur = ((unsigned __int128)rem << 64) | (Fq::Params::mod(i) - (i == 0 ? 1 : 0));
    e[i] = (uint64_t)(cur / 3);
    rem = (uint64_t)(cur % 3);
  }
  if (rem != 0) throw std::logic_error("g1: q - 1 is not divisible by 3");
  for (uint64_t c = 2;; c++) {
    const Fq b = Fq::from_u64(c).pow_raw(e, 6);
    if (b == Fq::one()) continue;
    if (b * b * b != Fq::one()) throw std::logic_error("g1: no cube root of unity");
    if (endo_test(g1_generator(), b)) return b;
    if (endo_test(g1_generator(), b * b)) return b * b;
    throw std::logic_error("g1: no cube root of unity acts as [-x^2] on G1");
  }
}
}  // namespace

// Membership by the endomorphism (two 64-bit scalar products instead of one by r): see endo_beta.
bool g1_in_subgroup(const G1Affine& p) {
  static const Fq beta = endo_beta();
  return endo_test(p, beta);
}

// The plain test [r]P = O (the reference for the one above).
bool g1_in_subgroup_by_order(const G1Affine& p) {
  return G1Jacobian::mul_raw(p, R_ORDER, 4).is_identity();
}

G1Affine g1_decode(const uint8_t* b, const std::string& what, bool check_subgroup) {
  const uint8_t flags = b[0] & 0xe0;
  if (flags & 0x80) throw std::invalid_argument(what + ": compressed encoding given where 96-byte uncompressed is expected");
  if (flags & 0x20) throw std::invalid_argument(what + ": sort flag set on an uncompressed point");
  if (flags & 0x40) {
    bool rest_zero = (b[0] & 0x1f) == 0;
    for (int i = 1; i < G1_BYTES; i++) rest_zero = rest_zero && b[i] == 0;
    if (!rest_zero) throw std::invalid_argument(what + ": infinity flag set but coordinates are not zero");
    return G1Affine::identity();
  }
  uint8_t xb[48];
  std::memcpy(xb, b, 48);
  xb[0] &= 0x1f;
  bool okx, oky;
  G1Affine p{fq_from_be(xb, &okx), fq_from_be(b + 48, &oky)};
  if (!okx || !oky) throw std::invalid_argument(what + ": coordinate is not below the base-field modulus q");
  if (p.is_identity() || !p.on_curve()) throw std::invalid_argument(what + ": not a point on the curve y^2 = x^3 + 4");
  if (check_subgroup && !g1_in_subgroup(p)) throw std::invalid_argument(what + ": point is not in the prime-order subgroup G1");
  return p;
}

void g1_encode(const G1Affine& p, uint8_t* out) {
  if (p.is_identity()) {
    std::memset(out, 0, G1_BYTES);
    out[0] = 0x40;
    return;
  }
  fq_to_be(p.x, out);
  fq_to_be(p.y, out + 48);
}
