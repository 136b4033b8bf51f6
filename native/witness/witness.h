// Witness tensors of the protocol benchmarks: integers drawn from a seed (one counter-based
// stream per tensor, so any element can be regenerated alone and every backend draws the same
// values), converted to Fr the way the anchor does (n >= 0 -> n, n < 0 -> p - |n|).
#pragma once
#include <cstdint>
#include <vector>
#include "../field/field.cuh"

ZK_HD uint64_t witness_mix(uint64_t seed, uint64_t tensor, uint64_t index) {
  uint64_t z = seed * 0x9e3779b97f4a7c15ULL + tensor * 0xd1b54a32d192ed03ULL + index * 0x94d049bb133111ebULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

ZK_HD Fr fr_from_i64(int64_t v) {
  return v >= 0 ? Fr::from_u64((uint64_t)v) : Fr::from_u64((uint64_t)(-(v + 1)) + 1).neg();
}

// Uniform integer in [lo, lo + span), span >= 1 (64-bit multiply-high range reduction).
ZK_HD int64_t witness_int(uint64_t seed, uint64_t tensor, uint64_t index, int64_t lo, uint64_t span) {
  const uint64_t r = witness_mix(seed, tensor, index);
#if defined(__CUDA_ARCH__)
  const uint64_t hi = __umul64hi(r, span);
#else
  const uint64_t hi = (uint64_t)(((unsigned __int128)r * span) >> 64);
#endif
  return lo + (int64_t)hi;
}

// If x = lo + j for an integer j in [0, span), returns true and sets j (lo may be negative).
bool fr_offset_in_range(const Fr& x, int64_t lo, uint64_t span, uint64_t* j);
