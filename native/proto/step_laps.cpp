#include "step_laps.h"
#include <cstdio>
#include <cstdlib>
#include "tensor_store.h"

StepLaps::StepLaps(std::string tag, TensorStore* sync)
    : tag_(std::move(tag)), sync_(sync), on_(std::getenv("ZKLLM_TRACE") != nullptr) {
  if (on_ && sync_) sync_->synchronize();
  t0_ = std::chrono::steady_clock::now();
}

void StepLaps::operator()(const std::string& step) {
  if (!on_) return;
  if (sync_) sync_->synchronize();
  const auto now = std::chrono::steady_clock::now();
  std::fprintf(stderr, "[%s] %-40s %9.3f ms\n", tag_.c_str(), step.c_str(),
               std::chrono::duration<double, std::milli>(now - t0_).count());
  t0_ = now;
}
