// The CUDA kernel set of the LLaMA forwards (interface: native/quant/llama_forward.h). Buffers
// live on the device; weights are uploaded once per runner and kept in a CudaQuantCache; errors
// found inside kernels (a value beyond int32, a shifted logit beyond the digit budget, a gate
// outside the SiLU table) are raised in a device flag and thrown by the host after the launch,
// with the same wording as the CPU kernel set.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include "../../quant/llama_model.h"
#include "../../quant/softmax_entry.h"
#include "../device/cuda_common.cuh"

namespace cuda_quant {

enum ErrorCode : int { ERR_NONE = 0, ERR_INT32, ERR_BUDGET, ERR_SILU, ERR_SUMSQ };

struct DeviceError {
  int code;
  long long a, b, c;
};

// Attention statistics gathered with atomics (errors are >= 0, so their bits order as integers).
struct DeviceStats {
  unsigned long long max_err_bits;
  double sum_err;
  unsigned long long entries;
  long long row_sum_min, row_sum_max;
};

__device__ inline void raise_error(DeviceError* e, int code, long long a, long long b = 0, long long c = 0) {
  if (atomicCAS(&e->code, 0, code) == 0) {
    e->a = a;
    e->b = b;
    e->c = c;
  }
}

struct CudaQuantCache : quant::BackendCache {
  std::map<const void*, DeviceBuffer<float>> floats;
  std::map<const void*, DeviceBuffer<int32_t>> quantized;
  uint64_t quantized_id = 0;
};

// Launchers (cuda_quant_gemm.cu). y = x W^T for W in [out, in] layout.
void matmul_f(const float* x, int rows, int in, const float* w, int out, float* y);
void matmul_q(const int32_t* x, int rows, int in, const int32_t* w, int out, int bits, fixedpoint::Rounding r, int64_t* y);
// Causal attention scores per head: s[h][r][c] = q_r . k_c (c <= r only), scaled or rescaled.
void scores_f(const float* q, const float* k, int T, int H, int KV, int hd, float scale, float* s);
void scores_q(const int32_t* q, const int32_t* k, int T, int H, int KV, int hd, int rescale_bits, fixedpoint::Rounding r,
              int64_t* s);
// out[r][h][:] = sum_c p[h][r][c] v[c][h/group][:] (p is 0 above the diagonal).
void context_f(const float* p, const float* v, int T, int H, int KV, int hd, float* out);
void context_q(const int64_t* p, const int32_t* v, int T, int H, int KV, int hd, const std::vector<int>& out_rescale,
               fixedpoint::Rounding r, int64_t* out);

// zkattn's witness (every entry, stacked heads): s[h][r][c] = q[h][r]·k[h][c] for Q [H,m,d], K [H,n,d];
// u[h][r][:] = Σ_c y[h][r][c]·v[h][c][:] for Y [H,m,n], V [H,n,d].
void zkattn_logits(const int32_t* q, const int32_t* k, int H, int m, int n, int d, int64_t* s);
void zkattn_context(const int64_t* y, const int32_t* v, int H, int m, int n, int d, int64_t* u);

// Row kernels (cuda_quant_attention.cu).
void softmax_rows_f(float* s, int H, int T);
void softmax_rows_q(int64_t* s, int rows, int T, bool causal, const quant::SoftmaxParams& p, int64_t* shift_out,
                    DeviceStats* stats, DeviceError* err);

class Kernels {
 public:
  template <class T>
  class Buf {
   public:
    Buf(Kernels&, size_t n) : d_(n) {}
    explicit Buf(DeviceBuffer<T>&& d) : d_(std::move(d)) {}
    T* get() const { return d_.get(); }
    size_t size() const { return d_.size(); }
    const DeviceBuffer<T>& device() const { return d_; }

   private:
    DeviceBuffer<T> d_;
  };

  explicit Kernels(CudaQuantCache& cache);

  template <class T>
  Buf<T> upload(const T* p, size_t n) {
    return Buf<T>(DeviceBuffer<T>(p, n));
  }
  template <class T>
  void download(const Buf<T>& b, T* dst, size_t n) {
    b.device().download(dst, n);
  }
  const float* weights_f(const float* host, size_t n);
  void use_quant_weights(uint64_t id);
  const int32_t* weights_q(const std::vector<int32_t>& host);
  // Tables are uploaded per forward (they are small next to the weights, and their host copies
  // may be rebuilt between calls).
  const int64_t* table(const std::vector<int64_t>& host);

  void embed_f(const int32_t* tok, int T, const float* table, int D, float* x);
  void rmsnorm_f(const float* x, int T, int D, const float* w, double eps, float* y);
  void matmul_f(const float* x, int T, int in, const float* w, int out, float* y) { cuda_quant::matmul_f(x, T, in, w, out, y); }
  void rope_f(float* x, int T, int heads, int hd, const float* cs, const float* sn);
  void attention_f(const float* q, const float* k, const float* v, int T, int H, int KV, int hd, float* out);
  void swiglu_f(const float* g, const float* u, size_t n, float* out);
  void add_f(float* x, const float* y, size_t n);
  void lm_losses(const float* h, int T, int D, const float* lm, int V, const int32_t* tok, const int32_t* tok_host,
                 std::vector<double>& losses, std::vector<float>* logits);

  void embed_q(const int32_t* tok, int T, const float* table, int D, int s, int64_t* x);
  int64_t to_int32(const int64_t* a, size_t n, int32_t* out, const char* what);
  void matmul_q(const int32_t* x, int T, int in, const int32_t* w, int out, int bits, fixedpoint::Rounding r, int64_t* y) {
    cuda_quant::matmul_q(x, T, in, w, out, bits, r, y);
  }
  void row_sumsq(const int64_t* x, int T, int D, int64_t* out_host);
  void norm_apply(const int64_t* x, int T, int D, const int64_t* rinv_host, const int32_t* w, int g_bits, int s,
                  fixedpoint::Rounding r, int64_t* y);
  void rope_q(int64_t* x, int T, int heads, int hd, const int32_t* cs, const int32_t* sn, int s, fixedpoint::Rounding r);
  void attention_q(const int64_t* q, const int64_t* k, const int64_t* v, int T, int H, int KV, int hd,
                   const quant::SoftmaxParams& p, const std::vector<int>& out_rescale, quant::AttnStats& st, int64_t* out);
  void silu_q(const int64_t* g, size_t n, const quant::QuantConfig& c, int64_t* out);
  void hadamard_q(const int64_t* a, const int64_t* b, size_t n, int bits, fixedpoint::Rounding r, int64_t* out);
  void add_q(int64_t* x, const int64_t* y, size_t n);
  void dequantize(const int64_t* x, size_t n, int s, float* out);

  // Throws (and clears the flag) when a kernel since the last check raised an error.
  void check(const char* what, const quant::SoftmaxParams* p = nullptr);
  DeviceError* error() const { return err_.get(); }

 private:
  CudaQuantCache& cache_;
  DeviceBuffer<DeviceError> err_;
  DeviceBuffer<unsigned long long> max_abs_;
  std::vector<DeviceBuffer<int64_t>> tables_;
};

// Throws the message of a raised device error (the CPU kernel set's wording), or does nothing.
void throw_device_error(const DeviceError& e, const char* what, const quant::SoftmaxParams* p = nullptr);

}  // namespace cuda_quant
