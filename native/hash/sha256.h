// SHA-256 (FIPS 180-4), streaming, for host and device: the transcript runs on the host, and a
// device sumcheck engine runs the same transcript steps for the rounds it finishes on the GPU.
#pragma once
#include <cstddef>
#include <cstdint>
#include "../field/hd.h"
#include "sha256_compress.cuh"

class Sha256 {
 public:
  ZK_HD Sha256() { sha256_initial_state(h_); }

  ZK_HD void update(const uint8_t* data, size_t len) {
    total_ += len;
    while (len) {
      const size_t take = 64 - buf_len_ < len ? 64 - buf_len_ : len;
      for (size_t i = 0; i < take; i++) buf_[buf_len_ + i] = data[i];
      buf_len_ += take;
      data += take;
      len -= take;
      if (buf_len_ == 64) {
        sha256_compress(h_, buf_);
        buf_len_ = 0;
      }
    }
  }

  // Leaves the object unusable for further updates.
  ZK_HD void final(uint8_t out[32]) {
    const uint64_t bits = total_ * 8;
    const uint8_t pad = 0x80, zero = 0;
    update(&pad, 1);
    while (buf_len_ != 56) update(&zero, 1);
    uint8_t len_be[8];
    for (int i = 0; i < 8; i++) len_be[i] = (uint8_t)(bits >> (56 - 8 * i));
    update(len_be, 8);
    for (int i = 0; i < 8; i++)
      for (int j = 0; j < 4; j++) out[4 * i + j] = (uint8_t)(h_[i] >> (24 - 8 * j));
  }

 private:
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};
