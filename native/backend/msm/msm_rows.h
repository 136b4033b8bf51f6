// Row-batched MSM: many multi-scalar multiplications that share one point vector, as in a
// row-wise Pedersen commitment. Row r is  Σ_{c < cols} s[r·cols + c]·points[c],  and flat indices
// at or beyond n count as zero (a zero-padded last row). g1_msm is the one-row case.
//
// Scalars come in two kinds: canonical integers (ScalarRaw, below r) and signed 32-bit integers.
// A negative integer contributes |s|·(−P): its digits are those of |s| with a negate flag, and the
// bucket adds −P (one field negation) instead of P. So the integer path needs no offset and no
// 2^32 wrap-around, and |INT32_MIN| = 2^31 still fits in 32 digit bits.
// `bits` bounds every |s| by 2^bits; windows above it would only hold zero digits and are skipped,
// which is why a tensor of small integers costs a few windows instead of 255/c.
#pragma once
#include <cstdint>
#include "msm.h"
#include "../../curve/msm_windows.h"

struct MsmRowsScalars {
  const ScalarRaw* raw = nullptr;  // exactly one of raw and ints is set
  const int32_t* ints = nullptr;
  int bits = SCALAR_BITS;          // 0..255 (0..32 for ints): every |s| < 2^bits
};

// Each writes ceil(n / cols) row sums to out; g1_msm_rows(Backend, ...) below picks one.
namespace cpu {
void g1_msm_rows(const G1Affine* points, size_t cols, const MsmRowsScalars& s, size_t n, G1Jacobian* out,
                 MsmTiming* timing = nullptr);
}
namespace cuda {
void g1_msm_rows(const G1Affine* points, size_t cols, const MsmRowsScalars& s, size_t n, G1Jacobian* out,
                 MsmTiming* timing = nullptr);
}
void g1_msm_rows(Backend b, const G1Affine* points, size_t cols, const MsmRowsScalars& s, size_t n, G1Jacobian* out,
                 MsmTiming* timing = nullptr);

// A digit is a window's value of |s| with MSM_DIGIT_NEGATE set when s < 0 (and the digit nonzero).
constexpr uint32_t MSM_DIGIT_NEGATE = 0x80000000u;

struct RawScalarDigits {
  const ScalarRaw* s;
  ZK_HD uint32_t operator()(size_t i, int start, int c) const { return scalar_window(s[i], start, c); }
};

struct Int32Digits {
  const int32_t* s;
  ZK_HD uint32_t operator()(size_t i, int start, int c) const {
    const int32_t v = s[i];
    const uint32_t mag = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    const uint32_t d = start < 32 ? (mag >> start) & ((1u << c) - 1) : 0u;
    return d && v < 0 ? d | MSM_DIGIT_NEGATE : d;
  }
};

// Splits `bits` into the fewest windows of at most `c_max` bits, then evens them out: 17 bits at
// c_max = 13 become two windows of 9, not 13 + 4 (the 4-bit window would pile every point into
// 15 buckets, which on the GPU is one long serial chain per bucket).
inline int msm_even_window_bits(int bits, int c_max) {
  if (bits <= 0) return 1;
  const int windows = (bits + c_max - 1) / c_max;
  return (bits + windows - 1) / windows;
}
