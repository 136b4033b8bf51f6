// The transcript's steps on a SHA-256 state, for host and device: the host Transcript is made of
// them, and a device sumcheck engine that finishes a sumcheck's rounds on the GPU runs the very
// same steps on a copy of the state, so both give the same bytes.
#pragma once
#include <cstddef>
#include <cstdint>
#include "../field/field.cuh"
#include "../hash/sha256.h"

namespace transcript_steps {
enum : uint8_t { TAG_DOMAIN = 0, TAG_ABSORB = 1, TAG_CHALLENGE = 2, TAG_RATCHET = 3 };

ZK_HD void put_le(Sha256& h, uint64_t v, int bytes) {
  uint8_t b[8];
  for (int i = 0; i < bytes; i++) b[i] = (uint8_t)(v >> (8 * i));
  h.update(b, bytes);
}

ZK_HD void frame(Sha256& h, uint8_t tag, const char* label, size_t label_len) {
  h.update(&tag, 1);
  put_le(h, label_len, 4);
  h.update(reinterpret_cast<const uint8_t*>(label), label_len);
}

ZK_HD void absorb(Sha256& h, const char* label, size_t label_len, const uint8_t* data, size_t len) {
  frame(h, TAG_ABSORB, label, label_len);
  put_le(h, len, 8);
  h.update(data, len);
}

// Canonical 32 bytes, little-endian.
ZK_HD void absorb_fr(Sha256& h, const char* label, size_t label_len, const Fr& x) {
  const Fr c = x.to_canonical_raw();
  uint8_t b[32];
  for (int k = 0; k < 4; k++)
    for (int i = 0; i < 8; i++) b[8 * k + i] = (uint8_t)(c.v[k] >> (8 * i));
  absorb(h, label, label_len, b, 32);
}

ZK_HD void challenge_bytes(Sha256& h, const char* label, size_t label_len, uint8_t seed[32]) {
  frame(h, TAG_CHALLENGE, label, label_len);
  Sha256 fork = h;
  fork.final(seed);
  const uint8_t tag = TAG_RATCHET;
  h.update(&tag, 1);
  h.update(seed, 32);
}

// x mod p for raw limbs x < 2^256 < 3p: the device's Montgomery product takes operands below p.
ZK_HD Fr below_modulus(Fr x) {
  for (int t = 0; t < 2 && !x.raw_less_than_modulus(); t++) {
    uint64_t borrow = 0;
    for (int k = 0; k < 4; k++) {
      const uint64_t m = Fr::modulus_raw().v[k], d = x.v[k] - m - borrow;
      borrow = (x.v[k] < m || (x.v[k] == m && borrow)) ? 1 : 0;
      x.v[k] = d;
    }
  }
  return x;
}

ZK_HD Fr challenge_fr(Sha256& h, const char* label, size_t label_len) {
  uint8_t seed[32], wide[64];
  challenge_bytes(h, label, label_len, seed);
  for (uint8_t i = 0; i < 2; i++) {
    Sha256 e;
    e.update(seed, 32);
    e.update(&i, 1);
    e.final(wide + 32 * i);
  }
  // wide = lo + hi·2^256 (little-endian); in Montgomery form lo·R + hi·R².
  Fr lo, hi;
  for (int k = 0; k < 4; k++) {
    lo.v[k] = hi.v[k] = 0;
    for (int i = 0; i < 8; i++) lo.v[k] |= (uint64_t)wide[8 * k + i] << (8 * i), hi.v[k] |= (uint64_t)wide[32 + 8 * k + i] << (8 * i);
  }
  return Fr::from_canonical_raw(below_modulus(lo)) + Fr::from_canonical_raw(below_modulus(hi)) * Fr::r2();
}
}  // namespace transcript_steps
