// The statement and the witness of 'zkattn': causal attention Y = softmax_zk(Q·K^T) (at the
// configuration's fixed point) and O = Y·V rescaled, for `heads` stacked heads, computed exactly
// as the quantized forward computes it (native/quant/llama_forward.h, softmax_entry.h), with every
// intermediate tensor a prover commits to or a plain-mode verifier recomputes.
//
// Shapes: Q [H, m, d], K and V [H, n, d], score tensors [H, m, n], row tensors [H, m], O [H, m, d].
// Causal: query row r sees keys c <= r + n - m (m <= n; the last m positions of a window of n).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "../quant/quant_config.h"
#include "padding_mask.h"

struct AttentionStatement {
  quant::QuantConfig config;
  std::string name;        // the configuration's name (bound, so results join by it)
  int max_table_bits = 20;  // a rescale of more bits is range-checked in digits of at most this many
  int64_t row_sum_low = 0;  // every row's Σ_c Y - row_sum_low lies in [0, 2^row_sum_bits)
  int row_sum_bits = 1;
};

// Throws std::invalid_argument naming what this statement cannot prove (float exp, half-away
// rescales, more than one indicator segment, ...), before any work.
void validate_attention(const AttentionStatement& a, uint64_t heads, uint64_t m, uint64_t n, uint64_t d, bool commit);
// What the transcript binds of the statement.
std::string attention_binding(const AttentionStatement& a);
// A rescale of `bits` split into as few digits of at most max_bits as possible, as evenly as
// possible, larger digits first (acc/quant-config.ts evenSplit: the accounting counts these).
std::vector<int> even_split(int bits, int max_bits);

struct AttentionShape {
  uint64_t H, m, n, d;
  LogicalDims score() const { return {H, m, n}; }
  LogicalDims rows() const { return {H, m}; }
  LogicalDims queries() const { return {H, m, d}; }
  LogicalDims keys() const { return {H, n, d}; }
  bool live(uint64_t r, uint64_t c) const { return c <= r + (n - m); }
};

// One looked-up tensor: its values (and a mapping's outputs) against a table.
struct AttentionLookup {
  std::string stage;     // as acc/tlookup-accounting.ts names it
  std::string values, outputs;  // tensor names (outputs empty for a range check)
  enum Kind { Range, Mapping, Indicator } kind;
  int table_bits;
  int segment = -1;      // softmax segment (mapping tables), else -1
  LogicalDims dims;
};

// Digits of a rescale x = 2^k·y + Σ_t 2^{o_t}·e_t − 2^{k−1} (half-up), lowest digit first.
struct RescaleSpec {
  int k = 0;
  std::vector<int> digit_bits;  // lowest first
};

// The tensors' names and relations, from the statement alone (the verifier's view).
struct AttentionLayout {
  AttentionShape shape;
  int L = 0, K = 0, M = 0;             // range-only, all, indicator segments
  std::vector<int> seg_bits, seg_shift;
  RescaleSpec logit;                   // logits: S = 2^k·A + e − 2^{k−1}
  std::vector<RescaleSpec> product;    // product j (1..J): P_{j−1}⊙F_{L+j} = 2^k·P_j + e − 2^{k−1}
  std::vector<RescaleSpec> output;     // U_{t−1} = 2^k·U_t + e − 2^{k−1}, U_0 = Y·V, U_T = O
  std::vector<int> row_digit_bits;     // Σ_c Y − low = Σ_t 2^{o_t}·rowsum.e_t
  // Rescaled logits: the row shifts are proven integers through their bits ("shift.bits",
  // [H, m, 64]: shift + 2^63 = Σ_w 2^w·b_w, every b_w in {0, 1}).
  bool shift_bits = false;
  std::vector<AttentionLookup> lookups;
  // Every committed tensor, in commitment order, with its logical dims.
  std::vector<std::pair<std::string, LogicalDims>> tensors;
  LogicalDims dims(const std::string& name) const;
  int mapping_count() const { return K - L - M; }
  std::string P(int j) const;  // P_0 is F_L
};
AttentionLayout attention_layout(const AttentionStatement& a, const AttentionShape& s);
// Name of digit t of a rescaled tensor's remainder.
std::string digit_name(const std::string& base, size_t t);
constexpr int SHIFT_BITS = 64;

// The witness: every committed tensor in logical row-major order, plus what the relations need.
struct AttentionWitness {
  std::map<std::string, std::vector<int64_t>> t;
  std::vector<int64_t> S;  // Q·K^T (never committed: the logit matmul proves it)
};
// A deviating prover's witness (the soundness tests'): its own row shifts, everything after them
// computed from those, and digits that do not fit wrapped instead of refused.
struct WitnessDeviation {
  std::vector<int64_t> shift;
};
// Q [H,m,d], K and V [H,n,d] as logical int64; throws a std::range_error (a digit beyond the
// budget, an int64 overflow, a row sum outside the bound) or std::invalid_argument.
AttentionWitness attention_witness(const AttentionStatement& a, const AttentionLayout& lay, const std::vector<int64_t>& Q,
                                   const std::vector<int64_t>& K, const std::vector<int64_t>& V,
                                   const WitnessDeviation* deviation = nullptr);
// Checks shared by both witnesses: Q, K, V are int32 and Q·K^T cannot overflow int64 (returns max |v|);
// the errors for a row sum outside the bound and a softmax.V that could overflow.
int64_t attention_input_bounds(const std::vector<int64_t>& Q, const std::vector<int64_t>& K, const std::vector<int64_t>& V, uint64_t d);
[[noreturn]] void throw_row_sum_outside(const AttentionStatement& a, uint64_t h, uint64_t r, int64_t sum);
[[noreturn]] void throw_context_overflow(int64_t row_sum);

// The same witness computed by a GPU's kernels and kept there (backend/quant/cuda_zkattn_witness.cu):
// every tensor of AttentionWitness (and "S") as logical int64 in device memory, read by a device
// tensor store without crossing the bus. Same values and the same errors as attention_witness.
class DeviceAttentionWitness {
 public:
  virtual ~DeviceAttentionWitness() = default;
  // Device address of a tensor's logical values; null when the witness has no such tensor.
  virtual const int64_t* device(const std::string& name) const = 0;
  virtual std::vector<int64_t> host(const std::string& name) const = 0;
};
// Q, K, V for the device witness: given (logical int64), or drawn there from `seed` as the host
// draws them (witness_int ids 31, 32, 33; Q, K in [-2^qk_bits, 2^qk_bits), V in [-2^value_bits, 2^value_bits)).
struct AttentionInputs {
  const std::vector<int64_t>* Q = nullptr;
  const std::vector<int64_t>* K = nullptr;
  const std::vector<int64_t>* V = nullptr;
  bool seeded = false;
  uint64_t seed = 0;
};
constexpr uint64_t ATTENTION_ID_Q = 31, ATTENTION_ID_K = 32, ATTENTION_ID_V = 33;
// The witness on the GPU (backend/quant/quant_dispatch.cpp picks the CUDA body; a build without
// CUDA throws).
std::unique_ptr<DeviceAttentionWitness> device_attention_witness(const AttentionStatement& a, const AttentionLayout& lay,
                                                                 const AttentionInputs& in);

// The public tables of the statement's lookups, by table key (range bits or segment index).
std::vector<int64_t> segment_outputs(const AttentionStatement& a, const AttentionShape& s, int segment);
