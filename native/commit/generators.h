// Public Pedersen generators: g_0, ..., g_{w−1} for the row commitments and one extra generator Q
// for the inner-product argument, all hashed to G1 from a public label (hash_to_g1.cuh), so no one
// knows a discrete-log relation among them. g_i does not depend on w: a smaller set is a prefix of
// a larger one with the same label.
//
// Made once per machine: a set is looked up in this process's memory, then in the disk cache
// (generator_cache.h), and derived (on the chosen backend) and written to the cache only when
// neither has it. A cached file is trusted by provers only (a damaged one makes proofs that fail to
// verify); a verifier asks for `derived_only` and gets a set derived in this process.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include "../backend/backend.h"

constexpr size_t MAX_GENERATOR_DIM = size_t(1) << 20;
constexpr const char* GENERATOR_MAP_ID = "zkllm-kit/hash-to-g1/try-and-increment/v1";

struct PedersenGenerators {
  std::string label;
  bool derived = false;     // derived in this process (not read from a file)
  std::vector<G1Affine> g;  // w points
  G1Affine q;               // the inner-product argument's extra generator
};

struct GeneratorOptions {
  std::string cache_dir;    // empty: $ZKLLM_CACHE_DIR, else $XDG_CACHE_HOME/zkllm-kit, else ~/.cache/zkllm-kit
  bool use_memory = true;   // false: skip (but still refresh) this process's copy
  bool use_disk = true;     // false: neither read nor write the disk cache
  bool derived_only = false;  // accept only a set derived in this process (what verifiers use)
};

// Where a set came from, for reports and tests.
struct GeneratorSource {
  std::string origin;       // "memory", "disk" or "derived"
  std::string cache_file;   // empty when no cache folder could be determined or the disk is off
  std::string cache_note;   // why a cache file was not used or not written; empty when nothing went wrong
  double ms = 0;
};

// D = SHA-256(GENERATOR_MAP_ID || le64(|label|) || label): what the per-point map hashes.
void generator_label_digest(const std::string& label, uint8_t out[32]);

// The set for (label, w); throws std::invalid_argument for w not a power of two in [1, 2^20].
std::shared_ptr<const PedersenGenerators> pedersen_generators(const std::string& label, size_t w, Backend b,
                                                              const GeneratorOptions& opt = {},
                                                              GeneratorSource* source = nullptr);

// Derivation alone (no caches): g_first, ..., g_{first+count−1}, and Q.
std::vector<G1Affine> derive_vector_generators(Backend b, const std::string& label, size_t first, size_t count);
G1Affine derive_q_generator(const std::string& label);
