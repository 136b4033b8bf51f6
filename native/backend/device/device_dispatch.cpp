#include <stdexcept>
#include "calibrate.h"

void throw_no_cuda() { throw std::runtime_error("this addon was built without CUDA"); }

#ifdef ZKLLM_WITH_CUDA
bool cuda_compiled() { return true; }
std::string cuda_archs() { return ZKLLM_CUDA_ARCHS; }
#else
bool cuda_compiled() { return false; }
std::string cuda_archs() { return ""; }
#endif

namespace {
struct GpuProbe {
  std::vector<GpuDevice> devices;
  std::string why_none;
};
const GpuProbe& probe() {
  static GpuProbe p = [] {
    GpuProbe g;
#ifdef ZKLLM_WITH_CUDA
    g.devices = cuda::devices(&g.why_none);
#else
    g.why_none = "addon built without CUDA";
#endif
    return g;
  }();
  return p;
}
}  // namespace

std::vector<GpuDevice> gpu_devices() { return probe().devices; }
std::string gpu_status() { return probe().devices.empty() ? probe().why_none : "ok"; }

const char* backend_name(Backend b) { return b == Backend::Cuda ? "cuda" : "cpu"; }

Backend resolve_backend(const std::string& requested) {
  if (requested == "cpu") return Backend::Cpu;
  if (requested == "auto") return probe().devices.empty() ? Backend::Cpu : Backend::Cuda;
  if (requested == "cuda") {
    if (probe().devices.empty())
      throw std::runtime_error("backend 'cuda' requested but no GPU is usable: " + probe().why_none);
    return Backend::Cuda;
  }
  throw std::invalid_argument("unknown backend '" + requested + "' (expected 'auto', 'cpu' or 'cuda')");
}

Calibration calibrate(Backend b) {
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::calibrate());
  return cpu::calibrate();
}
