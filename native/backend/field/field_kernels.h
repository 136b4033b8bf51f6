// Field and curve element kernels: batch inversion and elementwise batches (used to check the
// device arithmetic against the host and by tensor code). field_dispatch.cpp picks the body.
#pragma once
#include <cstddef>
#include "../../curve/g1.cuh"
#include "../../platform/scalar_raw.h"
#include "../device/devices.h"

// In place; with a device budget (bytes, CUDA only) the inversion goes in pieces that fit it
// (Montgomery's trick is local to a piece, so the result is the same).
void fr_batch_inverse(Backend b, Fr* xs, size_t n, size_t device_budget = 0);

// Inv maps zero to zero (callers that must reject zero check first).
enum class FrOp { Add, Sub, Mul, Inv };
enum class G1Op { Add, Double, Mul };
void fr_elementwise(Backend b, FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n);
void g1_elementwise(Backend b, G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out,
                    size_t n);

namespace cpu {
void fr_batch_inverse(Fr* xs, size_t n);
void fr_elementwise(FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n);
void g1_elementwise(G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out, size_t n);
}  // namespace cpu
namespace cuda {
void fr_batch_inverse(Fr* xs, size_t n);
void fr_elementwise(FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n);
void g1_elementwise(G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out, size_t n);
}  // namespace cuda
