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

// The sum of every thread's x over a block of THREADS threads (a multiple of 32), valid in thread 0;
// it synchronizes before returning, so calls may follow one another.
template <int THREADS>
__device__ __forceinline__ Fr block_sum(Fr x) {
  __shared__ Fr sh[THREADS / 32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  x = warp_sum(x);
  if (lane == 0) sh[warp] = x;
  __syncthreads();
  if (warp == 0) x = warp_sum(lane < THREADS / 32 ? sh[lane] : Fr::zero());
  __syncthreads();
  return x;
}

// Σ a_k·b_k over field elements as one 544-bit integer sum of their 512-bit products (no
// Montgomery reduction per term), reduced once: about half the work of a Montgomery product a term.
// A product's limb pairs a_j·s (s a limb of b) are added in carry chains to two arrays split by the
// parity of the pair's position (E: positions 0..15, O: positions 1..14, O[p] at p + 1), so each
// chain's pairs do not overlap; each chain's carry out goes to a counter at the word after it.
struct WideProductSum {
  uint32_t E[16] = {}, O[14] = {}, CE[5] = {}, CO[4] = {};

  __device__ __forceinline__ void add(const Fr& x, const Fr& y) {
#if defined(__CUDA_ARCH__)  // the PTX helpers exist in the device pass only
    uint32_t a[8], b[8];
    zk_ptx::unpack<4>(a, x.v);
    zk_ptx::unpack<4>(b, y.v);
#pragma unroll
    for (int i = 0; i < 8; i++) {
      if (i % 2 == 0) {
        zk_ptx::mad_pairs<8>(E + i, a, 0, b[i]);
        asm volatile("addc.u32 %0, %0, 0;" : "+r"(CE[i / 2]));
        zk_ptx::mad_pairs<8>(O + i, a, 1, b[i]);
        asm volatile("addc.u32 %0, %0, 0;" : "+r"(CO[i / 2]));
      } else {
        zk_ptx::mad_pairs<8>(O + i - 1, a, 0, b[i]);
        asm volatile("addc.u32 %0, %0, 0;" : "+r"(CO[(i - 1) / 2]));
        zk_ptx::mad_pairs<8>(E + i + 1, a, 1, b[i]);
        asm volatile("addc.u32 %0, %0, 0;" : "+r"(CE[(i + 1) / 2]));
      }
    }
#endif
  }

  // The sum T of the raw products of Montgomery forms is Σ X·Y·R² (mod p); the result is the
  // Montgomery form of Σ X·Y, T·R^-1 = L·R^-1 + H + T_hi·R for T = L + H·2^256 + T_hi·2^512.
  __device__ __forceinline__ Fr value() const {
    uint64_t t[18] = {};
#pragma unroll
    for (int p = 0; p < 16; p++) t[p] += E[p];
#pragma unroll
    for (int p = 0; p < 14; p++) t[p + 1] += O[p];
#pragma unroll
    for (int q = 0; q < 5; q++) t[8 + 2 * q] += CE[q];
#pragma unroll
    for (int q = 0; q < 4; q++) t[9 + 2 * q] += CO[q];
    uint32_t w[18];
    uint64_t carry = 0;
#pragma unroll
    for (int p = 0; p < 18; p++) {
      const uint64_t v = t[p] + carry;
      w[p] = (uint32_t)v;
      carry = v >> 32;
    }
    uint64_t lo[5], hi[5];
#pragma unroll
    for (int k = 0; k < 4; k++) {
      lo[k] = (uint64_t)w[2 * k + 1] << 32 | w[2 * k];
      hi[k] = (uint64_t)w[2 * k + 9] << 32 | w[2 * k + 8];
    }
    lo[4] = 0;
    hi[4] = (uint64_t)w[17] << 32 | w[16];
    Fr raw_one = Fr::zero();
    raw_one.v[0] = 1;
    return reduce_wide(lo) * raw_one + reduce_wide(hi);
  }
};
