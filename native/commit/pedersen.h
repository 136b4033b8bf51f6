// Row-wise Pedersen commitments to a tensor. A tensor t of n elements is cut into
// ceil(n / w) rows of w = gens.g.size() (the last one zero-padded), and row r is committed as
//   C_r = Σ_{c < w} t[r·w + c]·g_c.
// There is no blinding term: the commitment is binding (nobody knows relations among the g_c,
// see generators.h) but not hiding, and equal tensors get equal commitments. That is what the
// proofs here need (soundness, not zero knowledge); a hiding variant would add r_r·H per row.
//
// Two scalar paths on the same row-batched bucket MSM (backend/msm_rows.h):
//  - int32 values (quantized tensors): negative values add −g_c, and only as many windows as the
//    largest |t| needs are processed (2 or 3 instead of ~20 for 16-bit values);
//  - field elements (inverses, multiplicities, anything in [0, p)): the general path, again with
//    windows only up to the largest element's bit length; on the GPU, elements wider than 32 bits
//    use the generators' fixed-base window table instead (backend/cuda_window_table.cuh).
// The CPU and CUDA bodies compute the same group elements, so the affine bytes are identical.
#pragma once
#include <cstdint>
#include <vector>
#include "../backend/backend.h"
#include "generators.h"

struct PedersenTiming {
  double msm_ms = 0;    // the row MSMs, uploads included
  double total_ms = 0;  // with scalar preparation and the conversion to affine
};

// Each returns ceil(n / w) affine row commitments; throws std::invalid_argument when n = 0.
std::vector<G1Affine> pedersen_commit_rows(Backend b, const PedersenGenerators& gens, const int32_t* values, size_t n,
                                           PedersenTiming* timing = nullptr);
std::vector<G1Affine> pedersen_commit_rows(Backend b, const PedersenGenerators& gens, const ScalarRaw* values,
                                           size_t n, PedersenTiming* timing = nullptr);
// Values in Montgomery form, as the protocol code holds them.
std::vector<G1Affine> pedersen_commit_rows(Backend b, const PedersenGenerators& gens, const Fr* values, size_t n,
                                           PedersenTiming* timing = nullptr);
