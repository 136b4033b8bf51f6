// zkattn's witness on the GPU (interface: proto/zkattn_witness.h), the values attention_witness
// computes on the host, kept in device memory for a device tensor store: the logits by the tiled
// integer product, each row's shift by one warp in the forward's reduction order, one thread per
// score entry for the digits, segment outputs, products and Y (checked against softmax_entry, as
// the host checks Y against the forward's softmax), one warp per row for the row sums, and Y·V by
// the tiled product. Errors raised in kernels are thrown after the launch with the host's wording.
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <map>
#include "../../proto/zkattn_witness.h"
#include "../../quant/llama_forward.h"
#include "../../quant/llama_runner.h"
#include "../../witness/witness.h"
#include "cuda_quant_kernels.cuh"
#include "quant_kernels.h"

namespace {
using cuda_quant::DeviceError;
using cuda_quant::raise_error;
constexpr int THREADS = 256, WARPS = 8, MAX_DIGITS = 4;
enum WitnessError : int { ERR_BUDGET = cuda_quant::ERR_BUDGET, ERR_ROWSUM = 16, ERR_Y, ERR_CONTEXT };

unsigned blocks_for(size_t n) { return (unsigned)std::min<size_t>((n + THREADS - 1) / THREADS, 65535u * 8); }

// ZKLLM_TRACE=1: each step's time (the device waited for at every step), to stderr.
class Steps {
 public:
  Steps() : on_(std::getenv("ZKLLM_TRACE") != nullptr), t0_(std::chrono::steady_clock::now()) {}
  void operator()(const char* step) {
    if (!on_) return;
    CUDA_CHECK(cudaDeviceSynchronize());
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "[zkattn witness] %-32s %9.3f ms\n", step, std::chrono::duration<double, std::milli>(now - t0_).count());
    t0_ = now;
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point t0_;
};

// A rescale x = 2^k·y + e − 2^{k−1} with e split into digits (lowest first).
struct Rescale {
  int k, digits;
  int bits[MAX_DIGITS];
  int64_t* e[MAX_DIGITS];
};
__device__ int64_t rescale_into(const Rescale& r, int64_t x, size_t i) {
  if (r.k == 0) return x;
  const int64_t y = fixedpoint::rescale(x, r.k, fixedpoint::Rounding::HalfUp);
  const int64_t e = x + (int64_t(1) << (r.k - 1)) - (y << r.k);
  for (int t = 0, off = 0; t < r.digits; off += r.bits[t], t++) r.e[t][i] = (e >> off) & ((int64_t(1) << r.bits[t]) - 1);
  return y;
}
__global__ void rescale_kernel(const int64_t* x, int64_t* y, size_t n, Rescale r) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) y[i] = rescale_into(r, x[i], i);
}

__global__ void draw_kernel(int32_t* out, size_t n, uint64_t seed, uint64_t id, int64_t lo, uint64_t span) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
    out[i] = (int32_t)witness_int(seed, id, i, lo, span);
}

__global__ void widen_kernel(const int32_t* x, int64_t* y, size_t n) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) y[i] = x[i];
}

// The row shift of each live row (r + n − m + 1 keys): the forward's warp reduction
// (cuda_quant_attention.cu, emulated by cpu_quant_attention.cpp), so the shift is the same bits.
__global__ void row_shift_kernel(const int64_t* A, int rows, int m, int n, double c_in, int64_t* shift) {
  const int row = blockIdx.x * WARPS + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= rows) return;
  const int r = row % m, len = r + n - m + 1;
  const int64_t* a = A + (long long)row * n;
  long long mx = LLONG_MIN;
  for (int c = lane; c < len; c += 32) mx = max(mx, (long long)a[c]);
  for (int off = 16; off > 0; off >>= 1) mx = max(mx, __shfl_xor_sync(0xffffffffu, mx, off));
  double sum = 0;
  for (int c = lane; c < len; c += 32) sum = detmath::add(sum, quant::shifted_exp(a[c], mx, c_in));
  for (int off = 16; off > 0; off >>= 1) sum = detmath::add(sum, __shfl_xor_sync(0xffffffffu, sum, off));
  if (lane == 0) shift[row] = quant::row_shift(mx, sum, c_in);
}

