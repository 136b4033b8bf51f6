// Host allocations of a few MiB (eq tables, row folds, opening terms: 2 MiB each at rows of 2^16)
// come and go many times per proof. glibc serves them with fresh mmap'd pages, faulted in on first
// touch: about 1 ms per 2 MiB, more than the products that fill them. Served from the heap and kept
// mapped when freed (up to a bound), they are reused without faults. Set once, when the addon loads.
#if defined(__GLIBC__)
#include <malloc.h>

namespace {
struct HostAllocatorTuning {
  HostAllocatorTuning() {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // blocks below 32 MiB from the heap
    mallopt(M_TRIM_THRESHOLD, 256 << 20);  // at most 256 MiB of freed heap kept mapped
  }
} tuning;
}  // namespace
#endif
