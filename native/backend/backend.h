// The narrow kernel interface that protocol and API code calls. Each operation has a CPU body and,
// when the addon is built with CUDA, a CUDA body; `dispatch.cpp` picks one per call.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>
#include "../curve/g1.cuh"

enum class Backend { Cpu, Cuda };

// A scalar as a canonical integer (raw limbs, < r): what bucket methods read bits from.
struct alignas(16) ScalarRaw {
  uint64_t v[4];
};
ZK_HD ScalarRaw scalar_raw(const Fr& x) {
  const Fr c = x.to_canonical_raw();
  return {{c.v[0], c.v[1], c.v[2], c.v[3]}};
}

struct GpuDevice {
  int index;
  std::string name;
  size_t total_memory;
  int major, minor, multiprocessors;
};

// Where the time of one MSM went; on the CPU the two are the same.
struct MsmTiming {
  double total_ms = 0;   // the whole call, host-device copies included
  double compute_ms = 0; // the bucket method alone, inputs already in place
};

struct Calibration {
  double fr_mul_per_s;     // Montgomery products per second, all cores or the whole GPU
  double copy_bytes_per_s; // bytes read plus bytes written per second
  std::string method;      // how it was measured, for the record
};

// Dispatch layer -------------------------------------------------------------------------------
bool cuda_compiled();
std::string cuda_archs();                    // e.g. "sm_90", empty when not compiled
std::vector<GpuDevice> gpu_devices();        // empty without a usable GPU or CUDA build
std::string gpu_status();                    // why there is no GPU, when there is none
Backend resolve_backend(const std::string& requested);  // "auto" | "cpu" | "cuda"; throws on a bad name or no GPU
const char* backend_name(Backend b);

void fr_batch_inverse(Backend b, Fr* xs, size_t n);
G1Jacobian g1_msm(Backend b, const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing = nullptr);
Calibration calibrate(Backend b);

// Bodies -----------------------------------------------------------------------------------------
namespace cpu {
void fr_batch_inverse(Fr* xs, size_t n);
G1Jacobian g1_msm(const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing = nullptr);
Calibration calibrate();
unsigned thread_count();
}  // namespace cpu

namespace cuda {
std::vector<GpuDevice> devices(std::string* why_none);
void fr_batch_inverse(Fr* xs, size_t n);
G1Jacobian g1_msm(const G1Affine* points, const ScalarRaw* scalars, size_t n, MsmTiming* timing = nullptr);
Calibration calibrate();
}  // namespace cuda

// Elementwise batches, used to check the device arithmetic against the host and by later
// tensor code. Inv maps zero to zero (callers that must reject zero check first).
enum class FrOp { Add, Sub, Mul, Inv };
enum class G1Op { Add, Double, Mul };
void fr_elementwise(Backend b, FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n);
void g1_elementwise(Backend b, G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out,
                    size_t n);
namespace cpu {
void fr_elementwise(FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n);
void g1_elementwise(G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out, size_t n);
}  // namespace cpu
namespace cuda {
void fr_elementwise(FrOp op, const Fr* x, const Fr* y, Fr* out, size_t n);
void g1_elementwise(G1Op op, const G1Affine* p, const G1Affine* q, const ScalarRaw* k, G1Affine* out, size_t n);
}  // namespace cuda
