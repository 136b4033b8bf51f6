// A fork-join loop over [0, n) in contiguous chunks, one per hardware thread: the platform floor
// that mle/, proto/, commit/, the CPU backends and the addon share.
#pragma once
#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace cpu {
// ZKLLM_THREADS when set, else the hardware's thread count.
unsigned thread_count();
}  // namespace cpu

template <class F>
void cpu_parallel_chunks(size_t n, F&& body, size_t min_chunk = 1024) {
  size_t threads = std::min<size_t>(cpu::thread_count(), (n + min_chunk - 1) / min_chunk);
  if (threads <= 1) {
    if (n) body(size_t(0), n, size_t(0));
    return;
  }
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> errors(threads);
  size_t chunk = (n + threads - 1) / threads;
  for (size_t t = 0; t < threads; t++) {
    size_t lo = t * chunk, hi = std::min(n, lo + chunk);
    if (lo >= hi) break;
    pool.emplace_back([&, lo, hi, t] {
      try {
        body(lo, hi, t);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}
