#include "../../commit/hash_to_g1.cuh"
#include "../../curve/g1_batch_affine.h"
#include "commit_kernels.h"
#include "../../platform/cpu_parallel.h"

namespace cpu {

// Chunks of 256 points amortise one inversion (the batch normalisation) over the chunk.
void derive_generators(const uint8_t digest[32], uint8_t kind, uint64_t first, size_t count, G1Affine* out) {
  constexpr size_t CHUNK = 256;
  const size_t chunks = (count + CHUNK - 1) / CHUNK;
  cpu_parallel_chunks(
      chunks,
      [&](size_t lo, size_t hi, size_t) {
        std::vector<G1Jacobian> jac(CHUNK);
        for (size_t k = lo; k < hi; k++) {
          const size_t a = k * CHUNK, len = std::min(CHUNK, count - a);
          for (size_t i = 0; i < len; i++) jac[i] = hash_to_g1(digest, kind, first + a + i);
          g1_batch_to_affine(jac.data(), out + a, len);
        }
      },
      1);
}

}  // namespace cpu
