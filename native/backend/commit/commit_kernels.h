// Kernels behind the Pedersen layer (native/commit/): derive the generators (kind, first), ...,
// (kind, first + count − 1) of a label digest by the hash-to-G1 map of native/commit/hash_to_g1.cuh
// (both bodies run the same per-point code, so they write the same points), and the row sums of a
// row-wise commitment. commit_dispatch.cpp picks the body.
#pragma once
#include <cstdint>
#include "../../commit/generators.h"
#include "../msm/msm_rows.h"

void derive_generators(Backend b, const uint8_t digest[32], uint8_t kind, uint64_t first, size_t count, G1Affine* out);
// ceil(n / w) row sums Σ_c s[r·w + c]·g_c of a commitment with rows of w = gens.g.size().
void commit_rows(Backend b, const PedersenGenerators& gens, const MsmRowsScalars& s, size_t n, G1Jacobian* out,
                 MsmTiming* timing);

namespace cpu {
void derive_generators(const uint8_t digest[32], uint8_t kind, uint64_t first, size_t count, G1Affine* out);
}
namespace cuda {
// Row commitments of n full field elements (rows of w = key.g.size()) against the generators'
// window table: out gets ceil(n / w) Jacobian rows.
void commit_rows_fixed_base(const PedersenGenerators& key, const ScalarRaw* scalars, size_t n, G1Jacobian* out,
                            MsmTiming* timing);
void derive_generators(const uint8_t digest[32], uint8_t kind, uint64_t first, size_t count, G1Affine* out);
}  // namespace cuda
