// CPU matrix products of the LLaMA forwards: activations [rows, in] times a weight matrix in
// Hugging Face's [out, in] layout, so every output is a dot product of two contiguous rows. Each
// thread takes a range of weight rows (output columns) and runs it against every activation row,
// four weight rows at a time; the fixed-width partial sums let the compiler vectorize the float
// reduction (it may not reassociate a plain running sum) and the int64 one.
#include <cstring>
#include <stdexcept>
#include "../../platform/cpu_parallel.h"
#include "cpu_quant_kernels.h"

namespace cpu_quant {

namespace {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ZK_MULTIVERSION __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define ZK_MULTIVERSION
#endif

// Eight-float vectors (GCC/Clang vector extensions): one AVX register, or two SSE ones in the
// baseline build; unaligned loads go through memcpy.
// The helpers below are always inlined, so the vector ABI note GCC gives for them does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float v8f __attribute__((vector_size(32)));
__attribute__((always_inline)) inline v8f load8(const float* p) {
  v8f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
__attribute__((always_inline)) inline float hsum(const v8f& v) {
  float s = 0;
  for (int j = 0; j < 8; j++) s += v[j];
  return s;
}

ZK_MULTIVERSION
void dot4_f(const float* x, const float* w0, const float* w1, const float* w2, const float* w3, int n, float* out) {
  v8f a0 = {}, a1 = {}, a2 = {}, a3 = {};
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const v8f xv = load8(x + i);
    a0 += xv * load8(w0 + i);
    a1 += xv * load8(w1 + i);
    a2 += xv * load8(w2 + i);
    a3 += xv * load8(w3 + i);
  }
  float s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
  for (; i < n; i++) {
    s0 += x[i] * w0[i];
    s1 += x[i] * w1[i];
    s2 += x[i] * w2[i];
    s3 += x[i] * w3[i];
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

typedef int32_t v4i __attribute__((vector_size(16)));
typedef int64_t v4l __attribute__((vector_size(32)));
__attribute__((always_inline)) inline v4l load4_wide(const int32_t* p) {
  v4i v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, v4l);
}
__attribute__((always_inline)) inline int64_t hsum(const v4l& v) { return v[0] + v[1] + v[2] + v[3]; }

ZK_MULTIVERSION
void dot4_q(const int32_t* x, const int32_t* w0, const int32_t* w1, const int32_t* w2, const int32_t* w3, int n, int64_t* out) {
  v4l a0 = {}, a1 = {}, a2 = {}, a3 = {};
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v4l xv = load4_wide(x + i);
    a0 += xv * load4_wide(w0 + i);
    a1 += xv * load4_wide(w1 + i);
    a2 += xv * load4_wide(w2 + i);
    a3 += xv * load4_wide(w3 + i);
  }
  int64_t s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
  for (; i < n; i++) {
    s0 += (int64_t)x[i] * w0[i];
    s1 += (int64_t)x[i] * w1[i];
    s2 += (int64_t)x[i] * w2[i];
    s3 += (int64_t)x[i] * w3[i];
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

// Runs `emit(t, o, acc4)` for every activation row t and group of four weight rows o..o+3 (the
// last group reuses its final row for missing ones and emits only the real ones). Threads take
// blocks of weight rows; inside a block, activation rows go in tiles, so both tiles stay in cache
// and each output row is written in contiguous runs.
template <class T, class Acc, class Dot, class Emit>
void for_weight_groups(const T* x, int rows, int in, const T* w, int out, Dot dot, Emit emit) {
  constexpr int COL_BLOCK = 64, ROW_TILE = 32;
  const size_t blocks = (size_t)(out + COL_BLOCK - 1) / COL_BLOCK;
  cpu_parallel_chunks(
      blocks,
      [&](size_t lo, size_t hi, size_t) {
        Acc acc[4];
        for (size_t b = lo; b < hi; b++) {
          const int o0 = (int)b * COL_BLOCK, o1 = std::min(out, o0 + COL_BLOCK);
          for (int t0 = 0; t0 < rows; t0 += ROW_TILE) {
            const int t1 = std::min(rows, t0 + ROW_TILE);
            for (int o = o0; o < o1; o += 4) {
              const T* wr[4];
              for (int j = 0; j < 4; j++) wr[j] = w + (size_t)std::min(o + j, out - 1) * in;
              for (int t = t0; t < t1; t++) {
                dot(x + (size_t)t * in, wr[0], wr[1], wr[2], wr[3], in, acc);
                for (int j = 0; j < 4 && o + j < o1; j++) emit(t, o + j, acc[j]);
              }
            }
          }
        }
      },
      1);
}
}  // namespace

void matmul_f(const float* x, int rows, int in, const float* w, int out, float* y) {
  for_weight_groups<float, float>(x, rows, in, w, out, dot4_f, [&](int t, int o, float v) { y[(size_t)t * out + o] = v; });
}

void matmul_q(const int32_t* x, int rows, int in, const int32_t* w, int out, int bits, fixedpoint::Rounding r, int64_t* y) {
  for_weight_groups<int32_t, int64_t>(x, rows, in, w, out, dot4_q,
                                      [&](int t, int o, int64_t v) { y[(size_t)t * out + o] = fixedpoint::rescale(v, bits, r); });
}

int64_t to_int32(const int64_t* a, size_t n, int32_t* out, const char* what) {
  std::vector<int64_t> maxes(cpu::thread_count(), 0);
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t t) {
    int64_t mx = 0;
    for (size_t i = lo; i < hi; i++) {
      const int64_t v = a[i];
      if (!fixedpoint::fits_int32(v))
        throw std::range_error(std::string(what) + ": value " + std::to_string(v) + " at index " + std::to_string(i) +
                               " does not fit an int32; lower valueBits");
      out[i] = (int32_t)v;
      mx = std::max(mx, v < 0 ? -v : v);
    }
    maxes[t] = mx;
  });
  return *std::max_element(maxes.begin(), maxes.end());
}

}  // namespace cpu_quant
