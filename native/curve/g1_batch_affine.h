// Jacobian → affine for many points with one field inversion (Montgomery's trick over the Z
// coordinates). A single to_affine costs an inversion, about 450 products; here each extra point
// costs 3 products plus its own 3 for x and y. Identity points stay the affine identity.
#pragma once
#include <cstddef>
#include <vector>
#include "g1.cuh"

inline void g1_batch_to_affine(const G1Jacobian* in, G1Affine* out, size_t n) {
  std::vector<Fq> prefix(n);
  Fq acc = Fq::one();
  for (size_t i = 0; i < n; i++) {
    prefix[i] = acc;
    if (!in[i].is_identity()) acc *= in[i].Z;
  }
  Fq inv = acc.inv();  // of the product of every nonzero Z
  for (size_t i = n; i-- > 0;) {
    if (in[i].is_identity()) {
      out[i] = G1Affine::identity();
      continue;
    }
    const Fq zi = inv * prefix[i];
    inv *= in[i].Z;
    const Fq zi2 = zi.sqr();
    out[i] = {in[i].X * zi2, in[i].Y * zi2 * zi};
  }
}
