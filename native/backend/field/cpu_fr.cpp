#include <vector>
#include "field_kernels.h"
#include "../../platform/cpu_parallel.h"

namespace cpu {

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
