// What a LLaMA forward reads and returns: float weights (borrowed from the caller), their
// quantized copies, one window's request and its result.
#pragma once
#include <array>
#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include "quant_config.h"

namespace quant {

// The nine tensors of a decoder layer, in Hugging Face's [out, in] layout.
enum LayerTensor : int { ATTN_NORM = 0, WQ, WK, WV, WO, FFN_NORM, WG, WU, WD, LAYER_TENSORS };
size_t layer_tensor_size(const LlamaShape& s, int which);
const char* layer_tensor_name(int which);

struct ModelHost {
  LlamaShape shape;
  const float* embed = nullptr;    // [vocab, hidden]
  const float* norm = nullptr;     // [hidden]
  const float* lm_head = nullptr;  // [vocab, hidden]
  std::vector<std::array<const float*, LAYER_TENSORS>> layers;
};

struct QuantMatrix {
  std::vector<int32_t> q;  // round(w * 2^bits)
  int64_t max_abs = 0;
};
struct QuantWeights {
  int bits = -1;
  fixedpoint::QuantizeRounding rounding = fixedpoint::QuantizeRounding::HalfAway;
  uint64_t id = 0;  // unique per quantization, so device copies know when they are stale
  std::vector<std::array<QuantMatrix, LAYER_TENSORS>> layers;
};
// Throws when a weight times 2^bits does not fit an int32 (names the tensor and value).
QuantWeights quantize_weights(const ModelHost& m, int bits, fixedpoint::QuantizeRounding rounding);

struct ForwardRequest {
  std::vector<int32_t> tokens;
  bool quantized = false;
  QuantConfig config;
  bool want_logits = false;
  bool keep_states = false;     // keep each layer's output of this (float) run for a later comparison
  bool compare_states = false;  // compare each layer's output of this run with the kept float states
  bool want_int_states = false; // quantized run: return each layer's int64 residual stream
  // Quantized runs: layers whose attention inputs and output are returned (AttentionCapture), so a
  // zkAttn prover can be fed the very Q, K, V the forward used. Ascending, no repeats.
  std::vector<int> capture_layers;
};

// One layer's attention as the fixed-point forward computed it, head-major ([heads, T, head_dim]):
// Q and K after RoPE at 2^qkBits, V at 2^valueBits, and the output softmax(Q.K^T).V after its
// rescales (at V's scale). Under grouped-query attention K and V are expanded to every query head
// (query head h reads key/value head h / (heads / kv_heads)), so a prover sees one (Q, K, V) per head.
struct AttentionCapture {
  int layer = 0;
  std::vector<int64_t> q, k, v, o;
};

struct LayerReport {
  // Quantized runs: the zkAttn (or float-exp) probabilities against the exact softmax of the same
  // integer logits, and how far the rows' sums stray from 2^probBits (relative).
  double attn_max_abs_err = 0, attn_sum_abs_err = 0;
  int64_t attn_entries = 0;
  double row_sum_max_dev = 0;
  int64_t row_sum_min = 0, row_sum_max = 0;
  int norm_shift[2] = {-1, -1};  // RMSNorm table shift k (attention, MLP); -1 for the float kind
  // compare_states: this layer's output against the kept float run.
  double state_rel_rms_err = -1, state_max_abs_err = -1;
};

struct ForwardResult {
  std::vector<double> losses;  // next-token cross-entropy (nats) at positions 0 .. T-2
  std::vector<float> logits;   // [T, vocab] when asked
  std::vector<LayerReport> layers;
  std::vector<int64_t> int_states;  // [layers, T, hidden] when asked
  std::vector<int64_t> final_state; // quantized runs when int states are asked: the last residual
  std::vector<AttentionCapture> captures;  // one per capture_layers entry, in that order
};

// Attention statistics of one call, merged over heads and rows.
struct AttnStats {
  double max_abs_err = 0, sum_abs_err = 0;
  int64_t entries = 0;
  int64_t row_sum_min = INT64_MAX, row_sum_max = 0;
  void merge(const AttnStats& o) {
    max_abs_err = max_abs_err > o.max_abs_err ? max_abs_err : o.max_abs_err;
    sum_abs_err += o.sum_abs_err;
    entries += o.entries;
    row_sum_min = row_sum_min < o.row_sum_min ? row_sum_min : o.row_sum_min;
    row_sum_max = row_sum_max > o.row_sum_max ? row_sum_max : o.row_sum_max;
  }
};

// Per-backend resources kept between calls (device copies of weights and tables).
struct BackendCache {
  virtual ~BackendCache() = default;
};

// Tables the forward needs, built on the host once per configuration.
struct ForwardTables {
  std::vector<std::vector<int64_t>> zkattn;  // one per segment (range/indicator ones unused)
};

}  // namespace quant
