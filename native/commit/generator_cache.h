// The disk cache of generator sets, one file per (label, w):
//   <cache dir>/generators/<label>-<w>.bin   (a label that is not [A-Za-z0-9._-]{1,64} has its
//                                             other characters replaced by '_' and gets '~' and 8 hex
//                                             digits of its digest appended, so it stays one file name
//                                             inside generators/ and distinct labels stay apart)
// Layout, integers little-endian:
//   "ZKLLMGEN" | u32 version (1) | u32 bytes per point (96) | label digest (32) | u64 w |
//   (w + 1) points in the 96-byte ZCash encoding (g_0 .. g_{w−1}, then Q) | SHA-256 of all before (32)
// A file is used only if its length, header, label digest, count and checksum all match and every
// point decodes to a curve point other than the identity; the caller also re-derives a sample of
// points and compares. Anything else counts as absent and the set is regenerated. Files are
// written to a temporary name and renamed, so readers never see half a file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "../curve/g1.cuh"

// The folder holding generators/ (see GeneratorOptions::cache_dir); empty when none can be found.
std::string generator_cache_root(const std::string& override_dir);
std::string generator_cache_file(const std::string& root, const std::string& label, const uint8_t digest[32],
                                 size_t w);

// False, with the reason in *why, when the file is missing or fails any check.
bool read_generator_cache(const std::string& path, const uint8_t digest[32], size_t w, std::vector<G1Affine>& g,
                          G1Affine& q, std::string* why);
// Throws std::runtime_error when the file cannot be written.
void write_generator_cache(const std::string& path, const uint8_t digest[32], const std::vector<G1Affine>& g,
                           const G1Affine& q);
