// Multilinear extensions, one variable order for the whole kit:
//   a point r = (r_0, ..., r_{k-1}) is LSB-first: r_j belongs to bit j of the flat index, and
//   t~(r) = Σ_i t_i · Π_j (bit_j(i) ? r_j : 1 − r_j), with entries past the end counting as zero.
// Binding (folding) therefore pairs neighbours (2i, 2i+1) and uses r_0 first; a sumcheck round j
// binds bit j. A stacked tensor of `num` instances of size `dim` (a power of two) is laid out
// instance-major, so its first log2(dim) variables are inside an instance and the last
// log2(num) select the instance.
#pragma once
#include <cstddef>
#include <vector>
#include "../field/field.cuh"

// Number of variables of a tensor of n entries: the least k with 2^k >= n.
int mle_vars(size_t n);

// eq(r, x) for every x in {0,1}^k, as a table of 2^k entries in index order.
std::vector<Fr> eq_table(const std::vector<Fr>& r);

// eq(a, b) = Π_j (a_j·b_j + (1 − a_j)(1 − b_j)).
Fr eq_eval(const std::vector<Fr>& a, const std::vector<Fr>& b);

// t~(r) for n entries (zero-padded to 2^|r|); requires 2^|r| >= n.
Fr mle_evaluate(const Fr* t, size_t n, const std::vector<Fr>& r);

// In-place bind of variable 0 to r: t'_i = t_{2i} + r·(t_{2i+1} − t_{2i}); n must be even.
void mle_fold(std::vector<Fr>& t, const Fr& r);

// Σ_x w[x]·t[x] over two tensors of one length (an MLE at a point when w is its eq table).
Fr weighted_sum(const std::vector<Fr>& w, const std::vector<Fr>& t);

// A tensor laid out [outer, I, J] folded over its middle axis with one weight per index of it:
// out[o, j] = Σ_i w[i]·t[(o·I + i)·J + j], laid out [outer, J] (w has I entries).
std::vector<Fr> fold_middle(const std::vector<Fr>& t, size_t outer, size_t I, size_t J, const std::vector<Fr>& w);
// The same over the innermost axis: [rows, J] -> out[r] = Σ_j w[j]·t[r·J + j].
std::vector<Fr> fold_inner(const std::vector<Fr>& t, size_t rows, size_t J, const std::vector<Fr>& w);
// Each value repeated `inner` times: out[x] = values[x / inner] (instance weights over instances).
std::vector<Fr> repeat_each(const std::vector<Fr>& values, size_t inner);

// Barycentric evaluation at x of the polynomial of degree <= d given by its values at 0..d.
Fr interpolate_at(const std::vector<Fr>& values, const Fr& x);
