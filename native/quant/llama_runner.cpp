#include "llama_runner.h"
#include <stdexcept>
#include "../backend/quant/quant_kernels.h"
#include "llama_forward.h"

namespace quant {

namespace {
constexpr size_t MAX_CACHED_TABLE_SETS = 8;
}

LlamaRunner::LlamaRunner(ModelHost m) : m_(std::move(m)) {
  validate_shape(m_.shape);
  if ((int)m_.layers.size() != m_.shape.layers) throw std::invalid_argument("LlamaRunner: layer count does not match the shape");
}
LlamaRunner::~LlamaRunner() = default;

const QuantWeights& LlamaRunner::quant_weights(int bits, fixedpoint::QuantizeRounding rounding) {
  if (!qw_ || qw_->bits != bits || qw_->rounding != rounding) {
    qw_.reset();  // free the previous copy first: 7B-sized weights are large
    qw_ = std::make_unique<QuantWeights>(quantize_weights(m_, bits, rounding));
  }
  return *qw_;
}

ForwardTables build_tables(const QuantConfig& c, int head_dim) {
  ForwardTables t;
  if (c.softmax.kind != SoftmaxKind::ZkAttn) return t;
  const zkattn::TableConfig tc = table_config(c, head_dim);
  t.zkattn.resize(tc.segment_bits.size());
  for (int i = 0; i < (int)tc.segment_bits.size(); i++)
    if (zkattn::segment_kind(tc, i) == zkattn::SegmentKind::Mapping) t.zkattn[i] = zkattn::segment_table(tc, i);
  return t;
}

const ForwardTables& LlamaRunner::tables_for(const QuantConfig& c) {
  const std::string key = c.softmax.kind == SoftmaxKind::ZkAttn ? table_key(c, m_.shape.head_dim) : "none";
  auto it = tables_.find(key);
  if (it != tables_.end()) return it->second;
  if (tables_.size() >= MAX_CACHED_TABLE_SETS) tables_.clear();
  return tables_.emplace(key, build_tables(c, m_.shape.head_dim)).first->second;
}

ForwardResult LlamaRunner::forward(Backend b, const ForwardRequest& rq) {
  std::lock_guard<std::mutex> lock(mu_);
  const int T = (int)rq.tokens.size();
  if (T < 2) throw std::invalid_argument("a window needs at least 2 tokens, got " + std::to_string(T));
  for (int t = 0; t < T; t++)
    if (rq.tokens[t] < 0 || rq.tokens[t] >= m_.shape.vocab)
      throw std::invalid_argument("token " + std::to_string(rq.tokens[t]) + " at position " + std::to_string(t) +
                                  " is outside the vocabulary [0, " + std::to_string(m_.shape.vocab) + ")");
  if (rq.quantized && rq.keep_states) throw std::invalid_argument("keepStates is for float runs (they are the reference)");
  if (!rq.quantized && rq.compare_states) throw std::invalid_argument("compareStates is for quantized runs");
  if (!rq.capture_layers.empty() && !rq.quantized)
    throw std::invalid_argument("captureLayers is for quantized runs (the float forward has no integer Q, K, V)");
  for (size_t i = 0; i < rq.capture_layers.size(); i++) {
    const int l = rq.capture_layers[i];
    if (l < 0 || l >= m_.shape.layers)
      throw std::invalid_argument("captureLayers: layer " + std::to_string(l) + " is outside [0, " + std::to_string(m_.shape.layers) + ")");
    if (i > 0 && l <= rq.capture_layers[i - 1])
      throw std::invalid_argument("captureLayers must be ascending without repeats, got " + std::to_string(rq.capture_layers[i - 1]) +
                                  " before " + std::to_string(l));
  }
  const std::vector<float>* kept = nullptr;
  if (rq.compare_states) {
    if (kept_tokens_ != rq.tokens)
      throw std::invalid_argument("compareStates: no float run of this window was kept (run it first with keepStates)");
    kept = &kept_;
  }
  ForwardResult res;
  std::vector<float>* keep = nullptr;
  if (rq.keep_states) {
    kept_tokens_.clear();
    kept_.assign((size_t)m_.shape.layers * T * m_.shape.hidden, 0.0f);
    keep = &kept_;
  }
  const QuantWeights* qw = nullptr;
  const ForwardTables* tables = nullptr;
  if (rq.quantized) {
    validate_config(rq.config, m_.shape);
    qw = &quant_weights(rq.config.weight_bits, rq.config.quantize_rounding);
    tables = &tables_for(rq.config);
  }
  ::llama_forward(b, m_, qw, tables, rq, res, keep, kept, caches_[static_cast<int>(b)]);
  if (rq.keep_states) kept_tokens_ = rq.tokens;
  return res;
}

SoftmaxRowsResult softmax_rows(Backend b, const QuantConfig& c, int head_dim, const std::vector<int64_t>& logits, int rows, int n,
                               bool causal) {
  LlamaShape shape;
  shape.hidden = shape.intermediate = shape.layers = shape.heads = shape.kv_heads = shape.vocab = 1;
  shape.head_dim = head_dim;
  if (head_dim <= 0) throw std::invalid_argument("softmax: the head dimension must be positive");
  validate_config(c, shape);
  if (rows <= 0 || n <= 0 || (size_t)rows * n != logits.size())
    throw std::invalid_argument("softmax: " + std::to_string(logits.size()) + " logits are not " + std::to_string(rows) + " rows of " +
                                std::to_string(n));
  // A causal row r reads columns 0..r: row r of a square (or wider) score matrix.
  if (causal && rows > n) throw std::invalid_argument("softmax: causal rows need at least as many columns as rows");
  const ForwardTables t = build_tables(c, head_dim);
  const int64_t* ptrs[MAX_SEGMENTS] = {};
  for (size_t i = 0; i < t.zkattn.size(); i++)
    if (!t.zkattn[i].empty()) ptrs[i] = t.zkattn[i].data();
  const SoftmaxParams p = softmax_params(c, head_dim, ptrs);
  SoftmaxRowsResult r;
  r.y.assign(logits.size(), 0);
  r.shift.assign(rows, 0);
  r.prob_bits = p.prob_bits;
  ::softmax_rows(b, p, logits.data(), rows, n, causal, r.y.data(), r.shift.data(), r.stats);
  return r;
}

}  // namespace quant
