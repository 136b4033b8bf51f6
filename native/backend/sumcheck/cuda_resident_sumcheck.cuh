// A CUDA sumcheck engine over tensors already on the device (what the CUDA tensor store hands it).
#pragma once
#include <memory>
#include <vector>
#include "../../proto/sumcheck_engine.h"
#include "../device/cuda_common.cuh"

std::unique_ptr<SumcheckEngine> make_resident_sumcheck_engine(std::vector<DeviceBuffer<Fr>> tensors,
                                                              const SumcheckTerms& terms);
// A split-eq sumcheck (split_eq.cuh) over {eq(point, ·), t1, t2}: e0 is the eq table of point
// without its first coordinate; the eq table itself is never formed.
std::unique_ptr<SumcheckEngine> make_resident_split_eq_engine(std::vector<Fr> point, DeviceBuffer<Fr> e0,
                                                              std::vector<DeviceBuffer<Fr>> tensors, const SumcheckTerms& terms);
// scale·eq(point, x) for x < 2^|point| (LSB-first), built on the device (the tensor store's eq
// tables; a split-eq engine finishing its rounds with C_j as the scale).
DeviceBuffer<Fr> eq_table_on_device(const std::vector<Fr>& point, const Fr& scale = Fr::one());
