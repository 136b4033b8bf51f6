// Device-side experiment: candidate bodies of the Montgomery product, checked against the host
// product on random inputs and timed in the anchor's shape (one dependent chain of 1024 products
// per thread, 132·4096 threads). Built and run on the GPU machine:
//   nvcc -O3 -std=c++17 -arch=sm_90 scripts/gpu/field-mul-variants.cu -o /tmp/mulvar && /tmp/mulvar
#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>
#include "../../native/backend/cuda_common.cuh"
#include "../../native/field/field.cuh"
#include "../../native/field/field_ptx.cuh"

namespace v1 {
// CIOS Montgomery product with 32-bit limbs: for each word of b, add a·b_i (low halves in one
// carry chain, high halves in a second), then add m·p with m = t_0·(−p⁻¹) and drop one word.
template <int L64, class P>
__device__ __forceinline__ void mont_mul_cios(uint64_t* rv, const uint64_t* av, const uint64_t* bv) {
  constexpr int N = 2 * L64;
  uint32_t a[N], b[N], t[N + 2], r[N];
  zk_ptx::unpack<L64>(a, av);
  zk_ptx::unpack<L64>(b, bv);
#pragma unroll
  for (int i = 0; i < N + 2; i++) t[i] = 0;
#pragma unroll
  for (int i = 0; i < N; i++) {
    const uint32_t bi = b[i];
    asm volatile("mad.lo.cc.u32 %0, %1, %2, %0;" : "+r"(t[0]) : "r"(a[0]), "r"(bi));
#pragma unroll
    for (int j = 1; j < N; j++) asm volatile("madc.lo.cc.u32 %0, %1, %2, %0;" : "+r"(t[j]) : "r"(a[j]), "r"(bi));
    asm volatile("addc.cc.u32 %0, %0, 0;" : "+r"(t[N]));
    asm volatile("addc.u32 %0, %0, 0;" : "+r"(t[N + 1]));
    asm volatile("mad.hi.cc.u32 %0, %1, %2, %0;" : "+r"(t[1]) : "r"(a[0]), "r"(bi));
#pragma unroll
    for (int j = 1; j < N; j++) asm volatile("madc.hi.cc.u32 %0, %1, %2, %0;" : "+r"(t[j + 1]) : "r"(a[j]), "r"(bi));
    asm volatile("addc.u32 %0, %0, 0;" : "+r"(t[N + 1]));

    const uint32_t m = t[0] * P::INV32;
    asm volatile("mad.lo.cc.u32 %0, %1, %2, %0;" : "+r"(t[0]) : "r"(zk_ptx::mod32<P>(0)), "r"(m));
#pragma unroll
    for (int j = 1; j < N; j++) asm volatile("madc.lo.cc.u32 %0, %1, %2, %0;" : "+r"(t[j]) : "r"(zk_ptx::mod32<P>(j)), "r"(m));
    asm volatile("addc.cc.u32 %0, %0, 0;" : "+r"(t[N]));
    asm volatile("addc.u32 %0, %0, 0;" : "+r"(t[N + 1]));
    asm volatile("mad.hi.cc.u32 %0, %1, %2, %0;" : "+r"(t[1]) : "r"(zk_ptx::mod32<P>(0)), "r"(m));
#pragma unroll
    for (int j = 1; j < N; j++) asm volatile("madc.hi.cc.u32 %0, %1, %2, %0;" : "+r"(t[j + 1]) : "r"(zk_ptx::mod32<P>(j)), "r"(m));
    asm volatile("addc.u32 %0, %0, 0;" : "+r"(t[N + 1]));
#pragma unroll
    for (int j = 0; j < N + 1; j++) t[j] = t[j + 1];
    t[N + 1] = 0;
  }
  // 2p < R, so the result is < 2p and t[N] is zero here.
  zk_ptx::reduce_once<N, P>(r, t);
  zk_ptx::pack<L64>(rv, r);
}

}  // namespace v1

