// info(), calibrate() and the MSM benchmark.
#include <algorithm>
#include <chrono>
#include "../backend/msm/random_inputs.h"
#include "../codec/g1_codec.h"
#include "../platform/cpu_parallel.h"
#include "api.h"
#include "napi_util.h"

Napi::Value Info(const Napi::CallbackInfo& info) {
  return guarded(info, "info", [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    auto o = Napi::Object::New(env);
    o.Set("cudaCompiled", cuda_compiled());
    o.Set("cudaArchs", cuda_archs());
    o.Set("cpuThreads", (double)cpu::thread_count());
    auto devs = Napi::Array::New(env);
    auto list = gpu_devices();
    for (size_t i = 0; i < list.size(); i++) {
      auto d = Napi::Object::New(env);
      d.Set("index", list[i].index);
      d.Set("name", list[i].name);
      d.Set("memoryBytes", (double)list[i].total_memory);
      d.Set("computeCapability", std::to_string(list[i].major) + "." + std::to_string(list[i].minor));
      d.Set("multiprocessors", list[i].multiprocessors);
      devs.Set(i, d);
    }
    o.Set("devices", devs);
    o.Set("gpuStatus", gpu_status());
    return o;
  });
}

// (backend) -> { frMulPerSecond, copyBytesPerSecond, method }
Napi::Value Calibrate(const Napi::CallbackInfo& info) {
  return guarded(info, "calibrate", [&]() -> Napi::Value {
    need_args(info, 1, "calibrate");
    Calibration c = calibrate(backend_arg(info[0]));
    auto o = Napi::Object::New(info.Env());
    o.Set("frMulPerSecond", c.fr_mul_per_s);
    o.Set("copyBytesPerSecond", c.copy_bytes_per_s);
    o.Set("method", c.method);
    return o;
  });
}

// (logN, seed, backend, reps) -> { n, inputMs, totalMs[], computeMs[], point }
// Random inputs are made natively from the seed; the same seed gives the same inputs everywhere.
Napi::Value BenchMsm(const Napi::CallbackInfo& info) {
  return guarded(info, "benchMsm", [&]() -> Napi::Value {
    need_args(info, 4, "benchMsm");
    int log_n = info[0].As<Napi::Number>().Int32Value();
    if (log_n < 0 || log_n > 26) throw std::invalid_argument("logN must be in [0, 26]");
    uint64_t seed = (uint64_t)info[1].As<Napi::Number>().Int64Value();
    Backend b = backend_arg(info[2]);
    int reps = info[3].As<Napi::Number>().Int32Value();
    if (reps < 1 || reps > 100) throw std::invalid_argument("reps must be in [1, 100]");
    size_t n = size_t(1) << log_n;
    auto t0 = std::chrono::steady_clock::now();
    auto scalars = random_scalars(n, seed);
    auto points = random_points(n, seed);
    double input_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    Napi::Env env = info.Env();
    auto total = Napi::Array::New(env), compute = Napi::Array::New(env);
    G1Jacobian r;
    for (int i = 0; i < reps; i++) {
      MsmTiming t;
      r = g1_msm(b, points.data(), scalars.data(), n, &t);
      total.Set(i, t.total_ms);
      compute.Set(i, t.compute_ms);
    }
    auto o = Napi::Object::New(env);
    o.Set("n", (double)n);
    o.Set("inputMs", input_ms);
    o.Set("totalMs", total);
    o.Set("computeMs", compute);
    auto pb = new_bytes(env, G1_BYTES);
    g1_encode(r.to_affine(), pb.Data());
    o.Set("point", pb);
    return o;
  });
}
