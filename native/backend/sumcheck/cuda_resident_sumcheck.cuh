// A CUDA sumcheck engine over tensors already on the device (what the CUDA tensor store hands it).
#pragma once
#include <memory>
#include <vector>
#include "../../proto/sumcheck_engine.h"
#include "../device/cuda_common.cuh"

std::unique_ptr<SumcheckEngine> make_resident_sumcheck_engine(std::vector<DeviceBuffer<Fr>> tensors,
                                                              const SumcheckTerms& terms);
