// Sums of field elements times small integers without a Montgomery product per term: the
// integer multiplies the element's Montgomery limbs into a five-limb accumulator, whose value is a
// Montgomery representation (up to multiples of p) of the sum; one reduction per sum.
#pragma once
#include "cuda_field_device.cuh"

// x (five 64-bit limbs) mod p, in the same representation: x = lo + hi·2^256 with lo < 2^256 < 3p,
// and hi·2^256 ≡ hi·R is one Montgomery product of hi with R² mod p.
__device__ __forceinline__ Fr reduce_wide(const uint64_t x[5]) {
  Fr lo;
  for (int k = 0; k < 4; k++) lo.v[k] = x[k];
  for (int t = 0; t < 2 && !lo.raw_less_than_modulus(); t++) {
    unsigned __int128 borrow = 0;
    for (int k = 0; k < 4; k++) {
      const unsigned __int128 d = (unsigned __int128)lo.v[k] - Fr::modulus_raw().v[k] - borrow;
      lo.v[k] = (uint64_t)d;
      borrow = (d >> 64) & 1;
    }
  }
  Fr hi = Fr::zero();
  hi.v[0] = x[4];
  return lo + hi * Fr::r2();
}

// acc += e·m for a field element's limbs e and m < 2^32 (no reduction: each term is below 2^287,
// so fewer than 2^33 of them stay below 2^320).
__device__ __forceinline__ void mac_small(uint64_t acc[5], const Fr& e, uint32_t m) {
  unsigned __int128 carry = 0;
  for (int k = 0; k < 4; k++) {
    carry += (unsigned __int128)e.v[k] * m + acc[k];
    acc[k] = (uint64_t)carry;
    carry >>= 64;
  }
  acc[4] += (uint64_t)carry;
}

// a += b for five-limb sums (the total stays below 2^320).
__device__ __forceinline__ void add_wide(uint64_t a[5], const uint64_t b[5]) {
  unsigned __int128 carry = 0;
#pragma unroll
  for (int k = 0; k < 5; k++) {
    carry += (unsigned __int128)a[k] + b[k];
    a[k] = (uint64_t)carry;
    carry >>= 64;
  }
}

// The warp's sum of five-limb sums, in lane 0: integer additions, no reduction.
__device__ __forceinline__ void warp_sum_wide(uint64_t a[5]) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) {
    uint64_t b[5];
#pragma unroll
    for (int k = 0; k < 5; k++) b[k] = __shfl_down_sync(0xffffffffu, a[k], o);
    add_wide(a, b);
  }
}

// The warp's sum of field elements, in lane 0.
__device__ __forceinline__ Fr warp_sum(Fr x) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) {
    Fr y;
#pragma unroll
    for (int k = 0; k < 4; k++) y.v[k] = __shfl_down_sync(0xffffffffu, x.v[k], o);
    x = x + y;
  }
  return x;
}
