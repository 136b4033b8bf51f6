// One prime-field type for host and device. Elements live in Montgomery form (x·R mod p) everywhere
// in memory, so a product of two stored values is a single Montgomery multiplication.
//
// Memory layout: LIMBS little-endian 64-bit words, which on a little-endian machine is the same
// bytes as 2·LIMBS little-endian 32-bit words. The host body uses 64-bit limbs with 128-bit
// products; the device body views the same bytes as 32-bit limbs and uses PTX carry chains,
// because the GPU has no native 64×64 multiplier. Both compute the same function, bit for bit.
#pragma once
#include <cstdint>
#include <cstring>
#include "hd.h"
#include "bls12_381_params.h"

#if defined(__CUDA_ARCH__)
#include "field_ptx.cuh"
#endif

template <class P>
struct alignas(16) Field {
  static constexpr int LIMBS = P::LIMBS;
  static constexpr int BYTES = 8 * LIMBS;
  using Params = P;
  uint64_t v[LIMBS];

  ZK_HD static Field zero() {
    Field r;
    for (int i = 0; i < LIMBS; i++) r.v[i] = 0;
    return r;
  }
  ZK_HD static Field one() {
    Field r;
    for (int i = 0; i < LIMBS; i++) r.v[i] = P::r1(i);
    return r;
  }
  ZK_HD static Field r2() {
    Field r;
    for (int i = 0; i < LIMBS; i++) r.v[i] = P::r2(i);
    return r;
  }
  ZK_HD static Field modulus_raw() {
    Field r;
    for (int i = 0; i < LIMBS; i++) r.v[i] = P::mod(i);
    return r;
  }

  ZK_HD bool is_zero() const {
    uint64_t acc = 0;
    for (int i = 0; i < LIMBS; i++) acc |= v[i];
    return acc == 0;
  }
  ZK_HD bool operator==(const Field& o) const {
    uint64_t acc = 0;
    for (int i = 0; i < LIMBS; i++) acc |= v[i] ^ o.v[i];
    return acc == 0;
  }
  ZK_HD bool operator!=(const Field& o) const { return !(*this == o); }

  // Raw limbs compared against the modulus: true when the canonical integer is < p.
  ZK_HD bool raw_less_than_modulus() const {
    for (int i = LIMBS - 1; i >= 0; i--) {
      if (v[i] < P::mod(i)) return true;
      if (v[i] > P::mod(i)) return false;
    }
    return false;
  }

  ZK_HD Field operator+(const Field& b) const {
#if defined(__CUDA_ARCH__)
    Field r;
    zk_ptx::add_mod<LIMBS, P>(r.v, v, b.v);
    return r;
#else
    Field s, t;
    unsigned __int128 c = 0;
    for (int i = 0; i < LIMBS; i++) {
      c += (unsigned __int128)v[i] + b.v[i];
      s.v[i] = (uint64_t)c;
      c >>= 64;
    }
    // 2p < 2^(64·LIMBS), so the sum never carries out; subtract p when s >= p.
    unsigned __int128 borrow = 0;
    for (int i = 0; i < LIMBS; i++) {
      unsigned __int128 d = (unsigned __int128)s.v[i] - P::mod(i) - borrow;
      t.v[i] = (uint64_t)d;
      borrow = (d >> 64) & 1;
    }
    return borrow ? s : t;
#endif
  }

  ZK_HD Field operator-(const Field& b) const {
#if defined(__CUDA_ARCH__)
    Field r;
    zk_ptx::sub_mod<LIMBS, P>(r.v, v, b.v);
    return r;
#else
    Field d;
    unsigned __int128 borrow = 0;
    for (int i = 0; i < LIMBS; i++) {
      unsigned __int128 t = (unsigned __int128)v[i] - b.v[i] - borrow;
      d.v[i] = (uint64_t)t;
      borrow = (t >> 64) & 1;
    }
    if (borrow) {
      unsigned __int128 c = 0;
      for (int i = 0; i < LIMBS; i++) {
        c += (unsigned __int128)d.v[i] + P::mod(i);
        d.v[i] = (uint64_t)c;
        c >>= 64;
      }
    }
    return d;
#endif
  }

