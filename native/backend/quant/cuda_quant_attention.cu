// GPU causal attention of the LLaMA forwards: scores by the tiled product, one warp per softmax row,
// then softmax.V by the tiled product. The quantized row is the CPU's (cpu_quant_attention.cpp)
// computed by a warp: lane l adds columns l, l+32, ... and an xor butterfly combines the lanes,
// the order the CPU emulates, so shifts and outputs are the same bits.
#include <climits>
#include <cmath>
#include <cstring>
#include "../../quant/softmax_entry.h"
#include "cuda_quant_kernels.cuh"

namespace cuda_quant {

namespace {
constexpr int WARPS = 8;

__global__ void softmax_rows_f_kernel(float* s, int rows, int T) {
  const int row = blockIdx.x * WARPS + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= rows) return;
  const int r = row % T, len = r + 1;
  float* p = s + (long long)row * T;
  float mx = -INFINITY;
  for (int c = lane; c < len; c += 32) mx = fmaxf(mx, p[c]);
  for (int off = 16; off > 0; off >>= 1) mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, off));
  float sum = 0;
  for (int c = lane; c < len; c += 32) sum += __expf(p[c] - mx);
  for (int off = 16; off > 0; off >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, off);
  const float inv = 1.0f / sum;
  for (int c = lane; c < T; c += 32) p[c] = c < len ? __expf(p[c] - mx) * inv : 0.0f;
}

__global__ void softmax_rows_q_kernel(int64_t* s, int rows, int T, int causal, quant::SoftmaxParams p, int64_t* shift_out,
                                      DeviceStats* st, DeviceError* err) {
  const int row = blockIdx.x * WARPS + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= rows) return;
  const int r = row % T, len = causal ? r + 1 : T;
  int64_t* a = s + (long long)row * T;
  long long m = LLONG_MIN;
  for (int c = lane; c < len; c += 32) m = max(m, (long long)a[c]);
  for (int off = 16; off > 0; off >>= 1) m = max(m, __shfl_xor_sync(0xffffffffu, m, off));
  double sum = 0;
  for (int c = lane; c < len; c += 32) sum = detmath::add(sum, quant::shifted_exp(a[c], m, p.c_in));
  for (int off = 16; off > 0; off >>= 1) sum = detmath::add(sum, __shfl_xor_sync(0xffffffffu, sum, off));
  const long long shift = quant::row_shift(m, sum, p.c_in);
  if (shift_out && lane == 0) shift_out[row] = shift;
  const double inv_unit = ldexp(1.0, -p.prob_bits);
  long long row_sum = 0;
  double max_err = 0, sum_err = 0;
  for (int c = lane; c < T; c += 32) {
    if (c >= len) {
      a[c] = 0;
      continue;
    }
    const long long z = shift - a[c];
    bool oob = false;
    const long long y = quant::softmax_entry(p, z, &oob);
    if (oob) raise_error(err, ERR_BUDGET, z, r, c);
    const double e = quant::entry_error(y, inv_unit, quant::shifted_exp(a[c], m, p.c_in), sum);
    max_err = fmax(max_err, e);
    sum_err += e;
    row_sum += y;
    a[c] = y;
  }
  for (int off = 16; off > 0; off >>= 1) {
    row_sum += __shfl_xor_sync(0xffffffffu, row_sum, off);
    max_err = fmax(max_err, __shfl_xor_sync(0xffffffffu, max_err, off));
    sum_err += __shfl_xor_sync(0xffffffffu, sum_err, off);
  }
  if (lane == 0) {
    atomicMax(&st->max_err_bits, (unsigned long long)__double_as_longlong(max_err));
    atomicAdd(&st->sum_err, sum_err);
    atomicAdd(&st->entries, (unsigned long long)len);
    atomicMin(&st->row_sum_min, row_sum);
    atomicMax(&st->row_sum_max, row_sum);
  }
}

unsigned row_blocks(long long rows) { return (unsigned)((rows + WARPS - 1) / WARPS); }

DeviceStats fresh_stats() {
  DeviceStats s{};
  s.row_sum_min = LLONG_MAX;
  return s;
}

void merge_stats(const DeviceStats& d, quant::AttnStats& st) {
  quant::AttnStats o;
  std::memcpy(&o.max_abs_err, &d.max_err_bits, sizeof(double));
  o.sum_abs_err = d.sum_err;
  o.entries = (int64_t)d.entries;
  o.row_sum_min = d.row_sum_min;
  o.row_sum_max = d.row_sum_max;
  st.merge(o);
}
}  // namespace

