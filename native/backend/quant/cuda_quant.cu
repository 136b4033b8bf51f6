// CUDA bodies of the LLaMA forwards' row-wise and elementwise kernels, the kernel set's resource
// handling, and the CUDA entry point. Integer kernels call the same host/device functions as the
// CPU ones (native/quant/*.h), so both backends compute the same bits.
#include <climits>
#include <cstring>
#include "../../quant/llama_forward.h"
#include "../../quant/norm_silu_tables.h"
#include "cuda_quant_kernels.cuh"
#include "quant_kernels.h"

namespace cuda_quant {

namespace {
constexpr int THREADS = 256;

unsigned blocks(size_t n) { return blocks_for(n, THREADS); }

__device__ inline void warp_max_to(unsigned long long* target, unsigned long long v) {
  for (int off = 16; off > 0; off >>= 1) v = max(v, __shfl_xor_sync(0xffffffffu, v, off));
  if (threadIdx.x % 32 == 0) atomicMax(target, v);
}

__global__ void embed_f_kernel(const int32_t* tok, int T, const float* table, int D, float* x) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (size_t)T * D) return;
  x[i] = table[(size_t)tok[i / D] * D + i % D];
}

__global__ void embed_q_kernel(const int32_t* tok, int T, const float* table, int D, int s, int64_t* x) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (size_t)T * D) return;
  x[i] = fixedpoint::quantize(table[(size_t)tok[i / D] * D + i % D], s);
}

__global__ void rmsnorm_f_kernel(const float* x, int D, const float* w, double eps, float* y) {
  __shared__ double part[THREADS];
  const float* xr = x + (size_t)blockIdx.x * D;
  double ss = 0;
  for (int i = threadIdx.x; i < D; i += blockDim.x) ss += (double)xr[i] * xr[i];
  part[threadIdx.x] = ss;
  __syncthreads();
  for (int step = blockDim.x / 2; step > 0; step >>= 1) {
    if (threadIdx.x < step) part[threadIdx.x] += part[threadIdx.x + step];
    __syncthreads();
  }
  const float inv = (float)(1.0 / sqrt(part[0] / D + eps));
  for (int i = threadIdx.x; i < D; i += blockDim.x) y[(size_t)blockIdx.x * D + i] = xr[i] * inv * w[i];
}

__global__ void rope_f_kernel(float* x, int T, int heads, int hd, const float* cs, const float* sn) {
  const int half = hd / 2;
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (size_t)T * heads * half) return;
  const int t = (int)(i / ((size_t)heads * half)), j = (int)(i % half);
  float* b = x + (i / half) * hd;
  const float c = cs[(size_t)t * half + j], s = sn[(size_t)t * half + j], x1 = b[j], x2 = b[half + j];
  b[j] = x1 * c - x2 * s;
  b[half + j] = x2 * c + x1 * s;
}

__global__ void swiglu_f_kernel(const float* g, const float* u, size_t n, float* out) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

__global__ void add_f_kernel(float* x, const float* y, size_t n) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] += y[i];
}

__global__ void losses_kernel(const float* logits, int rows, int V, int t0, int T, const int32_t* tok, double* losses) {
  __shared__ float mx_part[THREADS];
  __shared__ double sum_part[THREADS];
  const int r = blockIdx.x, t = t0 + r;
  if (t >= T - 1) return;
  const float* row = logits + (size_t)r * V;
  float mx = -INFINITY;
  for (int o = threadIdx.x; o < V; o += blockDim.x) mx = fmaxf(mx, row[o]);
  mx_part[threadIdx.x] = mx;
  __syncthreads();
  for (int step = blockDim.x / 2; step > 0; step >>= 1) {
    if (threadIdx.x < step) mx_part[threadIdx.x] = fmaxf(mx_part[threadIdx.x], mx_part[threadIdx.x + step]);
    __syncthreads();
  }
  mx = mx_part[0];
  double z = 0;
  for (int o = threadIdx.x; o < V; o += blockDim.x) z += exp((double)row[o] - mx);
  sum_part[threadIdx.x] = z;
  __syncthreads();
  for (int step = blockDim.x / 2; step > 0; step >>= 1) {
    if (threadIdx.x < step) sum_part[threadIdx.x] += sum_part[threadIdx.x + step];
    __syncthreads();
  }
  if (threadIdx.x == 0) losses[t] = log(sum_part[0]) + mx - row[tok[t + 1]];
}

__global__ void to_int32_kernel(const int64_t* a, size_t n, int32_t* out, unsigned long long* max_abs, DeviceError* err) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  unsigned long long m = 0;
  if (i < n) {
    const long long v = a[i];
    if (!fixedpoint::fits_int32(v)) raise_error(err, ERR_INT32, v, (long long)i);
    out[i] = (int32_t)v;
    m = (unsigned long long)(v < 0 ? -v : v);
  }
  warp_max_to(max_abs, m);
}

