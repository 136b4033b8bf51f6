// Tiled matrix products of the LLaMA forwards on the GPU (no cuBLAS: the toolkit here has none to
// build against). One kernel template serves the float and the exact-integer products: 64x64
// output tiles, 16-deep slices through shared memory, 256 threads with a 4x4 strided micro-tile
// each; batches over heads with grouped-query offsets; causal products skip the tiles above the
// diagonal. Integer products accumulate exactly in int64 (int32 x int32 or int64 x int32 terms).
#include "cuda_quant_kernels.cuh"

namespace cuda_quant {

namespace {
constexpr int BM = 64, BN = 64, BK = 16, THREADS = 256;

enum Causal : int { DENSE = 0, SKIP_UPPER_TILES = 1, K_UP_TO_ROW = 2 };

// C[z][m][n] = sum_k A[z][m][k] B[z/group][.], with B either [N][K] (NT) or [K][N] (NN).
template <class TA, class TB, class Acc, bool B_K_MAJOR, class Epi>
__global__ void __launch_bounds__(THREADS) gemm(const TA* __restrict__ A, const TB* __restrict__ B, int M, int N, int K, int lda, int ldb,
                                                long long a_batch, long long b_batch, int group, int causal, Epi epi) {
  const int z = blockIdx.z;
  A += z * a_batch;
  B += (z / group) * b_batch;
  const int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
  if (causal == SKIP_UPPER_TILES && n0 > m0 + BM - 1) return;
  const int kend = causal == K_UP_TO_ROW ? min(K, m0 + BM) : K;
  __shared__ TA As[BK][BM + 1];
  __shared__ TB Bs[BK][BN + 1];
  const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
  Acc acc[4][4];
#pragma unroll
  for (int i = 0; i < 4; i++)
#pragma unroll
    for (int j = 0; j < 4; j++) acc[i][j] = Acc(0);
  for (int k0 = 0; k0 < kend; k0 += BK) {
    for (int e = tid; e < BM * BK; e += THREADS) {
      const int i = e / BK, kk = e % BK, m = m0 + i, k = k0 + kk;
      As[kk][i] = (m < M && k < kend) ? A[(long long)m * lda + k] : TA(0);
    }
    for (int e = tid; e < BN * BK; e += THREADS) {
      if (!B_K_MAJOR) {
        const int j = e / BK, kk = e % BK, n = n0 + j, k = k0 + kk;
        Bs[kk][j] = (n < N && k < kend) ? B[(long long)n * ldb + k] : TB(0);
      } else {
        const int kk = e / BN, j = e % BN, n = n0 + j, k = k0 + kk;
        Bs[kk][j] = (n < N && k < kend) ? B[(long long)k * ldb + n] : TB(0);
      }
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < BK; kk++) {
      Acc a[4], b[4];
#pragma unroll
      for (int i = 0; i < 4; i++) a[i] = (Acc)As[kk][ty + 16 * i];
#pragma unroll
      for (int j = 0; j < 4; j++) b[j] = (Acc)Bs[kk][tx + 16 * j];
#pragma unroll
      for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] += a[i] * b[j];
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 4; i++)
#pragma unroll
    for (int j = 0; j < 4; j++) {
      const int m = m0 + ty + 16 * i, n = n0 + tx + 16 * j;
      if (m < M && n < N) epi(z, m, n, acc[i][j]);
    }
}

struct StoreF {
  float* y;
  int ldc;
  __device__ void operator()(int, int m, int n, float v) const { y[(long long)m * ldc + n] = v; }
};
struct StoreQ {
  int64_t* y;
  int ldc, bits;
  fixedpoint::Rounding r;
  __device__ void operator()(int, int m, int n, long long v) const { y[(long long)m * ldc + n] = fixedpoint::rescale(v, bits, r); }
};
struct ScoresF {
  float* s;
  int T;
  float scale;
  __device__ void operator()(int z, int m, int n, float v) const { s[((long long)z * T + m) * T + n] = v * scale; }
};
struct ScoresQ {
  int64_t* s;
  int T, bits;
  fixedpoint::Rounding r;
  __device__ void operator()(int z, int m, int n, long long v) const {
    s[((long long)z * T + m) * T + n] = fixedpoint::rescale(v, bits, r);
  }
};
struct ContextF {
  float* out;
  int H, hd;
  __device__ void operator()(int z, int m, int n, float v) const { out[((long long)m * H + z) * hd + n] = v; }
};
struct ContextQ {
  int64_t* out;
  int H, hd, count;
  int bits[quant::MAX_SEGMENTS];
  fixedpoint::Rounding r;
  __device__ void operator()(int z, int m, int n, long long v) const {
    for (int i = 0; i < count; i++) v = fixedpoint::rescale(v, bits[i], r);
    out[((long long)m * H + z) * hd + n] = v;
  }
};

// zkattn's stacked products: y[z][m][n], every entry (no mask).
struct StoreStacked {
  int64_t* y;
  int rows, cols;
  __device__ void operator()(int z, int m, int n, long long v) const { y[((long long)z * rows + m) * cols + n] = v; }
};

dim3 grid(int M, int N, int batch) { return dim3((N + BN - 1) / BN, (M + BM - 1) / BM, batch); }
}  // namespace

void matmul_f(const float* x, int rows, int in, const float* w, int out, float* y) {
  gemm<float, float, float, false><<<grid(rows, out, 1), THREADS>>>(x, w, rows, out, in, in, in, 0, 0, 1, DENSE, StoreF{y, out});
  CUDA_CHECK_LAUNCH();
}

void matmul_q(const int32_t* x, int rows, int in, const int32_t* w, int out, int bits, fixedpoint::Rounding r, int64_t* y) {
  gemm<int32_t, int32_t, long long, false>
      <<<grid(rows, out, 1), THREADS>>>(x, w, rows, out, in, in, in, 0, 0, 1, DENSE, StoreQ{y, out, bits, r});
  CUDA_CHECK_LAUNCH();
}

void scores_f(const float* q, const float* k, int T, int H, int KV, int hd, float scale, float* s) {
  gemm<float, float, float, false><<<grid(T, T, H), THREADS>>>(q, k, T, T, hd, H * hd, KV * hd, hd, hd, H / KV,
                                                                SKIP_UPPER_TILES, ScoresF{s, T, scale});
  CUDA_CHECK_LAUNCH();
}

void scores_q(const int32_t* q, const int32_t* k, int T, int H, int KV, int hd, int rescale_bits, fixedpoint::Rounding r,
              int64_t* s) {
  gemm<int32_t, int32_t, long long, false><<<grid(T, T, H), THREADS>>>(q, k, T, T, hd, H * hd, KV * hd, hd, hd, H / KV,
                                                                        SKIP_UPPER_TILES, ScoresQ{s, T, rescale_bits, r});
  CUDA_CHECK_LAUNCH();
}

void context_f(const float* p, const float* v, int T, int H, int KV, int hd, float* out) {
  gemm<float, float, float, true><<<grid(T, hd, H), THREADS>>>(p, v, T, hd, T, T, KV * hd, (long long)T * T, hd, H / KV,
                                                               K_UP_TO_ROW, ContextF{out, H, hd});
  CUDA_CHECK_LAUNCH();
}

void context_q(const int64_t* p, const int32_t* v, int T, int H, int KV, int hd, const std::vector<int>& out_rescale,
               fixedpoint::Rounding r, int64_t* out) {
  ContextQ epi{out, H, hd, (int)out_rescale.size(), {}, r};
  if (out_rescale.size() > (size_t)quant::MAX_SEGMENTS) throw std::invalid_argument("too many output rescales");
  for (size_t i = 0; i < out_rescale.size(); i++) epi.bits[i] = out_rescale[i];
  gemm<int64_t, int32_t, long long, true><<<grid(T, hd, H), THREADS>>>(p, v, T, hd, T, T, KV * hd, (long long)T * T, hd, H / KV,
                                                                        K_UP_TO_ROW, epi);
  CUDA_CHECK_LAUNCH();
}

void zkattn_logits(const int32_t* q, const int32_t* k, int H, int m, int n, int d, int64_t* s) {
  gemm<int32_t, int32_t, long long, false><<<grid(m, n, H), THREADS>>>(q, k, m, n, d, d, d, (long long)m * d, (long long)n * d, 1,
                                                                        DENSE, StoreStacked{s, m, n});
  CUDA_CHECK_LAUNCH();
}

void zkattn_context(const int64_t* y, const int32_t* v, int H, int m, int n, int d, int64_t* u) {
  gemm<int64_t, int32_t, long long, true><<<grid(m, d, H), THREADS>>>(y, v, m, d, n, n, d, (long long)m * n, (long long)n * d, 1,
                                                                       DENSE, StoreStacked{u, m, d});
  CUDA_CHECK_LAUNCH();
}

}  // namespace cuda_quant
