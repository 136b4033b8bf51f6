// The zkAttn softmax tables (reference §6.1): one source of truth for the quantized forward here
// and for the tlookup prover, which must look up exactly these values.
//
// A shifted logit z >= 0 (z = row shift - logit, at input scale sf_in) is split in mixed radix,
// least significant digit first: z = sum_i z_i * Bs[i], z_i in [0, bs[i]), Bs[i] = prod_{j<i} bs[j],
// every bs[i] a power of two. Segment i is
//   i < L                 range only: the table is 0 .. bs[i]-1 (the digit is checked, exp ~ 1);
//   L <= i < K-M          mapping: f_i(j) = round(theta_{i-L} * exp(-Bs[i] j / (sf_in sqrt(d))));
//   K-M <= i < K          indicator: f(0) = 1, f(j > 0) = 0 (the anchor's M top segments).
// so that prod_{i>=L} f_i(z_i) ~ (prod theta) * exp(-z / (sf_in sqrt(d))).
//
// Rounding: round(v) = floor(v + 1/2) (ties toward +infinity, as the anchor's table code), with
// exp and the arithmetic of native/quant/det_math.h, so the tables are the same bits on every
// machine. Ties cannot occur in practice: theta * exp(...) is a half-integer only for j = 0, where
// it is theta itself, an integer.
//
// Digit budget: z must lie in [0, prod bs) = [0, 2^(sum of segment bits)). A larger z is an error
// (std::out_of_range naming z and the budget), never a truncated digit: the anchor silently drops
// the excess, which then fails its own consistency check. A configuration that wants large shifts
// to mean probability 0 adds indicator segments (M > 0): a provable clamp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace zkattn {

constexpr int MAX_SEGMENT_BITS = 26;  // 2^26 int64 entries = 512 MiB: the largest table built
constexpr int MAX_BUDGET_BITS = 62;   // z and every Bs[i] * j stay below 2^62

struct TableConfig {
  std::vector<int> segment_bits;  // log2 bs[i], least significant segment first; K = size()
  int range_only = 0;             // L
  int indicator = 0;              // M
  std::vector<int64_t> theta;     // K - L - M output scales, in [1, 2^53]
  double sf_in = 1;               // scale of the logits the softmax reads
  int head_dim = 1;               // d, in the 1/sqrt(d) of attention
};

enum class SegmentKind { Range, Mapping, Indicator };

// Throws std::invalid_argument naming the first problem.
void validate(const TableConfig& cfg);

int segment_count(const TableConfig& cfg);
SegmentKind segment_kind(const TableConfig& cfg, int i);
int budget_bits(const TableConfig& cfg);                  // sum of segment bits
std::vector<int64_t> radix_bases(const TableConfig& cfg);  // Bs[0..K-1]
double exp_denominator(const TableConfig& cfg);           // sf_in * sqrt(d)

// The table of segment i, bs[i] entries: 0..bs-1 (range), f_i (mapping) or [j == 0] (indicator).
std::vector<int64_t> segment_table(const TableConfig& cfg, int i);
// All K tables, in segment order.
std::vector<std::vector<int64_t>> segment_tables(const TableConfig& cfg);

// Digits of z, least significant first; throws std::out_of_range outside [0, 2^budget_bits).
std::vector<uint32_t> decompose(const TableConfig& cfg, int64_t z);
// sum_i digits[i] * Bs[i] (the prover's recombination).
int64_t recompose(const TableConfig& cfg, const std::vector<uint32_t>& digits);

std::string describe(const TableConfig& cfg);  // e.g. "2^8*2^20*2^20, L=1, M=0, theta=2^18*2^22"

}  // namespace zkattn