__global__ void row_sumsq_kernel(const int64_t* x, int D, int64_t* out, DeviceError* err) {
  __shared__ unsigned long long part[THREADS];
  __shared__ int overflow;
  if (threadIdx.x == 0) overflow = 0;
  __syncthreads();
  const int64_t* xr = x + (size_t)blockIdx.x * D;
  unsigned long long ss = 0;
  for (int i = threadIdx.x; i < D; i += blockDim.x) {
    const long long v = xr[i];
    if (!fixedpoint::fits_int32(v)) {
      raise_error(err, ERR_INT32, v, (long long)blockIdx.x * D + i);
      continue;
    }
    const unsigned long long sq = (unsigned long long)(v * v);
    if (ss > (unsigned long long)LLONG_MAX - sq) overflow = 1;
    ss += sq;
  }
  part[threadIdx.x] = ss;
  __syncthreads();
  for (int step = blockDim.x / 2; step > 0; step >>= 1) {
    if (threadIdx.x < step) {
      if (part[threadIdx.x] > (unsigned long long)LLONG_MAX - part[threadIdx.x + step]) overflow = 1;
      part[threadIdx.x] += part[threadIdx.x + step];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    if (overflow) raise_error(err, ERR_SUMSQ, blockIdx.x);
    out[blockIdx.x] = (int64_t)part[0];
  }
}

__global__ void norm_apply_kernel(const int64_t* x, int T, int D, const int64_t* rinv, const int32_t* w, int g_bits, int s,
                                  fixedpoint::Rounding r, int64_t* y, DeviceError* err) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (size_t)T * D) return;
  const long long g = fixedpoint::rescale(rinv[i / D] * (long long)w[i % D], g_bits, r);
  if (!fixedpoint::fits_int32(g)) {
    raise_error(err, ERR_INT32, g, (long long)i);
    return;
  }
  y[i] = fixedpoint::rescale(x[i] * g, s, r);
}

__global__ void rope_q_kernel(int64_t* x, int T, int heads, int hd, const int32_t* cs, const int32_t* sn, int s,
                              fixedpoint::Rounding r, DeviceError* err) {
  const int half = hd / 2;
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (size_t)T * heads * half) return;
  const int t = (int)(i / ((size_t)heads * half)), j = (int)(i % half);
  const size_t base = (i / half) * hd;
  int64_t* b = x + base;
  const long long c = cs[(size_t)t * half + j], sv = sn[(size_t)t * half + j], x1 = b[j], x2 = b[half + j];
  if (!fixedpoint::fits_int32(x1) || !fixedpoint::fits_int32(x2)) {
    raise_error(err, ERR_INT32, fixedpoint::fits_int32(x1) ? x2 : x1, (long long)(base + (fixedpoint::fits_int32(x1) ? half + j : j)));
    return;
  }
  b[j] = fixedpoint::rescale(x1 * c - x2 * sv, s, r);
  b[half + j] = fixedpoint::rescale(x2 * c + x1 * sv, s, r);
}

__global__ void silu_q_kernel(const int64_t* g, size_t n, int table, int table_bits, int in_bits, int out_bits, int64_t* out,
                              DeviceError* err) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  if (table) {
    const long long idx = g[i] + (1LL << (table_bits - 1));
    if (idx < 0 || (idx >> table_bits) != 0) {
      raise_error(err, ERR_SILU, g[i], (long long)i);
      return;
    }
    out[i] = quant::silu_table_entry(idx, table_bits, in_bits, out_bits);
  } else {
    out[i] = quant::silu_value(g[i], in_bits, out_bits);
  }
}

__global__ void hadamard_q_kernel(const int64_t* a, const int64_t* b, size_t n, int bits, fixedpoint::Rounding r, int64_t* out,
                                  DeviceError* err) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  if (!fixedpoint::fits_int32(a[i]) || !fixedpoint::fits_int32(b[i])) {
    raise_error(err, ERR_INT32, fixedpoint::fits_int32(a[i]) ? b[i] : a[i], (long long)i);
    return;
  }
  out[i] = fixedpoint::rescale(a[i] * b[i], bits, r);
}

__global__ void add_q_kernel(int64_t* x, const int64_t* y, size_t n) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] += y[i];
}

__global__ void dequantize_kernel(const int64_t* x, size_t n, int s, float* out) {
  const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = (float)ldexp((double)x[i], -s);
}
}  // namespace