namespace v2 {
// CIOS with 64-bit multiply-add (IMAD.WIDE) in plain C.
template <int L64, class P>
__device__ __forceinline__ void mont_mul(uint64_t* rv, const uint64_t* av, const uint64_t* bv) {
  constexpr int N = 2 * L64;
  uint32_t a[N], b[N], t[N + 2], r[N];
  zk_ptx::unpack<L64>(a, av);
  zk_ptx::unpack<L64>(b, bv);
#pragma unroll
  for (int i = 0; i < N + 2; i++) t[i] = 0;
#pragma unroll
  for (int i = 0; i < N; i++) {
    uint64_t c = 0;
#pragma unroll
    for (int j = 0; j < N; j++) {
      c = (uint64_t)a[j] * b[i] + t[j] + (c >> 32);
      t[j] = (uint32_t)c;
    }
    uint64_t s = (uint64_t)t[N] + (c >> 32);
    t[N] = (uint32_t)s;
    t[N + 1] = (uint32_t)(s >> 32);
    const uint32_t m = t[0] * P::INV32;
    c = (uint64_t)m * zk_ptx::mod32<P>(0) + t[0];
#pragma unroll
    for (int j = 1; j < N; j++) {
      c = (uint64_t)m * zk_ptx::mod32<P>(j) + t[j] + (c >> 32);
      t[j - 1] = (uint32_t)c;
    }
    s = (uint64_t)t[N] + (c >> 32);
    t[N - 1] = (uint32_t)s;
    t[N] = t[N + 1] + (uint32_t)(s >> 32);
  }
  zk_ptx::reduce_once<N, P>(r, t);
  zk_ptx::pack<L64>(rv, r);
}
}  // namespace v2

template <class F, int V>
__device__ __forceinline__ F mul(const F& x, const F& y) {
  if constexpr (V == 0) {
    return x * y;
  } else {
    F r;
    if constexpr (V == 1) v1::mont_mul_cios<F::LIMBS, typename F::Params>(r.v, x.v, y.v);
    else v2::mont_mul<F::LIMBS, typename F::Params>(r.v, x.v, y.v);
    return r;
  }
}

template <class F, int V>
__global__ void check_kernel(const F* x, const F* y, F* out, size_t n) {
  size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i < n) out[i] = mul<F, V>(x[i], y[i]);
}

template <class F, int V>
__global__ void chain_kernel(F* out, size_t threads) {
  size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= threads) return;
  F x = F::from_u64(i + 7), y = F::from_u64(0x9e3779b97f4a7c15ULL ^ i);
  for (int k = 0; k < 1024; k++) x = mul<F, V>(x, y);
  out[i] = x;
}

template <class F>
F random_element(std::mt19937_64& g) {
  for (;;) {
    F r;
    for (int i = 0; i < F::LIMBS; i++) r.v[i] = g();
    r.v[F::LIMBS - 1] >>= 1;
    if (r.raw_less_than_modulus()) return r;
  }
}

template <class F, int V>
void run(const char* name) {
  const size_t n = 1 << 20;
  std::mt19937_64 g(12345 + V);
  std::vector<F> x(n), y(n), ref(n), got(n);
  for (size_t i = 0; i < n; i++) x[i] = random_element<F>(g), y[i] = random_element<F>(g);
  for (size_t i = 0; i < n; i++) ref[i] = x[i] * y[i];
  DeviceBuffer<F> dx(x.data(), n), dy(y.data(), n), dout(n);
  check_kernel<F, V><<<blocks_for(n, 256), 256>>>(dx.get(), dy.get(), dout.get(), n);
  CUDA_CHECK_LAUNCH();
  dout.download(got.data(), n);
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) bad += !(got[i] == ref[i]);
  const size_t threads = 132 * 4096;
  DeviceBuffer<F> out(threads);
  CudaEvent a, b;
  std::vector<float> ts;
  for (int r = 0; r < 6; r++) {
    a.record();
    chain_kernel<F, V><<<blocks_for(threads, 256), 256>>>(out.get(), threads);
    CUDA_CHECK_LAUNCH();
    b.record();
    ts.push_back(b.ms_since(a));
  }
  std::sort(ts.begin() + 1, ts.end());
  double ms = ts[3];
  printf("%-14s mismatches %zu/%zu  chain %.3f ms  %.2f G mul/s\n", name, bad, n, ms, threads * 1024.0 / (ms * 1e-3) / 1e9);
}

int main() {
  run<Fr, 0>("Fr v0 even-odd");
  run<Fr, 1>("Fr v1 ptx-cios");
  run<Fr, 2>("Fr v2 wide-c");
  run<Fq, 0>("Fq v0 even-odd");
  run<Fq, 1>("Fq v1 ptx-cios");
  run<Fq, 2>("Fq v2 wide-c");
  return 0;
}
