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
  asm volatile("sub.cc.u32 %0, %1, %2;" : "=r"(s[0]) : "r"(a[0]), "r"(mod32<P>(0)));
#pragma unroll
  for (int i = 1; i < N; i++) asm volatile("subc.cc.u32 %0, %1, %2;" : "=r"(s[i]) : "r"(a[i]), "r"(mod32<P>(i)));
  asm volatile("subc.u32 %0, 0, 0;" : "=r"(borrow));
#pragma unroll
  for (int i = 0; i < N; i++) r[i] = borrow ? a[i] : s[i];
}

template <int L64, class P>
__device__ __forceinline__ void add_mod(uint64_t* rv, const uint64_t* av, const uint64_t* bv) {
  constexpr int N = 2 * L64;
  uint32_t a[N], b[N], s[N], r[N];
  unpack<L64>(a, av);
  unpack<L64>(b, bv);
  asm volatile("add.cc.u32 %0, %1, %2;" : "=r"(s[0]) : "r"(a[0]), "r"(b[0]));
#pragma unroll
  for (int i = 1; i < N; i++) asm volatile("addc.cc.u32 %0, %1, %2;" : "=r"(s[i]) : "r"(a[i]), "r"(b[i]));
  reduce_once<N, P>(r, s);
  pack<L64>(rv, r);
}

template <int L64, class P>
__device__ __forceinline__ void sub_mod(uint64_t* rv, const uint64_t* av, const uint64_t* bv) {
  constexpr int N = 2 * L64;
  uint32_t a[N], b[N], d[N], borrow;
  unpack<L64>(a, av);
  unpack<L64>(b, bv);
  asm volatile("sub.cc.u32 %0, %1, %2;" : "=r"(d[0]) : "r"(a[0]), "r"(b[0]));
#pragma unroll
  for (int i = 1; i < N; i++) asm volatile("subc.cc.u32 %0, %1, %2;" : "=r"(d[i]) : "r"(a[i]), "r"(b[i]));
  asm volatile("subc.u32 %0, 0, 0;" : "=r"(borrow));
  // add back p masked by the borrow (all-ones or zero)
  asm volatile("add.cc.u32 %0, %0, %1;" : "+r"(d[0]) : "r"(mod32<P>(0) & borrow));
#pragma unroll
  for (int i = 1; i < N; i++) asm volatile("addc.cc.u32 %0, %0, %1;" : "+r"(d[i]) : "r"(mod32<P>(i) & borrow));
  pack<L64>(rv, d);
}

// Montgomery product (CIOS) with the accumulator split into an "even" array E holding positions
// 0..N-1 and an "odd" array O holding positions 1..N (value E + 2^32·O). Then the products
// x_{2k}·s fall on disjoint limb pairs of E and x_{2k+1}·s on disjoint pairs of O, so each
// lo/hi pair of one product is adjacent in one carry chain, which ptxas turns into a single
// wide multiply-add with carry. Dividing by 2^32 after each row swaps the roles of the arrays:
// the old O becomes the new E, and the old E, shifted by two limbs, is folded into the new O by
// the multiply chain itself.

// acc = Σ_k x_{2k+off}·s at limb pair k (plain products, no carries: the pairs do not overlap)
template <int N>
__device__ __forceinline__ void mul_pairs(uint32_t* acc, const uint32_t* x, int off, uint32_t s) {
#pragma unroll
  for (int k = 0; k < N / 2; k++) {
    asm volatile("mul.lo.u32 %0, %1, %2;" : "=r"(acc[2 * k]) : "r"(x[2 * k + off]), "r"(s));
    asm volatile("mul.hi.u32 %0, %1, %2;" : "=r"(acc[2 * k + 1]) : "r"(x[2 * k + off]), "r"(s));
  }
}
// acc += Σ_k x_{2k+off}·s at limb pair k, one fresh carry chain; the carry out is left in CC.
template <int N>
__device__ __forceinline__ void mad_pairs(uint32_t* acc, const uint32_t* x, int off, uint32_t s) {
  asm volatile("mad.lo.cc.u32 %0, %1, %2, %0;" : "+r"(acc[0]) : "r"(x[off]), "r"(s));
  asm volatile("madc.hi.cc.u32 %0, %1, %2, %0;" : "+r"(acc[1]) : "r"(x[off]), "r"(s));
#pragma unroll
  for (int k = 1; k < N / 2; k++) {
    asm volatile("madc.lo.cc.u32 %0, %1, %2, %0;" : "+r"(acc[2 * k]) : "r"(x[2 * k + off]), "r"(s));
    asm volatile("madc.hi.cc.u32 %0, %1, %2, %0;" : "+r"(acc[2 * k + 1]) : "r"(x[2 * k + off]), "r"(s));
  }
}
// acc = (acc >> 64) + Σ_k x_{2k+1}·s at limb pair k, continuing the carry chain already in CC.
template <int N>
__device__ __forceinline__ void mad_odd_pairs_shift2(uint32_t* acc, const uint32_t* x, uint32_t s) {
#pragma unroll
  for (int k = 0; k < N / 2 - 1; k++) {
    asm volatile("madc.lo.cc.u32 %0, %1, %2, %3;" : "=r"(acc[2 * k]) : "r"(x[2 * k + 1]), "r"(s), "r"(acc[2 * k + 2]));
    asm volatile("madc.hi.cc.u32 %0, %1, %2, %3;" : "=r"(acc[2 * k + 1]) : "r"(x[2 * k + 1]), "r"(s), "r"(acc[2 * k + 3]));
  }
  asm volatile("madc.lo.cc.u32 %0, %1, %2, 0;" : "=r"(acc[N - 2]) : "r"(x[N - 1]), "r"(s));
  asm volatile("madc.hi.u32 %0, %1, %2, 0;" : "=r"(acc[N - 1]) : "r"(x[N - 1]), "r"(s));
}