struct Entries {
  int K, L, M, J;
  int seg_bits[quant::MAX_SEGMENTS], seg_shift[quant::MAX_SEGMENTS];
  const int64_t* table[quant::MAX_SEGMENTS];  // segment outputs (mapping and indicator segments)
  int64_t* D[quant::MAX_SEGMENTS];
  int64_t* F[quant::MAX_SEGMENTS];
  int64_t* P[quant::MAX_SEGMENTS];  // P_1..P_J at [j − 1]
  Rescale product[quant::MAX_SEGMENTS];
  int64_t* Y;
};
// One score entry: z = shift − A where live (0 elsewhere), its digits, segment outputs, products
// and Y; a live entry's Y must be the forward's softmax_entry.
__global__ void entries_kernel(const int64_t* A, const int64_t* shift, size_t total, int m, int n, Entries w,
                               quant::SoftmaxParams sp, DeviceError* err) {
  for (size_t x = blockIdx.x * (size_t)blockDim.x + threadIdx.x; x < total; x += (size_t)gridDim.x * blockDim.x) {
    const size_t hr = x / n;
    const int r = (int)(hr % m), c = (int)(x % n);
    const bool live = c <= r + n - m;
    const int64_t z = live ? shift[hr] - A[x] : 0;
    int64_t f[quant::MAX_SEGMENTS];
    for (int i = 0; i < w.K; i++) {
      const int64_t d = (z >> w.seg_shift[i]) & ((int64_t(1) << w.seg_bits[i]) - 1);
      w.D[i][x] = d;
      if (i >= w.L) w.F[i][x] = f[i] = w.table[i][d];
    }
    int64_t p = f[w.L];
    for (int j = 1; j <= w.J; j++) {
      p = rescale_into(w.product[j - 1], p * f[w.L + j], x);
      w.P[j - 1][x] = p;
    }
    int64_t y = live ? p : 0;
    if (w.M == 1) y *= f[w.K - 1];
    w.Y[x] = y;
    if (live) {
      bool oob = false;
      const int64_t ref = quant::softmax_entry(sp, z, &oob);
      if (oob) raise_error(err, ERR_BUDGET, z, r + n - m, c);
      else if (ref != y) raise_error(err, ERR_Y, (long long)x);
    }
  }
}

// Σ_c Y of each row against the bound, its digits, and the softmax.V overflow check.
__global__ void row_sums_kernel(const int64_t* Y, int rows, int n, int64_t low, int bound_bits, Rescale digits, double vmax,
                                DeviceError* err) {
  const int row = blockIdx.x * WARPS + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= rows) return;
  long long s = 0;
  for (int c = lane; c < n; c += 32) s += Y[(long long)row * n + c];
  for (int off = 16; off > 0; off >>= 1) s += __shfl_xor_sync(0xffffffffu, s, off);
  if (lane) return;
  const int64_t dlt = s - low;
  if (dlt < 0 || (dlt >> bound_bits) != 0) raise_error(err, ERR_ROWSUM, s, row);
  if ((double)s * vmax >= 9.2e18) raise_error(err, ERR_CONTEXT, s, row);
  for (int t = 0, off = 0; t < digits.digits; off += digits.bits[t], t++)
    digits.e[t][row] = (dlt >> off) & ((int64_t(1) << digits.bits[t]) - 1);
}

__global__ void shift_bits_kernel(const int64_t* shift, size_t rows, int64_t* bits) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < rows * SHIFT_BITS; i += (size_t)gridDim.x * blockDim.x) {
    const uint64_t u = (uint64_t)shift[i / SHIFT_BITS] ^ (uint64_t(1) << 63);  // shift + 2^63
    bits[i] = (int64_t)((u >> (i % SHIFT_BITS)) & 1);
  }
}

class Witness : public DeviceAttentionWitness {
 public:
  const int64_t* device(const std::string& name) const override {
    auto it = t_.find(name);
    return it == t_.end() ? nullptr : it->second.get();
  }
  std::vector<int64_t> host(const std::string& name) const override { return t_.at(name).to_host(); }
  int64_t* make(const std::string& name, size_t n) { return (t_[name] = DeviceBuffer<int64_t>(n)).get(); }

