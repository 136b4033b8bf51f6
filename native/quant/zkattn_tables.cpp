#include "zkattn_tables.h"
#include <cmath>
#include <stdexcept>
#include "det_math.h"

namespace zkattn {

namespace {
bool is_pow2(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }
std::string pow2_or_int(int64_t v) {
  if (is_pow2(v)) {
    int b = 0;
    while ((int64_t(1) << b) != v) b++;
    return "2^" + std::to_string(b);
  }
  return std::to_string(v);
}
}  // namespace

void validate(const TableConfig& c) {
  const int K = (int)c.segment_bits.size();
  if (K == 0) throw std::invalid_argument("zkAttn tables: at least one segment is needed");
  int total = 0;
  for (int i = 0; i < K; i++) {
    int b = c.segment_bits[i];
    if (b < 1 || b > MAX_SEGMENT_BITS)
      throw std::invalid_argument("zkAttn tables: segment " + std::to_string(i) + " has " + std::to_string(b) +
                                  " bits; each segment needs 1.." + std::to_string(MAX_SEGMENT_BITS));
    total += b;
  }
  if (total > MAX_BUDGET_BITS)
    throw std::invalid_argument("zkAttn tables: the segments cover " + std::to_string(total) + " bits, more than " +
                                std::to_string(MAX_BUDGET_BITS));
  if (c.range_only < 0 || c.indicator < 0 || c.range_only + c.indicator >= K)
    throw std::invalid_argument("zkAttn tables: need L >= 0, M >= 0 and L + M < K (got L=" + std::to_string(c.range_only) +
                                ", M=" + std::to_string(c.indicator) + ", K=" + std::to_string(K) + ")");
  const int mappings = K - c.range_only - c.indicator;
  if ((int)c.theta.size() != mappings)
    throw std::invalid_argument("zkAttn tables: " + std::to_string(mappings) + " mapping segments need as many theta values, got " +
                                std::to_string(c.theta.size()));
  for (int64_t t : c.theta)
    if (t < 1 || t > (int64_t(1) << 53))
      throw std::invalid_argument("zkAttn tables: theta " + std::to_string(t) + " is outside [1, 2^53]");
  if (!(c.sf_in > 0) || !std::isfinite(c.sf_in))
    throw std::invalid_argument("zkAttn tables: the input scale must be a positive finite number");
  if (c.head_dim < 1) throw std::invalid_argument("zkAttn tables: the head dimension must be positive");
}

int segment_count(const TableConfig& c) { return (int)c.segment_bits.size(); }

SegmentKind segment_kind(const TableConfig& c, int i) {
  const int K = segment_count(c);
  if (i < 0 || i >= K) throw std::out_of_range("zkAttn tables: no segment " + std::to_string(i));
  if (i < c.range_only) return SegmentKind::Range;
  if (i >= K - c.indicator) return SegmentKind::Indicator;
  return SegmentKind::Mapping;
}

int budget_bits(const TableConfig& c) {
  int b = 0;
  for (int s : c.segment_bits) b += s;
  return b;
}

std::vector<int64_t> radix_bases(const TableConfig& c) {
  std::vector<int64_t> bases(c.segment_bits.size());
  int shift = 0;
  for (size_t i = 0; i < bases.size(); i++) {
    bases[i] = int64_t(1) << shift;
    shift += c.segment_bits[i];
  }
  return bases;
}

double exp_denominator(const TableConfig& c) { return detmath::mul(c.sf_in, std::sqrt((double)c.head_dim)); }

std::vector<int64_t> segment_table(const TableConfig& c, int i) {
  validate(c);
  const SegmentKind kind = segment_kind(c, i);
  const int64_t n = int64_t(1) << c.segment_bits[i];
  std::vector<int64_t> t(n);
  if (kind == SegmentKind::Range) {
    for (int64_t j = 0; j < n; j++) t[j] = j;
  } else if (kind == SegmentKind::Indicator) {
    t[0] = 1;
  } else {
    const double base = (double)radix_bases(c)[i];
    const double denom = exp_denominator(c);
    const double theta = (double)c.theta[i - c.range_only];
    for (int64_t j = 0; j < n; j++) {
      double e = detmath::exp(-detmath::div(detmath::mul(base, (double)j), denom));
      t[j] = detmath::round_half_up(detmath::mul(theta, e));
    }
  }
  return t;
}

std::vector<std::vector<int64_t>> segment_tables(const TableConfig& c) {
  validate(c);
  std::vector<std::vector<int64_t>> out;
  for (int i = 0; i < segment_count(c); i++) out.push_back(segment_table(c, i));
  return out;
}

std::vector<uint32_t> decompose(const TableConfig& c, int64_t z) {
  validate(c);
  const int budget = budget_bits(c);
  if (z < 0 || (z >> budget) != 0)
    throw std::out_of_range("zkAttn digits: shifted logit " + std::to_string(z) + " is outside the digit budget [0, 2^" +
                            std::to_string(budget) + ")");
  std::vector<uint32_t> d(c.segment_bits.size());
  int shift = 0;
  for (size_t i = 0; i < d.size(); i++) {
    d[i] = (uint32_t)((z >> shift) & ((int64_t(1) << c.segment_bits[i]) - 1));
    shift += c.segment_bits[i];
  }
  return d;
}

int64_t recompose(const TableConfig& c, const std::vector<uint32_t>& digits) {
  validate(c);
  if (digits.size() != c.segment_bits.size())
    throw std::invalid_argument("zkAttn digits: expected " + std::to_string(c.segment_bits.size()) + " digits, got " +
                                std::to_string(digits.size()));
  const auto bases = radix_bases(c);
  int64_t z = 0;
  for (size_t i = 0; i < digits.size(); i++) {
    if ((int64_t)digits[i] >= (int64_t(1) << c.segment_bits[i]))
      throw std::invalid_argument("zkAttn digits: digit " + std::to_string(i) + " = " + std::to_string(digits[i]) +
                                  " is not below its table size 2^" + std::to_string(c.segment_bits[i]));
    z += (int64_t)digits[i] * bases[i];
  }
  return z;
}

std::string describe(const TableConfig& c) {
  std::string s;
  for (size_t i = 0; i < c.segment_bits.size(); i++) s += (i ? "*2^" : "2^") + std::to_string(c.segment_bits[i]);
  s += ", L=" + std::to_string(c.range_only) + ", M=" + std::to_string(c.indicator) + ", theta=";
  for (size_t i = 0; i < c.theta.size(); i++) s += (i ? "*" : "") + pow2_or_int(c.theta[i]);
  return s;
}

}  // namespace zkattn
