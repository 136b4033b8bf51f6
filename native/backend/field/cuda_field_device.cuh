// Field kernels on device-resident data, for other CUDA code (the tensor store).
#pragma once
#include "../../field/field.cuh"
#include "../device/cuda_common.cuh"

// x[i] <- 1/x[i] in place (zero maps to garbage: callers check for zero first).
void batch_inverse_device(Fr* x, size_t n);