void softmax_rows_f(float* s, int H, int T) {
  softmax_rows_f_kernel<<<row_blocks((long long)H * T), WARPS * 32>>>(s, H * T, T);
  CUDA_CHECK_LAUNCH();
}

void softmax_rows_q(int64_t* s, int rows, int T, bool causal, const quant::SoftmaxParams& p, int64_t* shift_out, DeviceStats* stats,
                    DeviceError* err) {
  softmax_rows_q_kernel<<<row_blocks(rows), WARPS * 32>>>(s, rows, T, causal ? 1 : 0, p, shift_out, stats, err);
  CUDA_CHECK_LAUNCH();
}

void Kernels::attention_f(const float* q, const float* k, const float* v, int T, int H, int KV, int hd, float* out) {
  DeviceBuffer<float> s((size_t)H * T * T);
  scores_f(q, k, T, H, KV, hd, 1.0f / std::sqrt((float)hd), s.get());
  softmax_rows_f(s.get(), H, T);
  context_f(s.get(), v, T, H, KV, hd, out);
}

void Kernels::attention_q(const int64_t* q, const int64_t* k, const int64_t* v, int T, int H, int KV, int hd,
                          const quant::SoftmaxParams& p, const std::vector<int>& out_rescale, quant::AttnStats& st, int64_t* out) {
  DeviceBuffer<int32_t> q32((size_t)T * H * hd), k32((size_t)T * KV * hd), v32((size_t)T * KV * hd);
  const int64_t qmax = to_int32(q, q32.size(), q32.get(), "query");
  const int64_t kmax = to_int32(k, k32.size(), k32.get(), "key");
  const int64_t vmax = to_int32(v, v32.size(), v32.get(), "value");
  if ((double)qmax * (double)kmax * hd >= 9.2e18)
    throw std::range_error("Q.K^T could overflow int64 (max |q| " + std::to_string(qmax) + ", max |k| " + std::to_string(kmax) +
                           "); lower qkBits");
  DeviceBuffer<int64_t> s((size_t)H * T * T);
  scores_q(q32.get(), k32.get(), T, H, KV, hd, p.logit_rescale, p.rounding, s.get());
  const DeviceStats init = fresh_stats();
  DeviceBuffer<DeviceStats> stats(&init, 1);
  softmax_rows_q(s.get(), H * T, T, true, p, nullptr, stats.get(), error());
  check("zkAttn softmax", &p);
  DeviceStats got;
  stats.download(&got, 1);
  // Y >= 0, so |sum_c Y_c v_c| <= row_sum * max |v|: no int64 overflow below this bound.
  if ((double)got.row_sum_max * (double)vmax >= 9.2e18)
    throw std::range_error("softmax.V could overflow int64 (row sum " + std::to_string(got.row_sum_max) + ", max |v| " +
                           std::to_string(vmax) + "); lower the probabilities' scale");
  context_q(s.get(), v32.get(), T, H, KV, hd, out_rescale, p.rounding, out);
  merge_stats(got, st);
}

}  // namespace cuda_quant

namespace cuda {
void softmax_rows(const quant::SoftmaxParams& p, const int64_t* logits, int rows, int n, bool causal, int64_t* y, int64_t* shift,
                  quant::AttnStats& stats) {
  cuda_use_device();
  cuda_quant::CudaQuantCache cache;
  cuda_quant::Kernels k(cache);
  quant::SoftmaxParams dp = p;
  std::vector<DeviceBuffer<int64_t>> tables;
  for (int i = 0; i < quant::MAX_SEGMENTS; i++) {
    if (!p.table[i]) continue;
    tables.emplace_back(p.table[i], (size_t)1 << p.seg_bits[i]);
    dp.table[i] = tables.back().get();
  }
  // Rows of n entries: the kernel's row index modulo its row length gives the causal row r, so
  // each row is laid out with stride n and "T" = n.
  DeviceBuffer<int64_t> s(logits, (size_t)rows * n), sh((size_t)rows);
  const cuda_quant::DeviceStats init = cuda_quant::fresh_stats();
  DeviceBuffer<cuda_quant::DeviceStats> st(&init, 1);
  cuda_quant::softmax_rows_q(s.get(), rows, n, causal, dp, sh.get(), st.get(), k.error());
  k.check("zkAttn softmax", &p);
  s.download(y, (size_t)rows * n);
  sh.download(shift, (size_t)rows);
  cuda_quant::DeviceStats got;
  st.download(&got, 1);
  cuda_quant::merge_stats(got, stats);
}
}  // namespace cuda