void throw_device_error(const DeviceError& e, const char* what, const quant::SoftmaxParams* p) {
  switch (e.code) {
    case ERR_NONE:
      return;
    case ERR_INT32:
      throw std::range_error(std::string(what) + ": value " + std::to_string(e.a) + " at index " + std::to_string(e.b) +
                             " does not fit an int32; lower valueBits");
    case ERR_BUDGET:
      throw std::range_error("zkAttn: shifted logit z = " + std::to_string(e.a) + " (row " + std::to_string(e.b) + ", column " +
                             std::to_string(e.c) + ") is beyond the digit budget 2^" + std::to_string(p ? p->budget_bits : 0) +
                             "; widen the segments, add an indicator segment (M) or lower logitBits");
    case ERR_SUMSQ:
      throw std::range_error("RMSNorm: the sum of squares of row " + std::to_string(e.a) + " overflows int64; lower valueBits");
    default:
      throw std::runtime_error(std::string(what) + ": device error code " + std::to_string(e.code));
  }
}

Kernels::Kernels(CudaQuantCache& cache) : cache_(cache) {
  cuda_use_device();
  const DeviceError none{};
  err_ = DeviceBuffer<DeviceError>(&none, 1);
  max_abs_ = DeviceBuffer<unsigned long long>(1);
}

void Kernels::check(const char* what, const quant::SoftmaxParams* p) {
  DeviceError e;
  err_.download(&e, 1);
  if (e.code == ERR_NONE) return;
  const DeviceError none{};
  err_.upload(&none, 1);
  throw_device_error(e, what, p);
}

const float* Kernels::weights_f(const float* host, size_t n) {
  auto it = cache_.floats.find(host);
  if (it == cache_.floats.end()) it = cache_.floats.emplace(host, DeviceBuffer<float>(host, n)).first;
  return it->second.get();
}

void Kernels::use_quant_weights(uint64_t id) {
  if (cache_.quantized_id == id) return;
  cache_.quantized.clear();
  cache_.quantized_id = id;
}

const int32_t* Kernels::weights_q(const std::vector<int32_t>& host) {
  auto it = cache_.quantized.find(host.data());
  if (it == cache_.quantized.end()) it = cache_.quantized.emplace(host.data(), DeviceBuffer<int32_t>(host.data(), host.size())).first;
  return it->second.get();
}

const int64_t* Kernels::table(const std::vector<int64_t>& host) {
  tables_.emplace_back(host.data(), host.size());
  return tables_.back().get();
}

void Kernels::embed_f(const int32_t* tok, int T, const float* table, int D, float* x) {
  embed_f_kernel<<<blocks((size_t)T * D), THREADS>>>(tok, T, table, D, x);
  CUDA_CHECK_LAUNCH();
}

void Kernels::rmsnorm_f(const float* x, int T, int D, const float* w, double eps, float* y) {
  rmsnorm_f_kernel<<<T, THREADS>>>(x, D, w, eps, y);
  CUDA_CHECK_LAUNCH();
}

void Kernels::rope_f(float* x, int T, int heads, int hd, const float* cs, const float* sn) {
  rope_f_kernel<<<blocks((size_t)T * heads * hd / 2), THREADS>>>(x, T, heads, hd, cs, sn);
  CUDA_CHECK_LAUNCH();
}

void Kernels::swiglu_f(const float* g, const float* u, size_t n, float* out) {
  swiglu_f_kernel<<<blocks(n), THREADS>>>(g, u, n, out);
  CUDA_CHECK_LAUNCH();
}

void Kernels::add_f(float* x, const float* y, size_t n) {
  add_f_kernel<<<blocks(n), THREADS>>>(x, y, n);
  CUDA_CHECK_LAUNCH();
}

void Kernels::lm_losses(const float* h, int T, int D, const float* lm, int V, const int32_t* tok, const int32_t*,
                        std::vector<double>& losses, std::vector<float>* logits) {
  const int block = std::max(1, std::min(T, (int)(4194304 / V)));
  DeviceBuffer<float> buf((size_t)block * V);
  DeviceBuffer<double> dl((size_t)T);
  if (logits) logits->resize((size_t)T * V);
  for (int t0 = 0; t0 < T; t0 += block) {
    const int rows = std::min(block, T - t0);
    cuda_quant::matmul_f(h + (size_t)t0 * D, rows, D, lm, V, buf.get());
    losses_kernel<<<rows, THREADS>>>(buf.get(), rows, V, t0, T, tok, dl.get());
    CUDA_CHECK_LAUNCH();
    if (logits) buf.download(logits->data() + (size_t)t0 * V, (size_t)rows * V);
  }
  losses.resize(T - 1);
  dl.download(losses.data(), (size_t)T - 1);
}

void Kernels::embed_q(const int32_t* tok, int T, const float* table, int D, int s, int64_t* x) {
  embed_q_kernel<<<blocks((size_t)T * D), THREADS>>>(tok, T, table, D, s, x);
  CUDA_CHECK_LAUNCH();
}

