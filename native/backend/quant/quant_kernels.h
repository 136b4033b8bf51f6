// Entry points of the LLaMA forwards (native/quant/) on each backend. The CPU bodies are in
// cpu_quant*.cpp, the CUDA bodies in cuda_quant*.cu; quant_dispatch.cpp picks one.
#pragma once
#include <memory>
#include <vector>
#include "../../proto/zkattn_witness.h"
#include "../../quant/llama_model.h"
#include "../device/devices.h"

namespace cpu {
// Runs one window: the float forward when !rq.quantized, otherwise the fixed-point one. `keep`
// (float runs) receives each layer's output; `kept` (quantized runs) is compared with.
void llama_forward(const quant::ModelHost& m, const quant::QuantWeights* qw, const quant::ForwardTables* tables,
                   const quant::ForwardRequest& rq, quant::ForwardResult& res, std::vector<float>* keep,
                   const std::vector<float>* kept, std::unique_ptr<quant::BackendCache>& cache);
// The quantized softmax of `rows` rows of n logits (already at 2^logitBits), causal (row r reads
// columns 0..r, the rest of Y is 0) or not. Table pointers in p are host addresses.
void softmax_rows(const quant::SoftmaxParams& p, const int64_t* logits, int rows, int n, bool causal, int64_t* y,
                  int64_t* shift, quant::AttnStats& stats);
}  // namespace cpu

namespace cuda {
void llama_forward(const quant::ModelHost& m, const quant::QuantWeights* qw, const quant::ForwardTables* tables,
                   const quant::ForwardRequest& rq, quant::ForwardResult& res, std::vector<float>* keep,
                   const std::vector<float>* kept, std::unique_ptr<quant::BackendCache>& cache);
// As cpu::softmax_rows; p's table pointers are host addresses, uploaded here.
void softmax_rows(const quant::SoftmaxParams& p, const int64_t* logits, int rows, int n, bool causal, int64_t* y,
                  int64_t* shift, quant::AttnStats& stats);
// zkattn's witness kept in device memory (cuda_zkattn_witness.cu).
std::unique_ptr<DeviceAttentionWitness> attention_witness(const AttentionStatement& a, const AttentionLayout& lay, const AttentionInputs& in);
}  // namespace cuda

// The dispatch: `cache` is the backend's own (one per backend, kept by the caller).
void llama_forward(Backend b, const quant::ModelHost& m, const quant::QuantWeights* qw, const quant::ForwardTables* tables,
                   const quant::ForwardRequest& rq, quant::ForwardResult& res, std::vector<float>* keep,
                   const std::vector<float>* kept, std::unique_ptr<quant::BackendCache>& cache);
void softmax_rows(Backend b, const quant::SoftmaxParams& p, const int64_t* logits, int rows, int n, bool causal, int64_t* y,
                  int64_t* shift, quant::AttnStats& stats);
