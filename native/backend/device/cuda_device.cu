#include <cstdint>
#include <mutex>
#include "../backend.h"
#include "cuda_common.cuh"

namespace {
// The default pool of device 0 (the only one used), told to keep freed memory.
cudaMemPool_t pool() {
  static cudaMemPool_t p = [] {
    cudaMemPool_t q;
    CUDA_CHECK(cudaDeviceGetDefaultMemPool(&q, 0));
    uint64_t keep = UINT64_MAX;
    CUDA_CHECK(cudaMemPoolSetAttribute(q, cudaMemPoolAttrReleaseThreshold, &keep));
    return q;
  }();
  return p;
}
}  // namespace

void* device_alloc(size_t bytes) {
  pool();
  void* p = nullptr;
  cudaError_t e = cudaMallocAsync(&p, bytes, 0);
  if (e == cudaErrorMemoryAllocation) {
    // what the pool keeps unused may be in pieces too small for this buffer: give it back, retry
    cudaGetLastError();
    CUDA_CHECK(cudaDeviceSynchronize());
    CUDA_CHECK(cudaMemPoolTrimTo(pool(), 0));
    e = cudaMallocAsync(&p, bytes, 0);
  }
  if (e == cudaErrorMemoryAllocation) {
    cudaGetLastError();
    size_t free_b = 0, total_b = 0;
    cudaMemGetInfo(&free_b, &total_b);
    throw std::runtime_error("GPU out of memory: needed " + std::to_string(bytes >> 20) + " MiB, " + std::to_string(free_b >> 20) +
                             " MiB free of " + std::to_string(total_b >> 20) + " MiB");
  }
  CUDA_CHECK(e);
  return p;
}

void device_free(void* p) { cudaFreeAsync(p, 0); }

size_t device_free_bytes() {
  size_t free_b = 0, total_b = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
  uint64_t reserved = 0, used = 0;
  CUDA_CHECK(cudaMemPoolGetAttribute(pool(), cudaMemPoolAttrReservedMemCurrent, &reserved));
  CUDA_CHECK(cudaMemPoolGetAttribute(pool(), cudaMemPoolAttrUsedMemCurrent, &used));
  return free_b + (size_t)(reserved > used ? reserved - used : 0);
}

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
