#include "quant_config.h"
#include <cmath>
#include <stdexcept>

namespace quant {

namespace {
void need(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("quantization config: " + what);
}
void in_range(int v, int lo, int hi, const std::string& name) {
  need(v >= lo && v <= hi, name + " = " + std::to_string(v) + " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
}
std::string list(const std::vector<int>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); i++) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}
}  // namespace

void validate_shape(const LlamaShape& s) {
  auto pos = [](int v, const char* name) {
    if (v <= 0) throw std::invalid_argument(std::string("model shape: ") + name + " must be positive");
  };
  pos(s.hidden, "hidden size");
  pos(s.intermediate, "intermediate size");
  pos(s.layers, "layer count");
  pos(s.heads, "head count");
  pos(s.kv_heads, "key/value head count");
  pos(s.head_dim, "head dimension");
  pos(s.vocab, "vocabulary size");
  if (s.heads % s.kv_heads) throw std::invalid_argument("model shape: heads must be a multiple of key/value heads");
  if (s.head_dim % 2) throw std::invalid_argument("model shape: the head dimension must be even for RoPE");
  if (!(s.rms_eps > 0) || !(s.rope_theta > 0)) throw std::invalid_argument("model shape: eps and rope theta must be positive");
}

int prob_bits(const QuantConfig& c) {
  if (c.softmax.kind == SoftmaxKind::FloatExp) return c.softmax.float_prob_bits;
  int b = 0;
  for (int t : c.softmax.theta_bits) b += t;
  for (int r : c.softmax.product_rescale_bits) b -= r;
  return b;
}

zkattn::TableConfig table_config(const QuantConfig& c, int head_dim) {
  zkattn::TableConfig t;
  t.segment_bits = c.softmax.segment_bits;
  t.range_only = c.softmax.range_only;
  t.indicator = c.softmax.indicator;
  for (int b : c.softmax.theta_bits) t.theta.push_back(int64_t(1) << b);
  t.sf_in = std::ldexp(1.0, c.logit_bits);
  t.head_dim = head_dim;
  return t;
}

std::string table_key(const QuantConfig& c, int head_dim) {
  return list(c.softmax.segment_bits) + "L" + std::to_string(c.softmax.range_only) + "M" + std::to_string(c.softmax.indicator) +
         "t" + list(c.softmax.theta_bits) + "s" + std::to_string(c.logit_bits) + "d" + std::to_string(head_dim);
}

void validate_config(const QuantConfig& c, const LlamaShape& s) {
  in_range(c.value_bits, 2, 24, "valueBits");
  in_range(c.weight_bits, 2, 24, "weightBits");
  in_range(c.qk_bits, 1, 24, "qkBits");
  need(c.qk_bits <= c.value_bits + c.weight_bits, "qkBits must not exceed valueBits + weightBits (Q and K are rescaled down from the projection)");
  in_range(c.logit_bits, 0, 2 * c.qk_bits, "logitBits");
  need(c.rounding == fixedpoint::Rounding::HalfUp || c.rounding == fixedpoint::Rounding::HalfAway, "unknown rounding");
  need(c.quantize_rounding == fixedpoint::QuantizeRounding::HalfAway || c.quantize_rounding == fixedpoint::QuantizeRounding::HalfEven,
       "unknown quantizeRounding");

  const SoftmaxConfig& sm = c.softmax;
  const int P = prob_bits(c);
  if (sm.kind == SoftmaxKind::ZkAttn) {
    need((int)sm.segment_bits.size() <= MAX_SEGMENTS, "at most " + std::to_string(MAX_SEGMENTS) + " softmax segments");
    zkattn::TableConfig t;
    t.segment_bits = sm.segment_bits;
    t.range_only = sm.range_only;
    t.indicator = sm.indicator;
    for (int b : sm.theta_bits) {
      in_range(b, 0, 53, "thetaBits entry");
      t.theta.push_back(int64_t(1) << b);
    }
    t.sf_in = std::ldexp(1.0, c.logit_bits);
    t.head_dim = s.head_dim;
    zkattn::validate(t);
    const int mappings = (int)sm.theta_bits.size();
    need((int)sm.product_rescale_bits.size() == mappings - 1,
         "productRescaleBits needs one entry per mapping segment after the first (" + std::to_string(mappings - 1) + "), got " +
             list(sm.product_rescale_bits));
    // The running product stays an int64: f_i <= theta_i, so its bits only grow by theta's.
    int bits = sm.theta_bits[0];
    for (int j = 1; j < mappings; j++) {
      need(bits + sm.theta_bits[j] <= 62, "the product of segment outputs reaches 2^" + std::to_string(bits + sm.theta_bits[j]) +
                                               " before its rescale; add productRescaleBits or lower thetaBits");
      in_range(sm.product_rescale_bits[j - 1], 0, bits + sm.theta_bits[j], "productRescaleBits entry");
      bits += sm.theta_bits[j] - sm.product_rescale_bits[j - 1];
    }
  } else if (sm.kind == SoftmaxKind::FloatExp) {
    in_range(sm.float_prob_bits, 1, 52, "probBits");
  } else {
    need(false, "unknown softmax kind");
  }
  in_range(P, 1, 60, "the probabilities' scale bits");
  need(sm.output_rescale_bits.size() <= (size_t)MAX_SEGMENTS, "at most " + std::to_string(MAX_SEGMENTS) + " output rescales");
  int out = 0;
  for (int r : sm.output_rescale_bits) {
    in_range(r, 1, 62, "outputRescaleBits entry");
    out += r;
  }
  need(out == P, "outputRescaleBits " + list(sm.output_rescale_bits) + " must add up to the probabilities' scale bits " + std::to_string(P) +
                     ", so that softmax.V comes back to V's scale");

  if (c.norm == NormKind::Table) in_range(c.norm_table_bits, 4, 26, "norm.tableBits");
  in_range(c.norm_out_bits, 2, 30, "norm.outBits");
  need(c.norm_out_bits + c.weight_bits >= c.value_bits, "norm.outBits + weightBits must be at least valueBits");
  // 1/rms is at most 1/sqrt(eps); times an int32 weight it must stay an int64.
  const double rinv_max_bits = c.norm_out_bits + 0.5 * std::log2(1.0 / s.rms_eps) + 1;
  need(rinv_max_bits + 31 <= 62, "norm.outBits = " + std::to_string(c.norm_out_bits) + " makes 1/rms (up to 2^" +
                                     std::to_string((int)std::ceil(rinv_max_bits)) + " with eps " + std::to_string(s.rms_eps) +
                                     ") times a weight overflow int64");
  in_range(c.silu_in_bits, 0, c.value_bits + c.weight_bits, "silu.inBits");
  if (c.silu == SiluKind::Table) in_range(c.silu_table_bits, 4, 26, "silu.tableBits");
}

}  // namespace quant
