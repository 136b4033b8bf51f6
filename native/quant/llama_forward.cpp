#include "llama_forward.h"
#include <algorithm>
#include "fixed_point.h"

namespace quant {

RopeTables rope_tables(const LlamaShape& s, int T, int value_bits, fixedpoint::QuantizeRounding rounding) {
  const int half = s.head_dim / 2;
  RopeTables r;
  r.cos_f.resize((size_t)T * half);
  r.sin_f.resize((size_t)T * half);
  r.cos_q.resize((size_t)T * half);
  r.sin_q.resize((size_t)T * half);
  for (int i = 0; i < half; i++) {
    const double inv_freq = 1.0 / std::pow(s.rope_theta, (2.0 * i) / s.head_dim);
    for (int t = 0; t < T; t++) {
      const double a = t * inv_freq, c = std::cos(a), sn = std::sin(a);
      const size_t at = (size_t)t * half + i;
      r.cos_f[at] = (float)c;
      r.sin_f[at] = (float)sn;
      r.cos_q[at] = (int32_t)fixedpoint::quantize(c, value_bits, rounding);
      r.sin_q[at] = (int32_t)fixedpoint::quantize(sn, value_bits, rounding);
    }
  }
  return r;
}

SoftmaxParams softmax_params(const QuantConfig& c, int head_dim, const int64_t* const* tables) {
  SoftmaxParams sp{};
  sp.kind = c.softmax.kind;
  sp.rounding = c.rounding;
  sp.prob_bits = prob_bits(c);
  sp.logit_rescale = 2 * c.qk_bits - c.logit_bits;
  sp.c_in = zkattn::exp_denominator(table_config(c, head_dim));
  if (c.softmax.kind != SoftmaxKind::ZkAttn) return sp;
  sp.segments = (int)c.softmax.segment_bits.size();
  sp.range_only = c.softmax.range_only;
  sp.indicator = c.softmax.indicator;
  int shift = 0;
  for (int i = 0; i < sp.segments; i++) {
    sp.seg_bits[i] = c.softmax.segment_bits[i];
    sp.seg_shift[i] = shift;
    shift += sp.seg_bits[i];
    const bool mapping = i >= sp.range_only && i < sp.segments - sp.indicator;
    if (mapping && tables[i] == nullptr) throw std::logic_error("softmax_params: missing table of mapping segment " + std::to_string(i));
    sp.table[i] = mapping ? tables[i] : nullptr;
  }
  sp.budget_bits = shift;
  for (size_t j = 0; j < c.softmax.product_rescale_bits.size(); j++) sp.product_rescale[j + 1] = c.softmax.product_rescale_bits[j];
  return sp;
}

std::vector<int64_t> embed_rows(const ModelHost& m, const std::vector<int32_t>& tokens, int value_bits,
                                fixedpoint::QuantizeRounding rounding) {
  const int D = m.shape.hidden;
  std::vector<int64_t> x(tokens.size() * (size_t)D);
  for (size_t t = 0; t < tokens.size(); t++)
    for (int i = 0; i < D; i++) x[t * D + i] = fixedpoint::quantize(m.embed[(size_t)tokens[t] * D + i], value_bits, rounding);
  return x;
}

int norm_table_shift(int64_t max_sumsq, int table_bits) {
  for (int k = 0; k < 63; k++)
    if ((fixedpoint::rescale(max_sumsq, k, fixedpoint::Rounding::HalfUp) >> table_bits) == 0) return k;
  return 63;
}

std::string layer_context(int layer, const char* stage) {
  return "layer " + std::to_string(layer) + " (" + stage + "): ";
}

std::vector<int64_t> head_major(const std::vector<int64_t>& x, int T, int heads_in, int heads_out, int hd) {
  const int group = heads_out / heads_in;
  std::vector<int64_t> out((size_t)heads_out * T * hd);
  for (int h = 0; h < heads_out; h++)
    for (int t = 0; t < T; t++) {
      const int64_t* src = x.data() + ((size_t)t * heads_in + h / group) * hd;
      std::copy(src, src + hd, out.data() + ((size_t)h * T + t) * hd);
    }
  return out;
}

void compare_state(const std::vector<int64_t>& q, int value_bits, const float* ref, LayerReport& rep) {
  double num = 0, den = 0, mx = 0;
  for (size_t i = 0; i < q.size(); i++) {
    const double a = std::ldexp((double)q[i], -value_bits), b = ref[i], d = a - b;
    num += d * d;
    den += b * b;
    mx = std::max(mx, std::fabs(d));
  }
  rep.state_rel_rms_err = den > 0 ? std::sqrt(num / den) : std::sqrt(num);
  rep.state_max_abs_err = mx;
}

}  // namespace quant
