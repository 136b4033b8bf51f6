// A scalar as a canonical integer (raw limbs, < r): what bucket methods read bits from. A floor
// type: curve/, commit/ and the backends use it, so it depends on the field alone.
#pragma once
#include <cstdint>
#include "../field/field.cuh"

struct alignas(16) ScalarRaw {
  uint64_t v[4];
};
ZK_HD ScalarRaw scalar_raw(const Fr& x) {
  const Fr c = x.to_canonical_raw();
  return {{c.v[0], c.v[1], c.v[2], c.v[3]}};
}
