#include "cpu_parallel.h"
#include <cstdlib>

namespace cpu {
unsigned thread_count() {
  static unsigned n = [] {
    if (const char* s = std::getenv("ZKLLM_THREADS")) {
      int v = std::atoi(s);
      if (v > 0) return (unsigned)v;
    }
    unsigned h = std::thread::hardware_concurrency();
    return h ? h : 1u;
  }();
  return n;
}
}  // namespace cpu
