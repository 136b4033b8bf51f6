#include "transcript.h"
#include <cstring>
#include "../codec/scalar_codec.h"

namespace {
enum : uint8_t { TAG_DOMAIN = 0, TAG_ABSORB = 1, TAG_CHALLENGE = 2, TAG_RATCHET = 3 };
void put_le(Sha256& h, uint64_t v, int bytes) {
  uint8_t b[8];
  for (int i = 0; i < bytes; i++) b[i] = (uint8_t)(v >> (8 * i));
  h.update(b, bytes);
}
}  // namespace

Transcript::Transcript(const std::string& domain) {
  frame(TAG_DOMAIN, PROTOCOL);
  put_le(state_, domain.size(), 8);
  state_.update(reinterpret_cast<const uint8_t*>(domain.data()), domain.size());
}

void Transcript::frame(uint8_t tag, const std::string& label) {
  state_.update(&tag, 1);
  put_le(state_, label.size(), 4);
  state_.update(reinterpret_cast<const uint8_t*>(label.data()), label.size());
}

void Transcript::absorb(const std::string& label, const uint8_t* data, size_t len) {
  frame(TAG_ABSORB, label);
  put_le(state_, len, 8);
  state_.update(data, len);
}

void Transcript::absorb_fr(const std::string& label, const Fr& x) {
  uint8_t b[32];
  fr_to_bytes(x, b);
  absorb(label, b, 32);
}

void Transcript::challenge_bytes(const std::string& label, uint8_t seed[32]) {
  frame(TAG_CHALLENGE, label);
  Sha256 fork = state_;
  fork.final(seed);
  uint8_t tag = TAG_RATCHET;
  state_.update(&tag, 1);
  state_.update(seed, 32);
}

Fr Transcript::challenge_fr(const std::string& label) {
  uint8_t seed[32], wide[64];
  challenge_bytes(label, seed);
  for (uint8_t i = 0; i < 2; i++) {
    Sha256 h;
    h.update(seed, 32);
    h.update(&i, 1);
    h.final(wide + 32 * i);
  }
  // wide = lo + hi·2^256 (little-endian); in Montgomery form lo·R + hi·R².
  Fr lo, hi;
  std::memcpy(lo.v, wide, 32);
  std::memcpy(hi.v, wide + 32, 32);
  return Fr::from_canonical_raw(lo) + Fr::from_canonical_raw(hi) * Fr::r2();
}
