// Where a prover's tensors live. A protocol makes its tensors through a store (seeded witnesses,
// eq tables, given host data) and hands them to a sumcheck by id; the CPU store keeps host
// vectors, the CUDA store device buffers, so a seeded witness is drawn where it is used and never
// crosses the bus. Both make the same values, so the proof bytes do not depend on the store.
#pragma once
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>
#include "padding_mask.h"
#include "sumcheck_engine.h"

class BatchOpening;
class IpaEngine;
struct PedersenGenerators;

// Integers witness_int(seed, id, logical index, lo, span) laid out with every axis of `dims`
// padded to a power of two; padding entries hold `pad`.
struct SeededTensor {
  LogicalDims dims;
  uint64_t seed = 0, id = 0;
  int64_t lo = 0;
  uint64_t span = 1;
  Fr pad = Fr::zero();
};

using TensorId = size_t;

class TensorStore {
 public:
  virtual ~TensorStore() = default;
  virtual TensorId host(std::vector<Fr> t) = 0;
  // A copy of t that the caller keeps (the CUDA store uploads it without a host copy).
  virtual TensorId host_copy(const std::vector<Fr>& t) = 0;
  virtual TensorId seeded(const SeededTensor& s) = 0;
  // eq(point, x) for x < 2^|point| (LSB-first).
  virtual TensorId eq(const std::vector<Fr>& point) = 0;
  // eq(point, x >> inner_bits) for x < 2^(|point| + inner_bits): instance weights over instances.
  virtual TensorId eq_broadcast(const std::vector<Fr>& point, int inner_bits) = 0;
  virtual std::vector<Fr> to_host(TensorId id) = 0;
  // A new tensor 1/(beta + s[i]); throws when some beta + s[i] is zero.
  virtual TensorId shifted_inverse(TensorId s, const Fr& beta) = 0;
  // The seeded tensor s (pad zero) folded along `axis` with one weight per padded coordinate of it
  // (a tensor of this store, read, not consumed): out[rest] = Σ_c weights[c]·s[rest with c at axis],
  // in the padded layout of the other axes. The tensor itself is never stored (a matmul operand
  // folded at a point).
  virtual TensorId seeded_fold(const SeededTensor& s, int axis, TensorId weights) = 0;
  // table[value − s.lo] for every logical entry of the seeded tensor s, `pad` for its padding
  // (table.size() >= s.span): a function of the values given by its table, e.g. lookup inverses.
  virtual TensorId seeded_gather(const SeededTensor& s, const std::vector<Fr>& table, const Fr& pad) = 0;
  // Counts of value − s.lo over the logical entries of a seeded tensor, in `bins` >= s.span bins.
  virtual std::vector<uint64_t> seeded_histogram(const SeededTensor& s, size_t bins) = 0;
  // C[n] = A[n]·B[n] for seeded, zero-padded A of dims [num, d0, d1] and B of [num, d1, d2], in the
  // zero-padded layout of [num, d0, d2]: a seeded matmul's output, computed on integers
  // (seeded_matmul_shape checks that they cannot overflow).
  virtual TensorId seeded_matmul(const SeededTensor& a, const SeededTensor& b) = 0;
  // Σ_x Π_f t_f[x] over 1 to 3 tensors of one length (an MLE at a point is {eq(point), t}).
  virtual Fr sum_of_products(const std::vector<TensorId>& ids) = 0;
  // A sumcheck over the given tensors (all of one power-of-two length), which it consumes.
  virtual std::unique_ptr<SumcheckEngine> sumcheck(const std::vector<TensorId>& ids, const SumcheckTerms& terms) = 0;

