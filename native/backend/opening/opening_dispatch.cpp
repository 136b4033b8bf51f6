#include <algorithm>
#include <cmath>
#include <stdexcept>
#include "opening_engines.h"

namespace {
void check_ipa_shape(const PedersenGenerators& key, const std::vector<Fr>& a, const std::vector<Fr>& b) {
  const size_t w = key.g.size();
  if (w == 0 || (w & (w - 1))) throw std::logic_error("ipa: generator count must be a power of two");
  if (a.size() != w || b.size() != w) throw std::logic_error("ipa: vectors must have one entry per generator");
}
void check_opening_shape(const PedersenGenerators& key, size_t n) {
  const size_t w = key.g.size();
  if (w == 0 || (w & (w - 1))) throw std::logic_error("opening: generator count must be a power of two");
  if (n == 0 || (n & (n - 1))) throw std::logic_error("opening: tensor length must be a power of two");
}
}  // namespace

std::unique_ptr<IpaEngine> make_ipa_engine(Backend b, std::shared_ptr<const PedersenGenerators> key,
                                           std::vector<Fr> a, std::vector<Fr> b_vec) {
  check_ipa_shape(*key, a, b_vec);
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::make_ipa_engine(std::move(key), std::move(a), std::move(b_vec)));
  return cpu::make_ipa_engine(std::move(key), std::move(a), std::move(b_vec));
}

std::unique_ptr<BatchOpening> make_field_opening(Backend b, std::shared_ptr<const PedersenGenerators> key, const Fr* t,
                                                 size_t n) {
  check_opening_shape(*key, n);
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::make_field_opening(std::move(key), t, n));
  return cpu::make_field_opening(std::move(key), t, n);
}

std::unique_ptr<BatchOpening> make_int_batch_opening(Backend b, std::shared_ptr<const PedersenGenerators> key,
                                                     IntTensorSource src, size_t n) {
  const size_t num = src.seeded ? src.ids.size() : src.given.size();
  check_opening_shape(*key, n);
  if (num == 0) throw std::invalid_argument("opening: no tensors");
  if (src.logical > n) throw std::logic_error("opening: more entries than the padded length");
  if (!src.times.empty()) {
    const long double m = std::max(std::fabs((long double)src.lo), std::fabs((long double)src.lo + (long double)src.span - 1));
    if (src.times.size() != src.ids.size() || m * m >= 2147483648.0L)
      throw std::logic_error("opening: products of seeded streams must pair up and fit int32");
  }
  for (auto& t : src.given)
    if (t.size() != src.logical) throw std::logic_error("opening: given tensors of different lengths");
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::make_int_batch_opening(std::move(key), std::move(src), n));
  return cpu::make_int_batch_opening(std::move(key), std::move(src), n);
}
