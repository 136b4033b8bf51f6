// Seeded random scalars and points made natively, so large benchmarks need not cross the JS
// boundary or pay for per-point subgroup checks (the points are multiples of the generator).
#pragma once
#include <cstdint>
#include <vector>
#include "../backend.h"

std::vector<ScalarRaw> random_scalars(size_t n, uint64_t seed);
std::vector<G1Affine> random_points(size_t n, uint64_t seed);
