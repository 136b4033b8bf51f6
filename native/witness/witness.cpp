#include "witness.h"

bool fr_offset_in_range(const Fr& x, int64_t lo, uint64_t span, uint64_t* j) {
  Fr d = (x - fr_from_i64(lo)).to_canonical_raw();
  if (d.v[1] | d.v[2] | d.v[3]) return false;
  if (d.v[0] >= span) return false;
  *j = d.v[0];
  return true;
}
