// A loaded LLaMA model that runs windows through the float or fixed-point forward on a chosen
// backend, keeping what is worth keeping between windows: quantized weights, zkAttn tables, device
// copies, and the last float run's layer outputs (the reference for per-layer error growth).
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>
#include "../backend/backend.h"
#include "llama_model.h"

namespace quant {

class LlamaRunner {
 public:
  // The weight pointers must stay valid for the runner's lifetime (the addon holds references).
  explicit LlamaRunner(ModelHost m);
  ~LlamaRunner();
  // Thread-safe: calls on one runner run one at a time.
  ForwardResult forward(Backend b, const ForwardRequest& rq);
  const LlamaShape& shape() const { return m_.shape; }

 private:
  const QuantWeights& quant_weights(int bits, fixedpoint::QuantizeRounding rounding);
  const ForwardTables& tables_for(const QuantConfig& c);

  std::mutex mu_;
  ModelHost m_;
  std::unique_ptr<QuantWeights> qw_;
  std::map<std::string, ForwardTables> tables_;
  std::vector<float> kept_;
  std::vector<int32_t> kept_tokens_;
  std::unique_ptr<BackendCache> caches_[2];  // by Backend: each backend's resident copy
};

// The zkAttn tables a configuration needs (mapping segments; others left empty).
ForwardTables build_tables(const QuantConfig& c, int head_dim);

struct SoftmaxRowsResult {
  std::vector<int64_t> y, shift;
  AttnStats stats;
  int prob_bits = 0;
};
// The quantized softmax alone, on rows of logits already at 2^logitBits (what the attention feeds
// it after Q.K^T and the logit rescale): the witness a zkAttn prover starts from.
SoftmaxRowsResult softmax_rows(Backend b, const QuantConfig& c, int head_dim, const std::vector<int64_t>& logits, int rows, int n,
                               bool causal);

}  // namespace quant