// One CIOS row with multiplier s: V = (V + a·s + m·p) / 2^32, E and O as described above; on
// return the roles have moved (the caller passes the arrays swapped for the next row).
template <int N, class P>
__device__ __forceinline__ void mont_row(uint32_t* E, uint32_t* O, const uint32_t* a, const uint32_t* p, uint32_t s,
                                         bool first) {
  if (first) {
    mul_pairs<N>(O, a, 1, s);
    mul_pairs<N>(E, a, 0, s);
  } else {
    // E (the previous O) takes position 0 of the previous E, O takes its positions 2..N-1.
    asm volatile("add.cc.u32 %0, %0, %1;" : "+r"(E[0]) : "r"(O[1]));
    mad_odd_pairs_shift2<N>(O, a, s);
    mad_pairs<N>(E, a, 0, s);
    asm volatile("addc.u32 %0, %0, 0;" : "+r"(O[N - 1]));
  }
  const uint32_t m = E[0] * P::INV32;
  mad_pairs<N>(O, p, 1, m);
  if constexpr ((P::mod(0) & 0xffffffffu) == 1) {
    // Lowest limb of p is 1 (true for Fr): m·p_0 is just m, so that pair is an addition.
    asm volatile("add.cc.u32 %0, %0, %1;" : "+r"(E[0]) : "r"(m));
    asm volatile("addc.cc.u32 %0, %0, 0;" : "+r"(E[1]));
#pragma unroll
    for (int k = 1; k < N / 2; k++) {
      asm volatile("madc.lo.cc.u32 %0, %1, %2, %0;" : "+r"(E[2 * k]) : "r"(p[2 * k]), "r"(m));
      asm volatile("madc.hi.cc.u32 %0, %1, %2, %0;" : "+r"(E[2 * k + 1]) : "r"(p[2 * k]), "r"(m));
    }
  } else {
    mad_pairs<N>(E, p, 0, m);
  }
  asm volatile("addc.u32 %0, %0, 0;" : "+r"(O[N - 1]));
}

template <int L64, class P>
__device__ __forceinline__ void mont_mul(uint64_t* rv, const uint64_t* av, const uint64_t* bv) {
  constexpr int N = 2 * L64;
  uint32_t a[N], b[N], p[N], even[N], odd[N], r[N];
  unpack<L64>(a, av);
  unpack<L64>(b, bv);
#pragma unroll
  for (int i = 0; i < N; i++) p[i] = mod32<P>(i);
#pragma unroll
  for (int i = 0; i < N; i += 2) {
    mont_row<N, P>(even, odd, a, p, b[i], i == 0);
    mont_row<N, P>(odd, even, a, p, b[i + 1], false);
  }
  // Last division by 2^32: even holds positions 0..N-1, odd[1..N-1] positions 0..N-2.
  asm volatile("add.cc.u32 %0, %0, %1;" : "+r"(even[0]) : "r"(odd[1]));
#pragma unroll
  for (int i = 1; i < N - 1; i++) asm volatile("addc.cc.u32 %0, %0, %1;" : "+r"(even[i]) : "r"(odd[i + 1]));
  asm volatile("addc.u32 %0, %0, 0;" : "+r"(even[N - 1]));
  // 2p < R, so the result is < 2p.
  reduce_once<N, P>(r, even);
  pack<L64>(rv, r);
}

}  // namespace zk_ptx
