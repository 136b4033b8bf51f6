// Witness tensors of `num` instances laid out instance-major, each axis zero-padded to a power of
// two, so the MLE variables are: the inner axes' bits first (LSB-first), the instance bits last.
#pragma once
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>
#include "../platform/cpu_parallel.h"
#include "../mle/mle.h"
#include "padding_mask.h"
#include "protocol_io.h"
#include "../witness/witness.h"

struct AxisLayout {
  std::vector<uint64_t> dims;    // logical sizes, outermost first (instances first)
  std::vector<size_t> padded;    // powers of two

  // Sizes are checked before any product is formed (padding_mask.h), so none can wrap.
  explicit AxisLayout(std::vector<uint64_t> d) : dims(std::move(d)) {
    checked_padded_size(dims);
    for (auto x : dims) padded.push_back(next_pow2(x));
  }
  size_t logical_size() const {
    size_t s = 1;
    for (auto x : dims) s *= x;
    return s;
  }
  size_t size() const {
    size_t s = 1;
    for (auto x : padded) s *= x;
    return s;
  }
  int vars() const { return mle_vars(size()); }
  // Padded flat index of the logical row-major index `li`.
  size_t padded_index(size_t li) const {
    size_t idx = 0, stride = 1;
    for (size_t a = dims.size(); a-- > 0;) {
      size_t coord = li % dims[a];
      li /= dims[a];
      idx += coord * stride;
      stride *= padded[a];
    }
    return idx;
  }
  // Whether padded flat index `pi` holds a logical element (every coordinate below its size).
  bool is_logical(size_t pi) const {
    for (size_t a = dims.size(); a-- > 0;) {
      if (pi % padded[a] >= dims[a]) return false;
      pi /= padded[a];
    }
    return true;
  }
  // A copy of padded tensor t with every padding entry set to zero (what commitments hold).
  std::vector<Fr> zero_padding(const std::vector<Fr>& t) const {
    std::vector<Fr> out(t);
    cpu_parallel_chunks(out.size(), [&](size_t lo, size_t hi, size_t) {
      for (size_t i = lo; i < hi; i++)
        if (!is_logical(i)) out[i] = Fr::zero();
    });
    return out;
  }
  // Builds the padded tensor from a generator of logical elements (pad entries get `pad`).
  std::vector<Fr> build(const std::function<Fr(size_t)>& logical, const Fr& pad = Fr::zero()) const {
    std::vector<Fr> t(size(), pad);
    cpu_parallel_chunks(logical_size(), [&](size_t lo, size_t hi, size_t) {
      for (size_t i = lo; i < hi; i++) t[padded_index(i)] = logical(i);
    });
    return t;
  }
  std::vector<Fr> from_seed(uint64_t seed, uint64_t tensor_id, int64_t lo, uint64_t span, const Fr& pad = Fr::zero()) const {
    return build([&](size_t i) { return fr_from_i64(witness_int(seed, tensor_id, i, lo, span)); }, pad);
  }
  std::vector<Fr> from_witness(const WitnessSource& w, const std::string& name, uint64_t tensor_id, int64_t lo,
                               uint64_t span) const {
    if (w.seeded) return from_seed(w.seed, tensor_id, lo, span);
    const auto& v = w.need(name, logical_size());
    return build([&](size_t i) { return v[i]; });
  }
};

// Concatenation of LSB-first point pieces (inner axes first).
inline std::vector<Fr> concat_points(std::initializer_list<const std::vector<Fr>*> parts) {
  std::vector<Fr> out;
  for (auto* p : parts) out.insert(out.end(), p->begin(), p->end());
  return out;
}
inline std::vector<Fr> slice(const std::vector<Fr>& v, size_t from, size_t count) {
  return std::vector<Fr>(v.begin() + from, v.begin() + from + count);
}
