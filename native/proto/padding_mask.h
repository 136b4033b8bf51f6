// Committed tensors are bound to their logical contents: every final evaluation claim is about the
// MLE of the zero-padded logical tensor, whatever a prover puts in padding positions. A verifier
// therefore weights each entry by mask(x) = Π_a [coord_a(x) < D_a] (1 at logical positions), and an
// opening evaluates Σ_x eq(z, x)·mask(x)·t(x) instead of t~(z).
//
// Hyrax needs its weights as (row weights) ⊗ (column weights). Axes lying wholly in the column bits
// or wholly in the row bits factor; one axis may straddle the split at bit m, and its indicator
// [hi·2^k + lo < D] = [hi < q] + [hi = q]·[lo < rem] (q = D >> k, rem = D mod 2^k) is a sum of two
// products unless rem = 0. So an opening has one or two terms, each a (row, column) weight pair.
#pragma once
#include <cstdint>
#include <vector>
#include "../field/field.cuh"

// Logical sizes, outermost first; each axis is padded to a power of two in the flat layout, the
// innermost axis in the lowest bits.
using LogicalDims = std::vector<uint64_t>;

struct OpeningTerm {
  std::vector<Fr> rows;  // one weight per committed row
  std::vector<Fr> cols;  // one weight per generator (w)
};

// The terms of the masked evaluation at z of a tensor of logical dims `dims` committed in rows of w.
std::vector<OpeningTerm> opening_terms(const LogicalDims& dims, size_t w, const std::vector<Fr>& z);

// How many terms opening_terms gives for these dims and w (1 or 2); it does not depend on z.
size_t opening_term_count(const LogicalDims& dims, size_t w);

// Whether every axis with padding lies in the row bits (none in the column bits of rows of w): then
// the opening has one term, its column weights are eq(z_col) itself and its row weights are
// opening_row_weights.
bool opening_columns_unmasked(const LogicalDims& dims, size_t w);
// eq(z_row, ·) with the rows in an axis's padding zeroed: the row weights of such a term.
std::vector<Fr> opening_row_weights(const LogicalDims& dims, size_t w, const std::vector<Fr>& z);

// μ(z): the MLE of the mask at z (O(bits) field operations).
Fr padding_mask_mle(const LogicalDims& dims, const std::vector<Fr>& z);

// Padded element count of dims (each axis to a power of two), checked: throws std::invalid_argument
// when an axis is 0, above 2^40, or the product exceeds MAX_TENSOR_ELEMENTS.
constexpr uint64_t MAX_AXIS_SIZE = uint64_t(1) << 40;
constexpr uint64_t MAX_TENSOR_ELEMENTS = uint64_t(1) << 36;
uint64_t checked_padded_size(const LogicalDims& dims);
