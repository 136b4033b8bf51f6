#include "padding_mask.h"
#include <stdexcept>
#include <string>
#include "../mle/mle.h"

namespace {

struct AxisBits {
  uint64_t size;  // logical
  int bits;       // log2 of the padded size
  int shift;      // lowest flat bit
};

std::vector<AxisBits> axis_bits(const LogicalDims& dims) {
  checked_padded_size(dims);
  std::vector<AxisBits> out(dims.size());
  int shift = 0;
  for (size_t a = dims.size(); a-- > 0;) {
    int bits = 0;
    while ((uint64_t(1) << bits) < dims[a]) bits++;
    out[a] = {dims[a], bits, shift};
    shift += bits;
  }
  return out;
}

// Σ_{x < D} eq(y, x) over the bits y[0..bits): walk D's bits from the top; every 1 bit of D adds the
// block of x that agree with D above it and have a 0 there.
Fr below_mle(uint64_t D, const Fr* y, int bits) {
  if (D >= (uint64_t(1) << bits)) return Fr::one();
  Fr acc = Fr::zero(), prefix = Fr::one();
  for (int i = bits - 1; i >= 0; i--) {
    if ((D >> i) & 1) {
      acc += prefix * (Fr::one() - y[i]);
      prefix *= y[i];
    } else {
      prefix *= Fr::one() - y[i];
    }
  }
  return acc;
}

// Zeroes the weights of the rows in the padding of every axis lying wholly in the row bits (bits
// m and above of the flat index).
void mask_padded_rows(std::vector<Fr>& rows, const std::vector<AxisBits>& axes, int m) {
  for (const auto& a : axes) {
    if (a.size == (uint64_t(1) << a.bits) || a.shift < m) continue;
    const int s = a.shift - m;
    for (size_t r = 0; r < rows.size(); r++)
      if (((r >> s) & ((uint64_t(1) << a.bits) - 1)) >= a.size) rows[r] = Fr::zero();
  }
}

}  // namespace

uint64_t checked_padded_size(const LogicalDims& dims) {
  uint64_t total = 1;
  for (uint64_t d : dims) {
    if (d == 0) throw std::invalid_argument("every size must be at least 1");
    if (d > MAX_AXIS_SIZE) throw std::invalid_argument("size " + std::to_string(d) + " exceeds the largest supported axis (2^40)");
    uint64_t p = 1;
    while (p < d) p <<= 1;
    if (p > MAX_TENSOR_ELEMENTS / total)
      throw std::invalid_argument("tensor of padded size above 2^36 elements is not supported");
    total *= p;
  }
  return total;
}

Fr padding_mask_mle(const LogicalDims& dims, const std::vector<Fr>& z) {
  const auto axes = axis_bits(dims);
  int total = 0;
  for (const auto& a : axes) total += a.bits;
  if ((int)z.size() != total) throw std::invalid_argument("padding mask: point has the wrong number of coordinates");
  Fr mu = Fr::one();
  for (const auto& a : axes) mu *= below_mle(a.size, z.data() + a.shift, a.bits);
  return mu;
}

size_t opening_term_count(const LogicalDims& dims, size_t w) {
  int m = 0;
  while ((size_t(1) << m) < w) m++;
  for (const auto& a : axis_bits(dims)) {
    if (a.size == (uint64_t(1) << a.bits) || a.shift >= m || a.shift + a.bits <= m) continue;
    if (a.size & ((uint64_t(1) << (m - a.shift)) - 1)) return 2;
  }
  return 1;
}

bool opening_columns_unmasked(const LogicalDims& dims, size_t w) {
  int m = 0;
  while ((size_t(1) << m) < w) m++;
  for (const auto& a : axis_bits(dims))
    if (a.size != (uint64_t(1) << a.bits) && a.shift < m) return false;
  return true;
}

std::vector<Fr> opening_row_weights(const LogicalDims& dims, size_t w, const std::vector<Fr>& z) {
  if (!opening_columns_unmasked(dims, w)) throw std::logic_error("opening: an axis with padding in the column bits");
  int m = 0;
  while ((size_t(1) << m) < w) m++;
  std::vector<Fr> rows = eq_table(std::vector<Fr>(z.begin() + std::min<size_t>(m, z.size()), z.end()));
  mask_padded_rows(rows, axis_bits(dims), m);
  return rows;
}

std::vector<OpeningTerm> opening_terms(const LogicalDims& dims, size_t w, const std::vector<Fr>& z) {
  const auto axes = axis_bits(dims);
  int m = 0;
  while ((size_t(1) << m) < w) m++;
  if ((size_t(1) << m) != w) throw std::invalid_argument("generator dimension must be a power of two");
  int total = 0;
  for (const auto& a : axes) total += a.bits;
  if ((int)z.size() != total) throw std::invalid_argument("opening: point has the wrong number of coordinates");
  std::vector<Fr> z_col(z.begin(), z.begin() + std::min(m, total)), z_row;
  z_col.resize(m, Fr::zero());
  if (total > m) z_row.assign(z.begin() + m, z.end());
  OpeningTerm base{eq_table(z_row), eq_table(z_col)};
  const AxisBits* straddle = nullptr;
  for (const auto& a : axes) {
    if (a.size == (uint64_t(1) << a.bits)) continue;  // a power of two: no padding on this axis
    if (a.shift + a.bits <= m) {
      for (size_t c = 0; c < w; c++)
        if (((c >> a.shift) & ((uint64_t(1) << a.bits) - 1)) >= a.size) base.cols[c] = Fr::zero();
    } else if (a.shift < m) {
      straddle = &a;
    }
  }
  mask_padded_rows(base.rows, axes, m);
  std::vector<OpeningTerm> out;
  if (!straddle) {
    out.push_back(std::move(base));  // a 2^m-entry copy (fresh pages) cost more than the table
    return out;
  }
  // The straddling axis: its low k bits are column bits, the rest are the lowest row bits.
  const int k = m - straddle->shift;
  const uint64_t q = straddle->size >> k, rem = straddle->size & ((uint64_t(1) << k) - 1);
  const uint64_t hi_mask = (uint64_t(1) << (straddle->bits - k)) - 1;
  OpeningTerm below = base;
  for (size_t r = 0; r < below.rows.size(); r++)
    if ((r & hi_mask) >= q) below.rows[r] = Fr::zero();
  out.push_back(std::move(below));
  if (rem == 0) return out;
  OpeningTerm edge = std::move(base);
  for (size_t r = 0; r < edge.rows.size(); r++)
    if ((r & hi_mask) != q) edge.rows[r] = Fr::zero();
  for (size_t c = 0; c < w; c++)
    if (((c >> straddle->shift) & ((uint64_t(1) << k) - 1)) >= rem) edge.cols[c] = Fr::zero();
  out.push_back(std::move(edge));
  return out;
}
