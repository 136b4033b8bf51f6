#include <cstdlib>
#include <vector>
#include "backend.h"
#include "cpu_parallel.h"

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

// Montgomery's trick per chunk: prefix products, one inversion, then a backward sweep.
// About three products per element plus one exponentiation per thread.
void fr_batch_inverse(Fr* xs, size_t n) {
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
    std::vector<Fr> prefix(hi - lo);
    Fr acc = Fr::one();
    for (size_t i = lo; i < hi; i++) {
      prefix[i - lo] = acc;
      acc = acc * xs[i];
    }
    Fr inv = acc.inv();
    for (size_t i = hi; i-- > lo;) {
      Fr xi = xs[i];
      xs[i] = inv * prefix[i - lo];
      inv = inv * xi;
    }
  });
}

}  // namespace cpu