  Rescale rescale(const std::string& base, const RescaleSpec& r, size_t n) {
    if (r.digit_bits.size() > (size_t)MAX_DIGITS) throw std::logic_error("zkattn witness: more than 4 digits in a rescale");
    Rescale out{r.k, (int)r.digit_bits.size(), {}, {}};
    for (size_t t = 0; t < r.digit_bits.size(); t++) out.bits[t] = r.digit_bits[t], out.e[t] = make(digit_name(base, t), n);
    return out;
  }

 private:
  std::map<std::string, DeviceBuffer<int64_t>> t_;
};

void check(const DeviceBuffer<DeviceError>& err, const AttentionStatement& a, const AttentionShape& s, const quant::SoftmaxParams& sp) {
  DeviceError e;
  err.download(&e, 1);
  switch (e.code) {
    case cuda_quant::ERR_NONE: return;
    case ERR_ROWSUM: throw_row_sum_outside(a, (uint64_t)e.b / s.m, (uint64_t)e.b % s.m, e.a);
    case ERR_CONTEXT: throw_context_overflow(e.a);
    case ERR_Y: throw std::logic_error("zkattn: the digits' softmax differs from the forward's");
    default: cuda_quant::throw_device_error(e, "zkattn", &sp);
  }
}
}  // namespace

