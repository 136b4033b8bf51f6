// Window choice and digit extraction shared by the CPU and CUDA bucket MSMs.
#pragma once
#include "../platform/scalar_raw.h"

constexpr int SCALAR_BITS = 255;

// Bits per window for n points: a bucket count near n/4..n/16 balances bucket filling
// against the running-sum reduction.
inline int msm_window_bits(size_t n) {
  int lg = 0;
  while ((size_t(1) << lg) < n + 1) lg++;
  if (lg <= 4) return 2;
  if (lg <= 12) return lg - 2;
  if (lg <= 20) return lg - 4;
  return 16;
}

ZK_HD uint32_t scalar_window(const ScalarRaw& s, int start, int c) {
  const int limb = start >> 6, off = start & 63;
  uint64_t w = s.v[limb] >> off;
  if (off + c > 64 && limb + 1 < 4) w |= s.v[limb + 1] << (64 - off);
  return (uint32_t)(w & ((uint64_t(1) << c) - 1));
}
