// Which backends exist and which GPUs are usable; the Backend tag every dispatch takes.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

enum class Backend { Cpu, Cuda };

struct GpuDevice {
  int index;
  std::string name;
  size_t total_memory;
  int major, minor, multiprocessors;
};

bool cuda_compiled();
std::string cuda_archs();                    // e.g. "sm_90", empty when not compiled
std::vector<GpuDevice> gpu_devices();        // empty without a usable GPU or CUDA build
std::string gpu_status();                    // why there is no GPU, when there is none
Backend resolve_backend(const std::string& requested);  // "auto" | "cpu" | "cuda"; throws on a bad name or no GPU
const char* backend_name(Backend b);

namespace cuda {
std::vector<GpuDevice> devices(std::string* why_none);
}

// The one style for builds without CUDA: each subject's dispatch (backend/<subject>/*_dispatch.cpp,
// the only files that choose a backend) wraps its CUDA call in ZKLLM_ON_CUDA, which without CUDA
// becomes a throw, so the CUDA bodies are never referenced and no stubs are needed.
[[noreturn]] void throw_no_cuda();
#ifdef ZKLLM_WITH_CUDA
#define ZKLLM_ON_CUDA(...) __VA_ARGS__
#else
#define ZKLLM_ON_CUDA(...) throw_no_cuda()
#endif
