// SHA-256 of a message shorter than 56 bytes (one padded block), for host and device. Generator
// derivation hashes 46-byte messages per candidate point; having the same body on the GPU is what
// lets a CUDA launch produce the very bytes the CPU produces. proto/sha256 is the streaming,
// host-only hash for everything longer.
#pragma once
#include <cstdint>
#include "../field/hd.h"
#include "sha256_compress.cuh"

namespace sha256_short {

// out = SHA-256(msg[0..len)), len < 56: one padded block.
ZK_HD void hash(const uint8_t* msg, int len, uint8_t out[32]) {
  uint8_t block[64];
  for (int i = 0; i < 64; i++) block[i] = i < len ? msg[i] : 0;
  block[len] = 0x80;
  const uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
  uint32_t h[8];
  sha256_initial_state(h);
  sha256_compress(h, block);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++) out[4 * i + j] = (uint8_t)(h[i] >> (24 - 8 * j));
}

}  // namespace sha256_short
