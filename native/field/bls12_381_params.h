// BLS12-381 moduli and Montgomery constants (R = 2^(64*LIMBS)), little-endian 64-bit limbs.
// Both fields satisfy 2p < R, which lets the multiplication skip a top carry limb.
#pragma once
#include <cstdint>
#include "hd.h"

struct FrParams {
  static constexpr int LIMBS = 4;
  static constexpr const char* NAME = "Fr";
  ZK_HD static constexpr uint64_t mod(int i) {
    constexpr uint64_t m[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL,
                               0x73eda753299d7d48ULL};
    return m[i];
  }
  ZK_HD static constexpr uint64_t r1(int i) {  // R mod p: one in Montgomery form
    constexpr uint64_t m[4] = {0x00000001fffffffeULL, 0x5884b7fa00034802ULL, 0x998c4fefecbc4ff5ULL,
                               0x1824b159acc5056fULL};
    return m[i];
  }
  ZK_HD static constexpr uint64_t r2(int i) {  // R^2 mod p
    constexpr uint64_t m[4] = {0xc999e990f3f29c6dULL, 0x2b6cedcb87925c23ULL, 0x05d314967254398fULL,
                               0x0748d9d99f59ff11ULL};
    return m[i];
  }
  static constexpr uint64_t INV64 = 0xfffffffeffffffffULL;  // -p^-1 mod 2^64
  static constexpr uint32_t INV32 = 0xffffffffU;            // -p^-1 mod 2^32
};

struct FqParams {
  static constexpr int LIMBS = 6;
  static constexpr const char* NAME = "Fq";
  ZK_HD static constexpr uint64_t mod(int i) {
    constexpr uint64_t m[6] = {0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
                               0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL};
    return m[i];
  }
  ZK_HD static constexpr uint64_t r1(int i) {
    constexpr uint64_t m[6] = {0x760900000002fffdULL, 0xebf4000bc40c0002ULL, 0x5f48985753c758baULL,
                               0x77ce585370525745ULL, 0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL};
    return m[i];
  }
  ZK_HD static constexpr uint64_t r2(int i) {
    constexpr uint64_t m[6] = {0xf4df1f341c341746ULL, 0x0a76e6a609d104f1ULL, 0x8de5476c4c95b6d5ULL,
                               0x67eb88a9939d83c0ULL, 0x9a793e85b519952dULL, 0x11988fe592cae3aaULL};
    return m[i];
  }
  static constexpr uint64_t INV64 = 0x89f3fffcfffcfffdULL;
  static constexpr uint32_t INV32 = 0xfffcfffdU;
};
