#include <stdexcept>
#include "backend.h"
#include "../proto/opening_engine.h"
#include "../proto/sumcheck_engine.h"

#ifndef ZKLLM_WITH_CUDA
// Without a CUDA build the GPU bodies exist only to say so.
namespace cuda {
std::vector<GpuDevice> devices(std::string* why) {
  if (why) *why = "addon built without CUDA";
  return {};
}
void fr_batch_inverse(Fr*, size_t) { throw std::runtime_error("addon built without CUDA"); }
G1Jacobian g1_msm(const G1Affine*, const ScalarRaw*, size_t, MsmTiming*) { throw std::runtime_error("addon built without CUDA"); }
Calibration calibrate() { throw std::runtime_error("addon built without CUDA"); }
void fr_elementwise(FrOp, const Fr*, const Fr*, Fr*, size_t) { throw std::runtime_error("addon built without CUDA"); }
void g1_elementwise(G1Op, const G1Affine*, const G1Affine*, const ScalarRaw*, G1Affine*, size_t) {
  throw std::runtime_error("addon built without CUDA");
}
std::unique_ptr<SumcheckEngine> make_sumcheck_engine(std::vector<std::vector<Fr>>&, const SumcheckTerms&, size_t) {
  throw std::runtime_error("addon built without CUDA");
}
std::unique_ptr<IpaEngine> make_ipa_engine(std::shared_ptr<const PedersenGenerators>, std::vector<Fr>, std::vector<Fr>) {
  throw std::runtime_error("addon built without CUDA");
}
std::unique_ptr<IntBatchOpening> make_int_batch_opening(std::shared_ptr<const PedersenGenerators>, IntTensorSource,
                                                        size_t) {
  throw std::runtime_error("addon built without CUDA");
}
}  // namespace cuda
bool cuda_compiled() { return false; }
std::string cuda_archs() { return ""; }
#else
bool cuda_compiled() { return true; }
std::string cuda_archs() { return ZKLLM_CUDA_ARCHS; }
#endif

namespace {
struct GpuProbe {
  std::vector<GpuDevice> devices;
  std::string why_none;
};
const GpuProbe& probe() {
  static GpuProbe p = [] {
    GpuProbe g;
    g.devices = cuda::devices(&g.why_none);
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

void fr_batch_inverse(Backend b, Fr* xs, size_t n) {
  b == Backend::Cuda ? cuda::fr_batch_inverse(xs, n) : cpu::fr_batch_inverse(xs, n);
}
G1Jacobian g1_msm(Backend b, const G1Affine* p, const ScalarRaw* s, size_t n, MsmTiming* t) {
  return b == Backend::Cuda ? cuda::g1_msm(p, s, n, t) : cpu::g1_msm(p, s, n, t);
}
Calibration calibrate(Backend b) { return b == Backend::Cuda ? cuda::calibrate() : cpu::calibrate(); }

void fr_elementwise(Backend b, FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n) {
  b == Backend::Cuda ? cuda::fr_elementwise(op, x, y, out, n) : cpu::fr_elementwise(op, x, y, out, n);
}
void g1_elementwise(Backend b, G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out,
                    size_t n) {
  b == Backend::Cuda ? cuda::g1_elementwise(op, p, q, k, out, n) : cpu::g1_elementwise(op, p, q, k, out, n);
}
