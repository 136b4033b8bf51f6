#include "llama_model.h"
#include <atomic>
#include <cmath>
#include <stdexcept>
#include "fixed_point.h"

namespace quant {

size_t layer_tensor_size(const LlamaShape& s, int which) {
  const size_t D = s.hidden, I = s.intermediate, Q = (size_t)s.heads * s.head_dim, KVd = (size_t)s.kv_heads * s.head_dim;
  switch (which) {
    case ATTN_NORM:
    case FFN_NORM: return D;
    case WQ: return Q * D;
    case WK:
    case WV: return KVd * D;
    case WO: return D * Q;
    case WG:
    case WU: return I * D;
    case WD: return D * I;
  }
  throw std::out_of_range("no layer tensor " + std::to_string(which));
}

const char* layer_tensor_name(int which) {
  static const char* names[LAYER_TENSORS] = {"input_layernorm",        "self_attn.q_proj", "self_attn.k_proj",
                                             "self_attn.v_proj",       "self_attn.o_proj", "post_attention_layernorm",
                                             "mlp.gate_proj",          "mlp.up_proj",      "mlp.down_proj"};
  return which >= 0 && which < LAYER_TENSORS ? names[which] : "?";
}

QuantWeights quantize_weights(const ModelHost& m, int bits, fixedpoint::QuantizeRounding rounding) {
  static std::atomic<uint64_t> next_id{1};
  QuantWeights qw;
  qw.bits = bits;
  qw.rounding = rounding;
  qw.id = next_id++;
  qw.layers.resize(m.shape.layers);
  const double limit = std::ldexp(1.0, 31);
  for (int l = 0; l < m.shape.layers; l++) {
    for (int t = 0; t < LAYER_TENSORS; t++) {
      const size_t n = layer_tensor_size(m.shape, t);
      const float* src = m.layers[l][t];
      QuantMatrix& q = qw.layers[l][t];
      q.q.resize(n);
      int64_t mx = 0;
      for (size_t i = 0; i < n; i++) {
        const double v = std::ldexp((double)src[i], bits);
        if (!(std::fabs(v) < limit - 1))
          throw std::range_error("layer " + std::to_string(l) + " " + layer_tensor_name(t) + "[" + std::to_string(i) + "] = " +
                                 std::to_string(src[i]) + " does not fit an int32 at scale 2^" + std::to_string(bits) +
                                 "; lower weightBits");
        const int64_t r = fixedpoint::quantize(src[i], bits, rounding);
        q.q[i] = (int32_t)r;
        mx = std::max<int64_t>(mx, r < 0 ? -r : r);
      }
      q.max_abs = mx;
    }
  }
  return qw;
}

}  // namespace quant
