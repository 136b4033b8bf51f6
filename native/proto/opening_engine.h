// Where an opening prover's vectors live. The Hyrax/IPA driver (hyrax.cpp) and the batched
// 'opening' op are the same for every backend and ask an engine only for group sums, folds and
// evaluations, so every backend writes the same proof bytes. The CUDA engines keep the tensors,
// the generators and the IPA vectors on the device between rounds; only L, R and the challenges
// cross to the host.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>
#include "../backend/device/devices.h"
#include "../commit/generators.h"
#include "padding_mask.h"

// The inner-product argument's prover state over w = 2^m generators: vectors a, b and the
// generators folded so far (see hyrax.h for the relations).
class IpaEngine {
 public:
  virtual ~IpaEngine() = default;
  // For the current length len (a power of two >= 2) and h = len / 2:
  //   L = <a_lo, G_hi> + <a_lo, b_hi>·Q,   R = <a_hi, G_lo> + <a_hi, b_lo>·Q.
  virtual void cross_terms(size_t len, G1Jacobian& L, G1Jacobian& R) = 0;
  // a' = x·a_lo + x⁻¹·a_hi, b' = x⁻¹·b_lo + x·b_hi, G' = x⁻¹·G_lo + x·G_hi (length len / 2).
  virtual void fold(size_t len, const Fr& x, const Fr& xi) = 0;
  // The first len entries of a (after the last fold: what is left of it).
  virtual std::vector<Fr> final_a(size_t len) = 0;
};

std::unique_ptr<IpaEngine> make_ipa_engine(Backend b, std::shared_ptr<const PedersenGenerators> key,
                                           std::vector<Fr> a, std::vector<Fr> b_vec);

// Where the int32 tensors of a batched opening come from: drawn from the witness seed (tensor i is
// stream ids[i], entries below `logical` from witness_int, the rest zero; times the same entry of
// stream times[i] when `times` is given, a Hadamard product's output), or given.
struct IntTensorSource {
  bool seeded = true;
  uint64_t seed = 0;
  std::vector<uint64_t> ids, times;
  int64_t lo = 0;
  uint64_t span = 1;
  size_t logical = 0;
  std::vector<std::vector<int32_t>> given;  // when not seeded: `logical` entries each
};

// Batched opening of `num` tensors of n entries (a power of two), committed in rows of w: the
// engine holds the tensors, and after `evaluate` each tensor's row fold per opening term k
//   f_ik = Σ_r rows_k[r]·t_i[r·w .. r·w + w),
// so that tensor i's masked evaluation is Σ_k <f_ik, cols_k>, and `combine(c, k)` makes the IPA
// engine for a = Σ_i c_i·f_ik and b = cols_k.
class BatchOpening {
 public:
  virtual ~BatchOpening() = default;
  virtual size_t num() const = 0;
  // Row commitments of tensor i.
  virtual std::vector<G1Affine> commit(size_t i) = 0;
  // values[k][i] = <f_ik, cols_k> for every term k (rows_k: max(1, n / w) weights, cols_k: w).
  virtual std::vector<std::vector<Fr>> evaluate(const std::vector<OpeningTerm>& terms) = 0;
  virtual std::unique_ptr<IpaEngine> combine(const std::vector<Fr>& coeffs, size_t term) = 0;
  // f_i,term after `evaluate`, on the host (w entries).
  virtual std::vector<Fr> fold(size_t i, size_t term) = 0;
  // Where f_i,term is in device memory after `evaluate` (an engine on the GPU), else null.
  virtual const Fr* device_fold(size_t, size_t) const { return nullptr; }
  // `evaluate` of one term whose weights are in device memory (max(1, n / w) row weights, w column
  // weights), without the values: false when the engine is not on the device.
  virtual bool evaluate_device(const Fr* /*rows*/, const Fr* /*cols*/) { return false; }
};

// int32 tensors (the witness's quantized values: their commitments cost a few windows).
std::unique_ptr<BatchOpening> make_int_batch_opening(Backend b, std::shared_ptr<const PedersenGenerators> key,
                                                     IntTensorSource src, size_t n);
// One tensor of n field elements (derived tensors such as a lookup's inverses), a batch of one,
// copied from host memory (the CUDA engine uploads it); a tensor store hands over a tensor it
// holds (TensorStore::opening).
std::unique_ptr<BatchOpening> make_field_opening(Backend b, std::shared_ptr<const PedersenGenerators> key, const Fr* t,
                                                 size_t n);

// (Implemented by the backends: backend/opening/.)
