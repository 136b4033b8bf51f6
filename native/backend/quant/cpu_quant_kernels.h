// The CPU kernel set of the LLaMA forwards (see native/quant/llama_forward.h for the interface the
// driver uses). Buffers are host vectors; weights and tables are read where the caller keeps them.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>
#include "../../quant/llama_model.h"
#include "../../quant/softmax_entry.h"

namespace cpu_quant {

// y[t, o] = sum_i x[t, i] w[o, i] (float accumulation), w in [out, in] layout.
void matmul_f(const float* x, int rows, int in, const float* w, int out, float* y);
// y[t, o] = rescale(sum_i x[t, i] w[o, i], bits) with exact int64 accumulation.
void matmul_q(const int32_t* x, int rows, int in, const int32_t* w, int out, int bits, fixedpoint::Rounding r, int64_t* y);

void attention_f(const float* q, const float* k, const float* v, int T, int H, int KV, int hd, float* out);
void attention_q(const int64_t* q, const int64_t* k, const int64_t* v, int T, int H, int KV, int hd,
                 const quant::SoftmaxParams& p, const std::vector<int>& out_rescale, quant::AttnStats& stats, int64_t* out);
// One softmax row of `len` logits: writes Y[0..len), returns the shift. Throws for a z beyond the
// digit budget, naming `row`.
int64_t softmax_row(const quant::SoftmaxParams& p, const int64_t* a, int len, int64_t* y, quant::AttnStats& st, int row);

// int64 -> int32, throwing (with `what`) for a value that does not fit; returns max |value|.
int64_t to_int32(const int64_t* a, size_t n, int32_t* out, const char* what);

class Kernels {
 public:
  template <class T>
  class Buf {
   public:
    Buf(Kernels&, size_t n) : v_(n) {}
    T* get() { return v_.data(); }
    const T* get() const { return v_.data(); }
    size_t size() const { return v_.size(); }

   private:
    std::vector<T> v_;
  };
  template <class T>
  Buf<T> upload(const T* p, size_t n) {
    Buf<T> b(*this, n);
    std::copy(p, p + n, b.get());
    return b;
  }
  template <class T>
  void download(const Buf<T>& b, T* dst, size_t n) {
    std::copy(b.get(), b.get() + n, dst);
  }
  const float* weights_f(const float* host, size_t) { return host; }
  void use_quant_weights(uint64_t) {}
  const int32_t* weights_q(const std::vector<int32_t>& host) { return host.data(); }
  const int64_t* table(const std::vector<int64_t>& host) { return host.data(); }

  // float forward
  void embed_f(const int32_t* tok, int T, const float* table, int D, float* x);
  void rmsnorm_f(const float* x, int T, int D, const float* w, double eps, float* y);
  void matmul_f(const float* x, int T, int in, const float* w, int out, float* y) { cpu_quant::matmul_f(x, T, in, w, out, y); }
  void rope_f(float* x, int T, int heads, int hd, const float* cs, const float* sn);
  void attention_f(const float* q, const float* k, const float* v, int T, int H, int KV, int hd, float* out) {
    cpu_quant::attention_f(q, k, v, T, H, KV, hd, out);
  }
  void swiglu_f(const float* g, const float* u, size_t n, float* out);
  void add_f(float* x, const float* y, size_t n);
  void lm_losses(const float* h, int T, int D, const float* lm, int V, const int32_t* tok, const int32_t* tok_host,
                 std::vector<double>& losses, std::vector<float>* logits);

  // fixed-point forward
  void embed_q(const int32_t* tok, int T, const float* table, int D, int s, int64_t* x);
  int64_t to_int32(const int64_t* a, size_t n, int32_t* out, const char* what) { return cpu_quant::to_int32(a, n, out, what); }
  void matmul_q(const int32_t* x, int T, int in, const int32_t* w, int out, int bits, fixedpoint::Rounding r, int64_t* y) {
    cpu_quant::matmul_q(x, T, in, w, out, bits, r, y);
  }
  void row_sumsq(const int64_t* x, int T, int D, int64_t* out_host);
  void norm_apply(const int64_t* x, int T, int D, const int64_t* rinv_host, const int32_t* w, int g_bits, int s,
                  fixedpoint::Rounding r, int64_t* y);
  void rope_q(int64_t* x, int T, int heads, int hd, const int32_t* cs, const int32_t* sn, int s, fixedpoint::Rounding r);
  void attention_q(const int64_t* q, const int64_t* k, const int64_t* v, int T, int H, int KV, int hd,
                   const quant::SoftmaxParams& p, const std::vector<int>& out_rescale, quant::AttnStats& st, int64_t* out) {
    cpu_quant::attention_q(q, k, v, T, H, KV, hd, p, out_rescale, st, out);
  }
  void silu_q(const int64_t* g, size_t n, const quant::QuantConfig& c, int64_t* out);
  void hadamard_q(const int64_t* a, const int64_t* b, size_t n, int bits, fixedpoint::Rounding r, int64_t* out);
  void add_q(int64_t* x, const int64_t* y, size_t n);
  void dequantize(const int64_t* x, size_t n, int s, float* out);
};

}  // namespace cpu_quant
