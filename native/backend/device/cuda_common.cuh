// CUDA error checking and RAII ownership of device resources. Every CUDA call goes through
// CUDA_CHECK, which throws a std::runtime_error naming the expression, file and line.
#pragma once
#include <cuda_runtime.h>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

inline void cuda_check(cudaError_t e, const char* expr, const char* file, int line) {
  if (e == cudaSuccess) return;
  std::string what = e == cudaErrorMemoryAllocation ? "GPU out of memory" : cudaGetErrorString(e);
  throw std::runtime_error("CUDA error: " + what + " in " + expr + " (" + file + ":" + std::to_string(line) + ")");
}
#define CUDA_CHECK(expr) cuda_check((expr), #expr, __FILE__, __LINE__)
#define CUDA_CHECK_LAUNCH() cuda_check(cudaGetLastError(), "kernel launch", __FILE__, __LINE__)

// Device memory comes from the device's stream-ordered pool, which keeps what is freed for the
// next allocation: a proof allocates and frees dozens of buffers of up to several GiB, and
// cudaMalloc/cudaFree map and unmap each one and synchronize. All work runs on the legacy default
// stream, so allocations and frees are ordered with it. An allocation the pool cannot serve trims
// the pool and tries once more before it throws "GPU out of memory".
void* device_alloc(size_t bytes);
void device_free(void* p);
// Free device memory, counting what the pool holds unused (what an allocation can still get).
size_t device_free_bytes();
// Copies between (pageable) host memory and the device, returning when done. Large ones go through
// two pinned staging buffers, the host copy into one overlapping the other's transfer: the driver's
// own pageable path ran at about 2 GB/s on the H200 host (32 MiB of zkattn's O took 16 ms).
void copy_to_device(void* dst, const void* src, size_t bytes);
void copy_to_host(void* dst, const void* src, size_t bytes);

template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t n) : n_(n) {
    if (n) p_ = static_cast<T*>(device_alloc(n * sizeof(T)));
  }
  DeviceBuffer(const T* host, size_t n) : DeviceBuffer(n) { upload(host, n); }
  ~DeviceBuffer() {
    if (p_) device_free(p_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr; o.n_ = 0; }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
    return *this;
  }
  void upload(const T* host, size_t n) { copy_to_device(p_, host, n * sizeof(T)); }
  void download(T* host, size_t n) const { copy_to_host(host, p_, n * sizeof(T)); }
  std::vector<T> to_host() const {
    std::vector<T> v(n_);
    download(v.data(), n_);
    return v;
  }
  T* get() const { return p_; }
  size_t size() const { return n_; }

 private:
  T* p_ = nullptr;
  size_t n_ = 0;
};

class CudaEvent {
 public:
  CudaEvent() { CUDA_CHECK(cudaEventCreate(&e_)); }
  ~CudaEvent() { cudaEventDestroy(e_); }
  CudaEvent(const CudaEvent&) = delete;
  CudaEvent& operator=(const CudaEvent&) = delete;
  void record(cudaStream_t s = 0) { CUDA_CHECK(cudaEventRecord(e_, s)); }
  float ms_since(const CudaEvent& start) {
    CUDA_CHECK(cudaEventSynchronize(e_));
    float ms = 0;
    CUDA_CHECK(cudaEventElapsedTime(&ms, start.e_, e_));
    return ms;
  }

 private:
  cudaEvent_t e_;
};

inline unsigned blocks_for(size_t n, unsigned threads) {
  size_t b = (n + threads - 1) / threads;
  return (unsigned)(b == 0 ? 1 : b);
}

// Picks device 0 for this thread once; throws when no GPU is usable.
void cuda_use_device();
