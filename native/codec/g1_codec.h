// ZCash serialization of BLS12-381 G1 points, uncompressed: 96 bytes, x then y, big-endian,
// flags in the three top bits of byte 0 (compressed, infinity, sort).
#pragma once
#include <cstdint>
#include <string>
#include "../curve/g1.cuh"

constexpr int G1_BYTES = 96;

// Throws std::invalid_argument naming `what` when the bytes are not the encoding of a point of G1
// (bad flags, coordinate >= q, not on the curve, or not in the prime-order subgroup).
G1Affine g1_decode(const uint8_t* bytes, const std::string& what, bool check_subgroup = true);
void g1_encode(const G1Affine& p, uint8_t* out);
// Whether p is in G1, by the endomorphism test φ(P) = [−x²]P; the second by [r]P = O.
bool g1_in_subgroup(const G1Affine& p);
bool g1_in_subgroup_by_order(const G1Affine& p);
