// The backends' opening engines (the interfaces are the protocol's: proto/opening_engine.h).
#pragma once
#include "../../proto/opening_engine.h"

namespace cpu {
std::unique_ptr<IpaEngine> make_ipa_engine(std::shared_ptr<const PedersenGenerators> key, std::vector<Fr> a,
                                           std::vector<Fr> b);
std::unique_ptr<BatchOpening> make_int_batch_opening(std::shared_ptr<const PedersenGenerators> key,
                                                     IntTensorSource src, size_t n);
std::unique_ptr<BatchOpening> make_field_opening(std::shared_ptr<const PedersenGenerators> key, const Fr* t, size_t n);
}  // namespace cpu
namespace cuda {
std::unique_ptr<IpaEngine> make_ipa_engine(std::shared_ptr<const PedersenGenerators> key, std::vector<Fr> a,
                                           std::vector<Fr> b);
std::unique_ptr<BatchOpening> make_int_batch_opening(std::shared_ptr<const PedersenGenerators> key,
                                                     IntTensorSource src, size_t n);
std::unique_ptr<BatchOpening> make_field_opening(std::shared_ptr<const PedersenGenerators> key, const Fr* t, size_t n);
}  // namespace cuda

#ifdef __CUDACC__
#include "../device/cuda_common.cuh"
namespace cuda {
// The same from a device buffer (a tensor store's), which the engine takes over.
std::unique_ptr<BatchOpening> make_field_opening(std::shared_ptr<const PedersenGenerators> key, DeviceBuffer<Fr> t);
// An inner-product argument over device vectors (a tensor store's), which it takes over.
std::unique_ptr<IpaEngine> make_ipa_engine(std::shared_ptr<const PedersenGenerators> key, DeviceBuffer<Fr> a,
                                           DeviceBuffer<Fr> b);
}  // namespace cuda
#endif  // namespace cuda