  // Tensors computed elsewhere and the operations a protocol with several linked steps (zkattn)
  // needs, so none of them crosses the bus more than once:
  // logical int64 values of `dims`, zero-padded (the CUDA store uploads 32-bit values when they fit).
  virtual TensorId ints(const std::vector<int64_t>& logical, const LogicalDims& dims) = 0;
  // A copy (a sumcheck consumes its tensors; one read again later hands it a copy).
  virtual TensorId copy(TensorId id) = 0;
  // out[x] = t[x >> inner_bits].
  virtual TensorId repeat_each(TensorId id, int inner_bits) = 0;
  // t laid out [outer, mid, inner] folded over mid: out[o, j] = Σ_i w[i]·t[(o·mid + i)·inner + j].
  virtual TensorId fold(TensorId id, size_t outer, size_t mid, size_t inner, const std::vector<Fr>& w) = 0;
  // eq(point, x)·mask(x) over the zero-padded [H, m, n] layout of `dims`, mask(h, r, c) = 1 where
  // h < H, r < m, c < n and c <= r + offset (a causal mask whose last query row sees key
  // offset + m − 1), else 0.
  virtual TensorId masked_eq(const std::vector<Fr>& point, const LogicalDims& dims, uint64_t offset) = 0;
  // Σ_i c_i·t_i over 1 to 4 tensors of one length, a new tensor (its MLE is the same combination of theirs).
  virtual TensorId combine(const std::vector<std::pair<Fr, TensorId>>& terms) = 0;
  // For each table (a tensor of this store, read, not consumed), out[i] = table[rows[i]], or zero for
  // a row beyond the table (a padding that is zero): functions of table rows (a lookup's values and
  // inverses).
  virtual std::vector<TensorId> gather(const std::vector<uint32_t>& rows, const std::vector<TensorId>& tables) = 0;
  // Frees a tensor no step reads again.
  virtual void drop(TensorId id) = 0;
  // The commitment and openings of tensor t under `key`, where the store keeps it: an opening
  // engine (opening_engine.h) of one field tensor, which takes t over (the store drops it).
  virtual std::unique_ptr<BatchOpening> opening(TensorId t, std::shared_ptr<const PedersenGenerators> key) = 0;
  // Tensor i's row fold of `term` (w entries) from an opening engine after its `evaluate`, copied
  // where this store keeps tensors (device to device on the GPU).
  virtual TensorId fold_of(BatchOpening& e, size_t i, size_t term, size_t w) = 0;
  // The prover of an inner-product argument over a and b (opening_engine.h), which takes them over.
  virtual std::unique_ptr<IpaEngine> ipa(TensorId a, TensorId b, std::shared_ptr<const PedersenGenerators> key) = 0;
  // A tensor's entries in device memory (valid until it is dropped or consumed), or null for a
  // store that keeps them on the host.
  virtual const Fr* device_data(TensorId) { return nullptr; }
  // Waits for the work queued so far (ZKLLM_TRACE's step times); nothing to wait for on the host.
  virtual void synchronize() {}

  // Integers already in this store's device memory (a witness made by device kernels): only a
  // device store takes them (on_device()); the others throw.
  virtual bool on_device() const { return false; }
  // Logical int64 values of `dims` at a device address, zero-padded.
  virtual TensorId device_ints(const int64_t* values, const LogicalDims& dims);
  // The counts of `count` device values in [0, bins) as field elements, `extra` added to bin 0 (a
  // lookup's multiplicities, the padding counted at row 0); throws when a value is outside.
  virtual TensorId device_counts(const int64_t* values, size_t count, size_t bins, uint64_t extra);
  // For each table (a tensor of this store), out[pi] = table[v] for the logical value v at padded
  // index pi, table[pad_row] in the padding, zero there when pad_row is beyond the table (values in
  // range: device_counts checked them).
  virtual std::vector<TensorId> device_gather(const int64_t* values, const LogicalDims& dims, const std::vector<TensorId>& tables,
                                              uint32_t pad_row);
};

