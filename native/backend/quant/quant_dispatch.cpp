#include "quant_kernels.h"

void llama_forward(Backend b, const quant::ModelHost& m, const quant::QuantWeights* qw, const quant::ForwardTables* tables,
                   const quant::ForwardRequest& rq, quant::ForwardResult& res, std::vector<float>* keep,
                   const std::vector<float>* kept, std::unique_ptr<quant::BackendCache>& cache) {
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::llama_forward(m, qw, tables, rq, res, keep, kept, cache));
  cpu::llama_forward(m, qw, tables, rq, res, keep, kept, cache);
}

void softmax_rows(Backend b, const quant::SoftmaxParams& p, const int64_t* logits, int rows, int n, bool causal, int64_t* y,
                  int64_t* shift, quant::AttnStats& stats) {
  if (b == Backend::Cuda) ZKLLM_ON_CUDA(return cuda::softmax_rows(p, logits, rows, n, causal, y, shift, stats));
  cpu::softmax_rows(p, logits, rows, n, causal, y, shift, stats);
}

std::unique_ptr<DeviceAttentionWitness> device_attention_witness(const AttentionStatement& a, const AttentionLayout& lay,
                                                                 const AttentionInputs& in) {
  ZKLLM_ON_CUDA(return cuda::attention_witness(a, lay, in));
}