namespace cuda {
std::unique_ptr<DeviceAttentionWitness> attention_witness(const AttentionStatement& a, const AttentionLayout& lay, const AttentionInputs& in) {
  cuda_use_device();
  const AttentionShape& s = lay.shape;
  const int H = (int)s.H, m = (int)s.m, n = (int)s.n, d = (int)s.d;
  const size_t N = s.H * s.m * s.n, rows = s.H * s.m;
  const auto& c = a.config;
  int64_t vmax;
  if (in.seeded) {
    const double qmax = std::ldexp(1.0, c.qk_bits);
    if (qmax * qmax * (double)s.d >= 9.2e18) throw std::range_error("zkattn: Q.K^T could overflow int64 (qkBits " + std::to_string(c.qk_bits) + ")");
    vmax = int64_t(1) << c.value_bits;
  } else {
    vmax = attention_input_bounds(*in.Q, *in.K, *in.V, s.d);
  }
  Steps step;
  auto w = std::make_unique<Witness>();
  const DeviceError none{};
  DeviceBuffer<DeviceError> err(&none, 1);

  // Q, K, V: int32 for the products, int64 for the store; drawn here from a seed, or uploaded.
  std::map<std::string, DeviceBuffer<int32_t>> narrow;
  const size_t nq = rows * s.d, nk = s.H * s.n * s.d;
  const struct {
    const char* name;
    const std::vector<int64_t>* given;
    size_t count;
    uint64_t id;
    int bits;
  } inputs[] = {{"Q", in.Q, nq, ATTENTION_ID_Q, c.qk_bits}, {"K", in.K, nk, ATTENTION_ID_K, c.qk_bits}, {"V", in.V, nk, ATTENTION_ID_V, c.value_bits}};
  for (const auto& x : inputs) {
    if (in.seeded) {
      narrow[x.name] = DeviceBuffer<int32_t>(x.count);
      draw_kernel<<<blocks_for(x.count), THREADS>>>(narrow[x.name].get(), x.count, in.seed, x.id, -(int64_t(1) << x.bits), uint64_t(1) << (x.bits + 1));
      CUDA_CHECK_LAUNCH();
    } else {
      std::vector<int32_t> v32(x.given->begin(), x.given->end());
      narrow[x.name] = DeviceBuffer<int32_t>(v32.data(), v32.size());
    }
    widen_kernel<<<blocks_for(x.count), THREADS>>>(narrow[x.name].get(), w->make(x.name, x.count), x.count);
    CUDA_CHECK_LAUNCH();
  }

  step("Q, K, V");
  // Logits S = Q·K^T and the rescaled A.
  int64_t* S = w->make("S", N);
  cuda_quant::zkattn_logits(narrow["Q"].get(), narrow["K"].get(), H, m, n, d, S);
  step("Q.K^T");
  const int64_t* A = S;
  if (lay.logit.k > 0) {
    const Rescale r = w->rescale("A", lay.logit, N);
    int64_t* a_out = w->make("A", N);
    rescale_kernel<<<blocks_for(N), THREADS>>>(S, a_out, N, r);
    CUDA_CHECK_LAUNCH();
    A = a_out;
  }

  step("rescaled logits");
  // Row shifts, with the forward's softmax parameters over device tables.
  std::vector<DeviceBuffer<int64_t>> seg(lay.K);
  const int64_t* table_ptrs[quant::MAX_SEGMENTS] = {};
  for (int i = lay.L; i < lay.K; i++) {
    const std::vector<int64_t> out = segment_outputs(a, s, i);
    seg[i] = DeviceBuffer<int64_t>(out.data(), out.size());
    table_ptrs[i] = seg[i].get();
  }
  const quant::SoftmaxParams sp = quant::softmax_params(a.config, d, table_ptrs);
  int64_t* shift = w->make("shift", rows);
  row_shift_kernel<<<(unsigned)((rows + WARPS - 1) / WARPS), WARPS * 32>>>(A, (int)rows, m, n, sp.c_in, shift);
  CUDA_CHECK_LAUNCH();
  if (lay.shift_bits) {
    shift_bits_kernel<<<blocks_for(rows * SHIFT_BITS), THREADS>>>(shift, rows, w->make("shift.bits", rows * SHIFT_BITS));
    CUDA_CHECK_LAUNCH();
  }

  step("row shifts");
  // Digits, segment outputs, products and Y.
  Entries e{};
  e.K = lay.K, e.L = lay.L, e.M = lay.M, e.J = (int)lay.product.size();
  if (lay.K > quant::MAX_SEGMENTS || e.J + lay.L >= quant::MAX_SEGMENTS + 1) throw std::logic_error("zkattn witness: too many segments");
  for (int i = 0; i < lay.K; i++) {
    e.seg_bits[i] = lay.seg_bits[i], e.seg_shift[i] = lay.seg_shift[i];
    e.D[i] = w->make("D" + std::to_string(i), N);
    if (i >= lay.L) e.F[i] = w->make("F" + std::to_string(i), N), e.table[i] = seg[i].get();
  }
  for (int j = 1; j <= e.J; j++) {
    e.product[j - 1] = w->rescale(lay.P(j), lay.product[j - 1], N);
    e.P[j - 1] = w->make(lay.P(j), N);
  }
  e.Y = w->make("Y", N);
  entries_kernel<<<blocks_for(N), THREADS>>>(A, shift, N, m, n, e, sp, err.get());
  CUDA_CHECK_LAUNCH();
  check(err, a, s, sp);
  step("entries");

  // Row sums against the bound.
  const Rescale rowsum = w->rescale("rowsum", {1, lay.row_digit_bits}, rows);  // its digits (k unused)
  row_sums_kernel<<<(unsigned)((rows + WARPS - 1) / WARPS), WARPS * 32>>>(e.Y, (int)rows, n, a.row_sum_low, a.row_sum_bits, rowsum,
                                                                          (double)vmax, err.get());
  CUDA_CHECK_LAUNCH();
  check(err, a, s, sp);
  step("row sums");

  // U = Y·V, rescaled to O.
  const size_t nu = rows * s.d;
  DeviceBuffer<int64_t> U(nu), next(nu);
  cuda_quant::zkattn_context(e.Y, narrow["V"].get(), H, m, n, d, U.get());
  step("Y.V");
  for (size_t t = 0; t < lay.output.size(); t++) {
    const Rescale r = w->rescale("U" + std::to_string(t + 1), lay.output[t], nu);
    rescale_kernel<<<blocks_for(nu), THREADS>>>(U.get(), next.get(), nu, r);
    CUDA_CHECK_LAUNCH();
    std::swap(U, next);
  }
  int64_t* O = w->make("O", nu);
  CUDA_CHECK(cudaMemcpy(O, U.get(), nu * sizeof(int64_t), cudaMemcpyDeviceToDevice));
  step("output rescales");
  return w;
}
}  // namespace cuda
