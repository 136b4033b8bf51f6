// Device bodies of the field operations: 32-bit limbs and PTX carry chains.
// Included by field.cuh only when compiling device code. Every loop is fully unrolled so the limb
// arrays stay in registers; a carry chain is never interrupted by an instruction that writes CC.
#pragma once
#include <cstdint>

namespace zk_ptx {

template <int L64>
__device__ __forceinline__ void unpack(uint32_t* w, const uint64_t* v) {
#pragma unroll
  for (int i = 0; i < L64; i++) {
    w[2 * i] = (uint32_t)v[i];
    w[2 * i + 1] = (uint32_t)(v[i] >> 32);
  }
}
template <int L64>
__device__ __forceinline__ void pack(uint64_t* v, const uint32_t* w) {
#pragma unroll
  for (int i = 0; i < L64; i++) v[i] = ((uint64_t)w[2 * i + 1] << 32) | w[2 * i];
}
template <class P>
__device__ __forceinline__ uint32_t mod32(int i) {
  return (uint32_t)(P::mod(i >> 1) >> (32 * (i & 1)));
}

// r = a - p if a >= p else a, for a < 2p.
template <int N, class P>
__device__ __forceinline__ void reduce_once(uint32_t* r, const uint32_t* a) {
  uint32_t s[N];
  uint32_t borrow;
  asm("sub.cc.u32 %0, %1, %2;" : "=r"(s[0]) : "r"(a[0]), "r"(mod32<P>(0)));
#pragma unroll
  for (int i = 1; i < N; i++) asm("subc.cc.u32 %0, %1, %2;" : "=r"(s[i]) : "r"(a[i]), "r"(mod32<P>(i)));
  asm("subc.u32 %0, 0, 0;" : "=r"(borrow));
#pragma unroll
  for (int i = 0; i < N; i++) r[i] = borrow ? a[i] : s[i];
}

template <int L64, class P>
__device__ __forceinline__ void add_mod(uint64_t* rv, const uint64_t* av, const uint64_t* bv) {
  constexpr int N = 2 * L64;
  uint32_t a[N], b[N], s[N], r[N];
  unpack<L64>(a, av);
  unpack<L64>(b, bv);
  asm("add.cc.u32 %0, %1, %2;" : "=r"(s[0]) : "r"(a[0]), "r"(b[0]));
#pragma unroll
  for (int i = 1; i < N; i++) asm("addc.cc.u32 %0, %1, %2;" : "=r"(s[i]) : "r"(a[i]), "r"(b[i]));
  reduce_once<N, P>(r, s);
  pack<L64>(rv, r);
}

template <int L64, class P>
__device__ __forceinline__ void sub_mod(uint64_t* rv, const uint64_t* av, const uint64_t* bv) {
  constexpr int N = 2 * L64;
  uint32_t a[N], b[N], d[N], borrow;
  unpack<L64>(a, av);
  unpack<L64>(b, bv);
  asm("sub.cc.u32 %0, %1, %2;" : "=r"(d[0]) : "r"(a[0]), "r"(b[0]));
#pragma unroll
  for (int i = 1; i < N; i++) asm("subc.cc.u32 %0, %1, %2;" : "=r"(d[i]) : "r"(a[i]), "r"(b[i]));
  asm("subc.u32 %0, 0, 0;" : "=r"(borrow));
  // add back p masked by the borrow (all-ones or zero)
  asm("add.cc.u32 %0, %0, %1;" : "+r"(d[0]) : "r"(mod32<P>(0) & borrow));
#pragma unroll
  for (int i = 1; i < N; i++) asm("addc.cc.u32 %0, %0, %1;" : "+r"(d[i]) : "r"(mod32<P>(i) & borrow));
  pack<L64>(rv, d);
}

// CIOS Montgomery product with 32-bit limbs: for each word of b, add a·b_i (low halves in one
// carry chain, high halves in a second), then add m·p with m = t_0·(−p⁻¹) and drop one word.
template <int L64, class P>
__device__ __forceinline__ void mont_mul(uint64_t* rv, const uint64_t* av, const uint64_t* bv) {
  constexpr int N = 2 * L64;
  uint32_t a[N], b[N], t[N + 2], r[N];
  unpack<L64>(a, av);
  unpack<L64>(b, bv);
#pragma unroll
  for (int i = 0; i < N + 2; i++) t[i] = 0;
#pragma unroll
  for (int i = 0; i < N; i++) {
    const uint32_t bi = b[i];
    asm("mad.lo.cc.u32 %0, %1, %2, %0;" : "+r"(t[0]) : "r"(a[0]), "r"(bi));
#pragma unroll
    for (int j = 1; j < N; j++) asm("madc.lo.cc.u32 %0, %1, %2, %0;" : "+r"(t[j]) : "r"(a[j]), "r"(bi));
    asm("addc.cc.u32 %0, %0, 0;" : "+r"(t[N]));
    asm("addc.u32 %0, %0, 0;" : "+r"(t[N + 1]));
    asm("mad.hi.cc.u32 %0, %1, %2, %0;" : "+r"(t[1]) : "r"(a[0]), "r"(bi));
#pragma unroll
    for (int j = 1; j < N; j++) asm("madc.hi.cc.u32 %0, %1, %2, %0;" : "+r"(t[j + 1]) : "r"(a[j]), "r"(bi));
    asm("addc.u32 %0, %0, 0;" : "+r"(t[N + 1]));

    const uint32_t m = t[0] * P::INV32;
    asm("mad.lo.cc.u32 %0, %1, %2, %0;" : "+r"(t[0]) : "r"(mod32<P>(0)), "r"(m));
#pragma unroll
    for (int j = 1; j < N; j++) asm("madc.lo.cc.u32 %0, %1, %2, %0;" : "+r"(t[j]) : "r"(mod32<P>(j)), "r"(m));
    asm("addc.cc.u32 %0, %0, 0;" : "+r"(t[N]));
    asm("addc.u32 %0, %0, 0;" : "+r"(t[N + 1]));
    asm("mad.hi.cc.u32 %0, %1, %2, %0;" : "+r"(t[1]) : "r"(mod32<P>(0)), "r"(m));
#pragma unroll
    for (int j = 1; j < N; j++) asm("madc.hi.cc.u32 %0, %1, %2, %0;" : "+r"(t[j + 1]) : "r"(mod32<P>(j)), "r"(m));
    asm("addc.u32 %0, %0, 0;" : "+r"(t[N + 1]));
#pragma unroll
    for (int j = 0; j < N + 1; j++) t[j] = t[j + 1];
    t[N + 1] = 0;
  }
  // 2p < R, so the result is < 2p and t[N] is zero here.
  reduce_once<N, P>(r, t);
  pack<L64>(rv, r);
}

}  // namespace zk_ptx