  ZK_HD Field neg() const { return zero() - *this; }
  ZK_HD Field dbl() const { return *this + *this; }

  ZK_HD Field operator*(const Field& b) const {
#if defined(__CUDA_ARCH__)
    Field r;
    zk_ptx::mont_mul<LIMBS, P>(r.v, v, b.v);
    return r;
#else
    // CIOS Montgomery multiplication; t has LIMBS + 2 words.
    uint64_t t[LIMBS + 2];
    for (int i = 0; i < LIMBS + 2; i++) t[i] = 0;
    for (int i = 0; i < LIMBS; i++) {
      unsigned __int128 c = 0;
      for (int j = 0; j < LIMBS; j++) {
        c += (unsigned __int128)v[j] * b.v[i] + t[j];
        t[j] = (uint64_t)c;
        c >>= 64;
      }
      c += t[LIMBS];
      t[LIMBS] = (uint64_t)c;
      t[LIMBS + 1] = (uint64_t)(c >> 64);
      uint64_t m = t[0] * P::INV64;
      c = (unsigned __int128)m * P::mod(0) + t[0];
      c >>= 64;
      for (int j = 1; j < LIMBS; j++) {
        c += (unsigned __int128)m * P::mod(j) + t[j];
        t[j - 1] = (uint64_t)c;
        c >>= 64;
      }
      c += t[LIMBS];
      t[LIMBS - 1] = (uint64_t)c;
      t[LIMBS] = t[LIMBS + 1] + (uint64_t)(c >> 64);
    }
    Field r, s;
    for (int i = 0; i < LIMBS; i++) r.v[i] = t[i];
    unsigned __int128 borrow = 0;
    for (int i = 0; i < LIMBS; i++) {
      unsigned __int128 d = (unsigned __int128)r.v[i] - P::mod(i) - borrow;
      s.v[i] = (uint64_t)d;
      borrow = (d >> 64) & 1;
    }
    return (borrow && t[LIMBS] == 0) ? r : s;
#endif
  }
  ZK_HD Field& operator+=(const Field& b) { return *this = *this + b; }
  ZK_HD Field& operator-=(const Field& b) { return *this = *this - b; }
  ZK_HD Field& operator*=(const Field& b) { return *this = *this * b; }
  ZK_HD Field sqr() const { return *this * *this; }

  // x^e for an exponent given as raw little-endian limbs, most significant bit first.
  ZK_HD Field pow_raw(const uint64_t* e, int elimbs) const {
    Field r = one();
    for (int i = elimbs - 1; i >= 0; i--)
      for (int bit = 63; bit >= 0; bit--) {
        r = r.sqr();
        if ((e[i] >> bit) & 1) r = r * *this;
      }
    return r;
  }
  // Fermat inverse; the inverse of zero is zero (callers that must reject zero check first).
  ZK_HD Field inv() const {
    uint64_t e[LIMBS];
    for (int i = 0; i < LIMBS; i++) e[i] = P::mod(i);
    e[0] -= 2;  // p is odd and its low limb exceeds 2 for both fields, so no borrow
    return pow_raw(e, LIMBS);
  }

  // Conversions between canonical integers (raw limbs < p) and Montgomery form.
  ZK_HD static Field from_canonical_raw(const Field& x) { return x * r2(); }
  ZK_HD Field to_canonical_raw() const {
    Field unit = zero();
    unit.v[0] = 1;
    return *this * unit;
  }
  ZK_HD static Field from_u64(uint64_t x) {
    Field r = zero();
    r.v[0] = x;
    return from_canonical_raw(r);
  }
};

using Fr = Field<FrParams>;
using Fq = Field<FqParams>;