// Host vectors: the CPU store, and the CUDA one when the tensors do not fit the device (its
// sumchecks then stream through the GPU).
class HostTensorStore : public TensorStore {
 public:
  explicit HostTensorStore(const ProverConfig& cfg);
  TensorId host(std::vector<Fr> t) override;
  TensorId host_copy(const std::vector<Fr>& t) override { return host(t); }
  TensorId seeded(const SeededTensor& s) override;
  TensorId eq(const std::vector<Fr>& point) override;
  TensorId eq_broadcast(const std::vector<Fr>& point, int inner_bits) override;
  std::vector<Fr> to_host(TensorId id) override;
  TensorId shifted_inverse(TensorId s, const Fr& beta) override;
  std::vector<uint64_t> seeded_histogram(const SeededTensor& s, size_t bins) override;
  TensorId seeded_gather(const SeededTensor& s, const std::vector<Fr>& table, const Fr& pad) override;
  TensorId seeded_fold(const SeededTensor& s, int axis, TensorId weights) override;
  TensorId seeded_matmul(const SeededTensor& a, const SeededTensor& b) override;
  Fr sum_of_products(const std::vector<TensorId>& ids) override;
  std::unique_ptr<SumcheckEngine> sumcheck(const std::vector<TensorId>& ids, const SumcheckTerms& terms) override;
  TensorId ints(const std::vector<int64_t>& logical, const LogicalDims& dims) override;
  TensorId copy(TensorId id) override { return host(get(id)); }
  TensorId repeat_each(TensorId id, int inner_bits) override;
  TensorId fold(TensorId id, size_t outer, size_t mid, size_t inner, const std::vector<Fr>& w) override;
  TensorId masked_eq(const std::vector<Fr>& point, const LogicalDims& dims, uint64_t offset) override;
  TensorId combine(const std::vector<std::pair<Fr, TensorId>>& terms) override;
  std::vector<TensorId> gather(const std::vector<uint32_t>& rows, const std::vector<TensorId>& tables) override;
  std::unique_ptr<BatchOpening> opening(TensorId t, std::shared_ptr<const PedersenGenerators> key) override;
  TensorId fold_of(BatchOpening& e, size_t i, size_t term, size_t w) override;
  std::unique_ptr<IpaEngine> ipa(TensorId a, TensorId b, std::shared_ptr<const PedersenGenerators> key) override;
  void drop(TensorId id) override;

 private:
  // An eq tensor is kept as its point until something needs its entries: a sumcheck that splits
  // the eq factor (split_eq_supported) never forms it.
  std::vector<Fr>& get(TensorId id);
  ProverConfig cfg_;
  std::vector<std::vector<Fr>> t_;
  std::vector<std::vector<Fr>> eq_point_;
  std::vector<char> lazy_eq_;
};

// `working_bytes` is what the prover expects to keep at once: a CUDA store keeps tensors on the
// device when that fits cfg.device_budget (or the free memory), else it keeps them on the host
// and its sumchecks stream them through the GPU.
std::unique_ptr<TensorStore> make_tensor_store(const ProverConfig& cfg, size_t working_bytes);

// 1/(beta + x) for every x; beta + x = 0 has negligible probability, but is refused rather than
// mapped to 0. With a CUDA config the inversion keeps to its device budget.
std::vector<Fr> shifted_inverses(const std::vector<Fr>& xs, const Fr& beta, const ProverConfig& cfg = {});

// The padded sizes {num, d0, d1, d2} of seeded_matmul's operands; throws unless they are
// [num, d0, d1] and [num, d1, d2], zero-padded, with every sum of products below 2^63 in magnitude.
struct MatmulPadded {
  size_t num, d0, d1, d2;
};
MatmulPadded seeded_matmul_shape(const SeededTensor& a, const SeededTensor& b);

// The host form of a seeded tensor (the CPU store's, and the reference for every other).
std::vector<Fr> seeded_tensor_host(const SeededTensor& s);

// How a verifier uses the machine for the work it has (recomputing a plain witness's evaluations):
// the GPU when one is usable, outside every prover timer.
ProverConfig verifier_config();
