// BLS12-381 G1 (y² = x³ + 4 over Fq) for host and device.
// Affine points mark the identity as (0, 0), which is not on the curve; Jacobian points
// (X, Y, Z) stand for (X/Z², Y/Z³) and mark the identity with Z = 0.
#pragma once
#include "../field/field.cuh"

struct alignas(16) G1Affine {
  Fq x, y;
  ZK_HD static G1Affine identity() { return {Fq::zero(), Fq::zero()}; }
  ZK_HD bool is_identity() const { return x.is_zero() && y.is_zero(); }
  ZK_HD G1Affine neg() const { return is_identity() ? *this : G1Affine{x, y.neg()}; }
  ZK_HD bool on_curve() const {
    if (is_identity()) return true;
    return y.sqr() == x.sqr() * x + Fq::from_u64(4);
  }
};

struct alignas(16) G1Jacobian {
  Fq X, Y, Z;

  ZK_HD static G1Jacobian identity() { return {Fq::one(), Fq::one(), Fq::zero()}; }
  ZK_HD static G1Jacobian from_affine(const G1Affine& p) {
    return p.is_identity() ? identity() : G1Jacobian{p.x, p.y, Fq::one()};
  }
  ZK_HD bool is_identity() const { return Z.is_zero(); }
  ZK_HD G1Jacobian neg() const { return {X, Y.neg(), Z}; }

  // dbl-2009-l (a = 0)
  ZK_HD G1Jacobian dbl() const {
    if (is_identity() || Y.is_zero()) return identity();
    Fq A = X.sqr(), B = Y.sqr(), C = B.sqr();
    Fq D = ((X + B).sqr() - A - C).dbl();
    Fq E = A.dbl() + A, F = E.sqr();
    G1Jacobian r;
    r.X = F - D.dbl();
    Fq C8 = C.dbl().dbl().dbl();
    r.Y = E * (D - r.X) - C8;
    r.Z = (Y * Z).dbl();
    return r;
  }

  // madd-2007-bl: this + affine q
  ZK_HD G1Jacobian add_mixed(const G1Affine& q) const {
    if (q.is_identity()) return *this;
    if (is_identity()) return from_affine(q);
    Fq Z1Z1 = Z.sqr();
    Fq U2 = q.x * Z1Z1;
    Fq S2 = q.y * Z * Z1Z1;
    Fq H = U2 - X;
    Fq rr = (S2 - Y).dbl();
    if (H.is_zero()) {
      if (rr.is_zero()) return dbl();
      return identity();
    }
    Fq HH = H.sqr();
    Fq I = HH.dbl().dbl();
    Fq J = H * I;
    Fq V = X * I;
    G1Jacobian r;
    r.X = rr.sqr() - J - V.dbl();
    r.Y = rr * (V - r.X) - (Y * J).dbl();
    r.Z = (Z + H).sqr() - Z1Z1 - HH;
    return r;
  }

  // add-2007-bl
  ZK_HD G1Jacobian add(const G1Jacobian& q) const {
    if (q.is_identity()) return *this;
    if (is_identity()) return q;
    Fq Z1Z1 = Z.sqr(), Z2Z2 = q.Z.sqr();
    Fq U1 = X * Z2Z2, U2 = q.X * Z1Z1;
    Fq S1 = Y * q.Z * Z2Z2, S2 = q.Y * Z * Z1Z1;
    Fq H = U2 - U1;
    Fq rr = (S2 - S1).dbl();
    if (H.is_zero()) {
      if (rr.is_zero()) return dbl();
      return identity();
    }
    Fq I = H.dbl().sqr();
    Fq J = H * I;
    Fq V = U1 * I;
    G1Jacobian r;
    r.X = rr.sqr() - J - V.dbl();
    r.Y = rr * (V - r.X) - (S1 * J).dbl();
    r.Z = ((Z + q.Z).sqr() - Z1Z1 - Z2Z2) * H;
    return r;
  }

  ZK_HD G1Affine to_affine() const {
    if (is_identity()) return G1Affine::identity();
    Fq zi = Z.inv(), zi2 = zi.sqr();
    return {X * zi2, Y * zi2 * zi};
  }

  // Projective equality: X1·Z2² = X2·Z1² and Y1·Z2³ = Y2·Z1³.
  ZK_HD bool equals(const G1Jacobian& q) const {
    if (is_identity() || q.is_identity()) return is_identity() && q.is_identity();
    Fq Z1Z1 = Z.sqr(), Z2Z2 = q.Z.sqr();
    return X * Z2Z2 == q.X * Z1Z1 && Y * Z2Z2 * q.Z == q.Y * Z1Z1 * Z;
  }

  // [k]P for a scalar given as canonical little-endian 64-bit limbs; double-and-add, MSB first.
  ZK_HD static G1Jacobian mul_raw(const G1Affine& p, const uint64_t* k, int klimbs) {
    G1Jacobian acc = identity();
    for (int i = klimbs - 1; i >= 0; i--)
      for (int bit = 63; bit >= 0; bit--) {
        acc = acc.dbl();
        if ((k[i] >> bit) & 1) acc = acc.add_mixed(p);
      }
    return acc;
  }
};

// The standard generator of G1, in Montgomery form.
ZK_HD G1Affine g1_generator() {
  G1Affine g;
  const uint64_t gx[6] = {0x5cb38790fd530c16ULL, 0x7817fc679976fff5ULL, 0x154f95c7143ba1c1ULL,
                          0xf0ae6acdf3d0e747ULL, 0xedce6ecc21dbf440ULL, 0x120177419e0bfb75ULL};
  const uint64_t gy[6] = {0xbaac93d50ce72271ULL, 0x8c22631a7918fd8eULL, 0xdd595f13570725ceULL,
                          0x51ac582950405194ULL, 0x0e1c8c3fad0059c0ULL, 0x0bbc3efc5008a26aULL};
  for (int i = 0; i < 6; i++) {
    g.x.v[i] = gx[i];
    g.y.v[i] = gy[i];
  }
  return g;
}
