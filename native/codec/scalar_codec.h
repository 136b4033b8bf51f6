// Wire format of scalars at the JS boundary: canonical integers, 32 bytes little-endian.
// Montgomery form never leaves native code.
#pragma once
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include "../field/field.cuh"

// Reads 32 canonical bytes; throws when the integer is not below p.
inline Fr fr_from_bytes(const uint8_t* b, const std::string& what) {
  Fr raw;
  std::memcpy(raw.v, b, 32);  // little-endian host
  if (!raw.raw_less_than_modulus()) throw std::invalid_argument(what + " is not a canonical Fr element (>= p)");
  return Fr::from_canonical_raw(raw);
}
inline void fr_to_bytes(const Fr& x, uint8_t* out) {
  Fr c = x.to_canonical_raw();
  std::memcpy(out, c.v, 32);
}
