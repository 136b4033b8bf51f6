// Kernels behind the Pedersen generators (native/commit/generators.h): derive the generators
// (kind, first), ..., (kind, first + count − 1) of a label digest by the hash-to-G1 map of
// native/commit/hash_to_g1.cuh, into affine points. Both bodies run the same per-point code, so
// they write the same points. (The commitments' row MSMs are in msm_rows.h.)
#pragma once
#include <cstdint>
#include "backend.h"
#include "../commit/generators.h"

namespace cpu {
void derive_generators(const uint8_t digest[32], uint8_t kind, uint64_t first, size_t count, G1Affine* out);
}
namespace cuda {
// Row commitments of n full field elements (rows of w = key.g.size()) against the generators'
// window table: out gets ceil(n / w) Jacobian rows.
void commit_rows_fixed_base(const PedersenGenerators& key, const ScalarRaw* scalars, size_t n, G1Jacobian* out,
                            MsmTiming* timing);
void derive_generators(const uint8_t digest[32], uint8_t kind, uint64_t first, size_t count, G1Affine* out);
}
inline void derive_generators(Backend b, const uint8_t digest[32], uint8_t kind, uint64_t first, size_t count,
                              G1Affine* out) {
  b == Backend::Cuda ? cuda::derive_generators(digest, kind, first, count, out)
                     : cpu::derive_generators(digest, kind, first, count, out);
}
