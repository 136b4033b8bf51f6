#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>
#include "../../platform/cpu_parallel.h"
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

namespace {
// Staged copies: below this, the driver's path is as fast.
constexpr size_t STAGE_MIN = size_t(4) << 20, STAGE_CHUNK = size_t(32) << 20;

struct Staging {
  char* buf[2] = {nullptr, nullptr};
  cudaEvent_t done[2];
  std::mutex mu;
  Staging() {
    for (int i = 0; i < 2; i++) {
      CUDA_CHECK(cudaMallocHost(&buf[i], STAGE_CHUNK));
      CUDA_CHECK(cudaEventCreateWithFlags(&done[i], cudaEventDisableTiming));
    }
  }
};
Staging& staging() {
  static Staging* s = new Staging();  // process lifetime: freed with the process, never during exit
  return *s;
}
// memcpy on several threads (a host thread copies about 10 GB/s; fresh pages fault on each).
void host_copy(char* dst, const char* src, size_t bytes) {
  cpu_parallel_chunks(bytes, [&](size_t lo, size_t hi, size_t) { std::memcpy(dst + lo, src + lo, hi - lo); }, size_t(4) << 20);
}
}  // namespace

namespace {
// A small copy by the driver's path; a large one by `staged` over the staging buffers, held alone.
template <class Staged>
void copy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, Staged staged) {
  if (bytes < STAGE_MIN) {
    if (bytes) CUDA_CHECK(cudaMemcpy(dst, src, bytes, kind));
    return;
  }
  Staging& st = staging();
  std::lock_guard<std::mutex> lock(st.mu);
  staged(st);
}
}  // namespace

void copy_to_device(void* dst, const void* src, size_t bytes) {
  copy(dst, src, bytes, cudaMemcpyHostToDevice, [&](Staging& st) {
    char* d = static_cast<char*>(dst);
    const char* h = static_cast<const char*>(src);
    for (size_t off = 0, i = 0; off < bytes; off += STAGE_CHUNK, i++) {
      const size_t len = std::min(STAGE_CHUNK, bytes - off), k = i % 2;
      if (i >= 2) CUDA_CHECK(cudaEventSynchronize(st.done[k]));  // its last transfer has left the buffer
      host_copy(st.buf[k], h + off, len);
      CUDA_CHECK(cudaMemcpyAsync(d + off, st.buf[k], len, cudaMemcpyHostToDevice, 0));
      CUDA_CHECK(cudaEventRecord(st.done[k], 0));
    }
    CUDA_CHECK(cudaStreamSynchronize(0));
  });
}

void copy_to_host(void* dst, const void* src, size_t bytes) {
  copy(dst, src, bytes, cudaMemcpyDeviceToHost, [&](Staging& st) {
    char* h = static_cast<char*>(dst);
    const char* d = static_cast<const char*>(src);
    const size_t chunks = (bytes + STAGE_CHUNK - 1) / STAGE_CHUNK;
    auto issue = [&](size_t i) {
      const size_t off = i * STAGE_CHUNK, len = std::min(STAGE_CHUNK, bytes - off);
      CUDA_CHECK(cudaMemcpyAsync(st.buf[i % 2], d + off, len, cudaMemcpyDeviceToHost, 0));
      CUDA_CHECK(cudaEventRecord(st.done[i % 2], 0));
    };
    issue(0);
    for (size_t i = 0; i < chunks; i++) {
      if (i + 1 < chunks) issue(i + 1);  // into the other buffer, emptied at step i - 1
      CUDA_CHECK(cudaEventSynchronize(st.done[i % 2]));
      const size_t off = i * STAGE_CHUNK;
      host_copy(h + off, st.buf[i % 2], std::min(STAGE_CHUNK, bytes - off));
    }
  });
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
