#include "../backend.h"
#include "cuda_common.cuh"

namespace cuda {
std::vector<GpuDevice> devices(std::string* why_none) {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    cudaGetLastError();
    // Error 35 (driver insufficient) or 100 (no device) is what a machine without a GPU reports:
    // the runtime is linked statically, so 35 also means there is no driver at all.
    if (why_none)
      *why_none = e == cudaErrorInsufficientDriver ? std::string("the CUDA driver is missing or too old (") + cudaGetErrorString(e) + ")"
                  : e == cudaErrorNoDevice        ? std::string("no CUDA device found (") + cudaGetErrorString(e) + ")"
                                                  : std::string("the CUDA runtime failed (") + cudaGetErrorString(e) + ")";
    return {};
  }
  std::vector<GpuDevice> out;
  for (int i = 0; i < count; i++) {
    cudaDeviceProp p;
    if (cudaGetDeviceProperties(&p, i) != cudaSuccess) continue;
    out.push_back({i, p.name, p.totalGlobalMem, p.major, p.minor, p.multiProcessorCount});
  }
  if (out.empty() && why_none) *why_none = "no CUDA device found";
  return out;
}
}  // namespace cuda

void cuda_use_device() {
  if (gpu_devices().empty()) throw std::runtime_error("no GPU is usable: " + gpu_status());
  CUDA_CHECK(cudaSetDevice(0));
}
