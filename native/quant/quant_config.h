// The LLaMA shape and the fixed-point configuration of the quantized forward. The TypeScript side
// (acc/quant-config.ts) fills in defaults and presets; this side validates everything again, so a
// bad configuration is an Error before any kernel runs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "fixed_point.h"
#include "softmax_entry.h"
#include "zkattn_tables.h"

namespace quant {

struct LlamaShape {
  int hidden = 0, intermediate = 0, layers = 0, heads = 0, kv_heads = 0, head_dim = 0, vocab = 0;
  double rms_eps = 1e-6, rope_theta = 10000;
};
void validate_shape(const LlamaShape& s);

enum class NormKind : int { Table = 0, Float = 1 };
enum class SiluKind : int { Table = 0, Float = 1 };

struct SoftmaxConfig {
  SoftmaxKind kind = SoftmaxKind::ZkAttn;
  // zkAttn: segments (least significant first), L range-only, M indicator segments, theta = 2^bits
  // per mapping segment, and the rescale after each further mapping segment's product.
  std::vector<int> segment_bits;
  int range_only = 0;
  int indicator = 0;
  std::vector<int> theta_bits;
  std::vector<int> product_rescale_bits;  // one per mapping segment after the first
  // float-exp: the probabilities' scale.
  int float_prob_bits = 0;
  // Y.V is brought back to V's scale by these rescales, in order (each one a proven rescaling).
  std::vector<int> output_rescale_bits;
};

struct QuantConfig {
  int value_bits = 16;   // activations at 2^value_bits
  int weight_bits = 16;  // weights (and RMSNorm weights) at 2^weight_bits
  int qk_bits = 16;      // Q and K after their projection (and RoPE)
  int logit_bits = 32;   // the softmax reads Q.K^T at 2^logit_bits (<= 2 qk_bits; the rest is one rescale)
  fixedpoint::Rounding rounding = fixedpoint::Rounding::HalfUp;
  // Rounding of float values onto their grid: weights (at weight_bits), embedding rows and RoPE's
  // cos/sin (at value_bits). The tables and the float variants' results keep floor(v + 1/2).
  fixedpoint::QuantizeRounding quantize_rounding = fixedpoint::QuantizeRounding::HalfAway;
  SoftmaxConfig softmax;
  NormKind norm = NormKind::Table;
  int norm_table_bits = 20;  // the rsqrt table's index range 2^norm_table_bits
  int norm_out_bits = 16;    // 1/rms at 2^norm_out_bits
  SiluKind silu = SiluKind::Table;
  int silu_in_bits = 12;     // the gate is rescaled to 2^silu_in_bits before the SiLU
  int silu_table_bits = 22;  // the table covers gate values [-2^(t-1), 2^(t-1)) / 2^silu_in_bits
};

// Throws std::invalid_argument naming the first problem, including the int64 budgets that the
// configuration implies (product of segment outputs, RMSNorm and SiLU products).
void validate_config(const QuantConfig& c, const LlamaShape& s);
int prob_bits(const QuantConfig& c);
// The zkAttn table configuration this quantization implies for heads of dimension head_dim.
zkattn::TableConfig table_config(const QuantConfig& c, int head_dim);
// A key that identifies the tables a configuration needs (for caching them across calls).
std::string table_key(const QuantConfig& c, int head_dim);

}  // namespace quant
