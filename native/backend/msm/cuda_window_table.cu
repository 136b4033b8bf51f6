// Window tables (cuda_window_table.cuh) and the field-element row commitments that use them.
// Window bits grow with w up to 16: a bucket pass then has 2^c buckets per row, enough that each
// holds few points and the pass runs on many threads instead of long serial chains.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include "../../mle/mle.h"
#include "../commit/commit_kernels.h"
#include "cuda_msm.cuh"
#include "cuda_window_table.cuh"

namespace {

int table_window_bits(size_t w) { return std::min(16, std::max(4, mle_vars(w))); }

// jac[k·stride + i] = 2^(c·k)·P_i.
__global__ void multiples_kernel(const G1Affine* pts, size_t stride, int c, int windows, G1Jacobian* jac) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= stride) return;
  G1Jacobian p = G1Jacobian::from_affine(pts[i]);
  for (int k = 0; k < windows; k++) {
    jac[k * stride + i] = p;
    for (int d = 0; d < c; d++) p = p.dbl();
  }
}

// Column i of jac to affine with one inversion (Montgomery's trick along the column). No point
// is the identity: the generators have prime order and 2^(c·k) is not a multiple of it.
__global__ void normalise_kernel(const G1Jacobian* jac, Fq* prefix, size_t stride, int windows, G1Affine* out) {
  const size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (i >= stride) return;
  Fq acc = Fq::one();
  for (int k = 0; k < windows; k++) {
    prefix[k * stride + i] = acc;
    acc *= jac[k * stride + i].Z;
  }
  Fq inv = acc.inv();
  for (int k = windows - 1; k >= 0; k--) {
    const G1Jacobian& p = jac[k * stride + i];
    const Fq zi = inv * prefix[k * stride + i];
    inv *= p.Z;
    const Fq zi2 = zi.sqr();
    out[k * stride + i] = {p.X * zi2, p.Y * zi2 * zi};
  }
}

}  // namespace

std::shared_ptr<const WindowTable> window_table(const PedersenGenerators& key) {
  static std::mutex mu;
  static std::string label;
  static G1Affine first, q;
  static size_t w = 0;
  static std::shared_ptr<const WindowTable> cached;
  std::lock_guard<std::mutex> lock(mu);
  if (cached && label == key.label && w == key.g.size() && first.x == key.g[0].x && first.y == key.g[0].y &&
      q.x == key.q.x && q.y == key.q.y)
    return cached;
  cached.reset();
  cuda_use_device();
  const auto t0 = std::chrono::steady_clock::now();
  auto t = std::make_shared<WindowTable>();
  t->stride = key.g.size() + 1;
  t->c = table_window_bits(key.g.size());
  t->windows = (SCALAR_BITS + t->c - 1) / t->c;
  const size_t total = t->stride * t->windows;
  {
    std::vector<G1Affine> pts(key.g);
    pts.push_back(key.q);
    DeviceBuffer<G1Affine> d_pts(pts.data(), pts.size());
    DeviceBuffer<G1Jacobian> jac(total);
    DeviceBuffer<Fq> prefix(total);
    t->points = DeviceBuffer<G1Affine>(total);
    multiples_kernel<<<blocks_for(t->stride, 64), 64>>>(d_pts.get(), t->stride, t->c, t->windows, jac.get());
    CUDA_CHECK_LAUNCH();
    normalise_kernel<<<blocks_for(t->stride, 64), 64>>>(jac.get(), prefix.get(), t->stride, t->windows,
                                                        t->points.get());
    CUDA_CHECK_LAUNCH();
    CUDA_CHECK(cudaDeviceSynchronize());
  }
  if (std::getenv("ZKLLM_TRACE"))
    std::fprintf(stderr, "[msm] window table for w=%zu (c=%d): %.3f ms\n", key.g.size(), t->c,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  label = key.label, w = key.g.size(), first = key.g[0], q = key.q, cached = t;
  return cached;
}

namespace cuda {
void commit_rows_fixed_base(const PedersenGenerators& key, const ScalarRaw* scalars, size_t n, G1Jacobian* out,
                            MsmTiming* timing) {
  const auto t0 = std::chrono::steady_clock::now();
  auto table = window_table(key);
  const size_t w = key.g.size();
  DeviceBuffer<ScalarRaw> d_s(scalars, n);
  MsmScratch scratch;
  CudaEvent start, stop;
  start.record();
  g1_msm_rows_table(table->points.get(), table->stride, w, table->windows, table->c, d_s.get(), n, out, scratch);
  stop.record();
  if (timing) {
    timing->compute_ms = stop.ms_since(start);
    timing->total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
}
}  // namespace cuda
