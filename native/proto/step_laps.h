// ZKLLM_TRACE=1: where a prover's or verifier's time goes, one line per step on stderr with the time
// since the previous step ("[tag] step ms"). Given the tensor store whose device work a step queues,
// each lap waits for it first, so a step's time is its own (and the work queued before the first
// step is not the first step's). Without ZKLLM_TRACE nothing waits and nothing is printed.
#pragma once
#include <chrono>
#include <string>

class TensorStore;

class StepLaps {
 public:
  explicit StepLaps(std::string tag, TensorStore* sync = nullptr);
  bool on() const { return on_; }
  void operator()(const std::string& step);

 private:
  std::string tag_;
  TensorStore* sync_;
  bool on_;
  std::chrono::steady_clock::time_point t0_;
};