int64_t Kernels::to_int32(const int64_t* a, size_t n, int32_t* out, const char* what) {
  CUDA_CHECK(cudaMemset(max_abs_.get(), 0, sizeof(unsigned long long)));
  to_int32_kernel<<<blocks(n), THREADS>>>(a, n, out, max_abs_.get(), err_.get());
  CUDA_CHECK_LAUNCH();
  check(what);
  unsigned long long m = 0;
  max_abs_.download(&m, 1);
  return (int64_t)m;
}

void Kernels::row_sumsq(const int64_t* x, int T, int D, int64_t* out_host) {
  DeviceBuffer<int64_t> out((size_t)T);
  row_sumsq_kernel<<<T, THREADS>>>(x, D, out.get(), err_.get());
  CUDA_CHECK_LAUNCH();
  check("RMSNorm input");
  out.download(out_host, (size_t)T);
}

void Kernels::norm_apply(const int64_t* x, int T, int D, const int64_t* rinv_host, const int32_t* w, int g_bits, int s,
                         fixedpoint::Rounding r, int64_t* y) {
  DeviceBuffer<int64_t> rinv(rinv_host, (size_t)T);
  norm_apply_kernel<<<blocks((size_t)T * D), THREADS>>>(x, T, D, rinv.get(), w, g_bits, s, r, y, err_.get());
  CUDA_CHECK_LAUNCH();
  check("RMSNorm scale (1/rms x weight)");
}

void Kernels::rope_q(int64_t* x, int T, int heads, int hd, const int32_t* cs, const int32_t* sn, int s, fixedpoint::Rounding r) {
  rope_q_kernel<<<blocks((size_t)T * heads * hd / 2), THREADS>>>(x, T, heads, hd, cs, sn, s, r, err_.get());
  CUDA_CHECK_LAUNCH();
  check("RoPE input");
}

void Kernels::silu_q(const int64_t* g, size_t n, const quant::QuantConfig& c, int64_t* out) {
  const bool table = c.silu == quant::SiluKind::Table;
  silu_q_kernel<<<blocks(n), THREADS>>>(g, n, table ? 1 : 0, c.silu_table_bits, c.silu_in_bits, c.value_bits, out, err_.get());
  CUDA_CHECK_LAUNCH();
  DeviceError e;
  err_.download(&e, 1);
  if (e.code == ERR_NONE) return;
  const DeviceError none{};
  err_.upload(&none, 1);
  if (e.code != ERR_SILU) throw_device_error(e, "SiLU");
  const int tb = c.silu_table_bits;
  throw std::range_error("SiLU: gate " + std::to_string(std::ldexp((double)e.a, -c.silu_in_bits)) + " (index " + std::to_string(e.b) +
                         ") is outside the table's range [" + std::to_string(-std::ldexp(1.0, tb - 1 - c.silu_in_bits)) + ", " +
                         std::to_string(std::ldexp(1.0, tb - 1 - c.silu_in_bits)) + "); raise silu.tableBits or lower silu.inBits");
}

void Kernels::hadamard_q(const int64_t* a, const int64_t* b, size_t n, int bits, fixedpoint::Rounding r, int64_t* out) {
  hadamard_q_kernel<<<blocks(n), THREADS>>>(a, b, n, bits, r, out, err_.get());
  CUDA_CHECK_LAUNCH();
  check("Hadamard product input");
}

void Kernels::add_q(int64_t* x, const int64_t* y, size_t n) {
  add_q_kernel<<<blocks(n), THREADS>>>(x, y, n);
  CUDA_CHECK_LAUNCH();
}

void Kernels::dequantize(const int64_t* x, size_t n, int s, float* out) {
  dequantize_kernel<<<blocks(n), THREADS>>>(x, n, s, out);
  CUDA_CHECK_LAUNCH();
}

}  // namespace cuda_quant

namespace cuda {
void llama_forward(const quant::ModelHost& m, const quant::QuantWeights* qw, const quant::ForwardTables* tables,
                   const quant::ForwardRequest& rq, quant::ForwardResult& res, std::vector<float>* keep,
                   const std::vector<float>* kept, std::unique_ptr<quant::BackendCache>& cache) {
  cuda_use_device();
  if (!cache) cache = std::make_unique<cuda_quant::CudaQuantCache>();
  auto* c = dynamic_cast<cuda_quant::CudaQuantCache*>(cache.get());
  if (!c) throw std::logic_error("CUDA forward: the runner's cache belongs to another backend");
  cuda_quant::Kernels k(*c);
  if (rq.quantized)
    quant::forward_quant(k, m, *qw, *tables, rq, res, kept);
  else
    quant::forward_float(k, m, rq, res, keep);
  CUDA_CHECK(cudaDeviceSynchronize());
}
}  // namespace cuda
