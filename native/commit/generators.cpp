#include "generators.h"
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include "../backend/commit/commit_kernels.h"
#include "../hash/sha256.h"
#include "generator_cache.h"
#include "hash_to_g1.cuh"

void generator_label_digest(const std::string& label, uint8_t out[32]) {
  Sha256 h;
  h.update(reinterpret_cast<const uint8_t*>(GENERATOR_MAP_ID), std::strlen(GENERATOR_MAP_ID));
  uint8_t len[8];
  for (int i = 0; i < 8; i++) len[i] = (uint8_t)((uint64_t)label.size() >> (8 * i));
  h.update(len, 8);
  h.update(reinterpret_cast<const uint8_t*>(label.data()), label.size());
  h.final(out);
}

std::vector<G1Affine> derive_vector_generators(Backend b, const std::string& label, size_t first, size_t count) {
  uint8_t digest[32];
  generator_label_digest(label, digest);
  std::vector<G1Affine> g(count);
  derive_generators(b, digest, GEN_KIND_VECTOR, first, count, g.data());
  return g;
}

G1Affine derive_q_generator(const std::string& label) {
  uint8_t digest[32];
  generator_label_digest(label, digest);
  return hash_to_g1(digest, GEN_KIND_Q, 0).to_affine();
}

namespace {

std::mutex memo_mutex;
std::map<std::pair<std::string, size_t>, std::shared_ptr<const PedersenGenerators>> memo;

// An exact entry, else a prefix of a larger set with the same label (g_i does not depend on w).
std::shared_ptr<const PedersenGenerators> memo_find(const std::string& label, size_t w) {
  std::lock_guard<std::mutex> lock(memo_mutex);
  auto it = memo.lower_bound({label, w});
  if (it == memo.end() || it->first.first != label) return nullptr;
  if (it->first.second == w) return it->second;
  auto part = std::make_shared<PedersenGenerators>();
  part->label = label;
  part->derived = it->second->derived;
  part->g.assign(it->second->g.begin(), it->second->g.begin() + w);
  part->q = it->second->q;
  memo[{label, w}] = part;
  return part;
}

void memo_store(const std::shared_ptr<const PedersenGenerators>& set) {
  std::lock_guard<std::mutex> lock(memo_mutex);
  memo[{set->label, set->g.size()}] = set;
}

// A checksum only proves the file is the one that was written. Re-deriving Q, the first and last
// points and 30 random ones also catches a file written by another derivation (a different
// version, or a hand-made file with a fresh checksum) at a cost of about 3 ms.
bool spot_check(const uint8_t digest[32], const std::vector<G1Affine>& g, const G1Affine& q, std::string* why) {
  std::vector<size_t> idx = {0, g.size() - 1};
  std::mt19937_64 rng(std::random_device{}());
  for (int i = 0; i < 30; i++) idx.push_back(rng() % g.size());
  for (size_t i : idx) {
    const G1Affine want = hash_to_g1(digest, GEN_KIND_VECTOR, i).to_affine();
    if (want.x != g[i].x || want.y != g[i].y) {
      *why = "cache file generator " + std::to_string(i) + " differs from its derivation";
      return false;
    }
  }
  const G1Affine want_q = hash_to_g1(digest, GEN_KIND_Q, 0).to_affine();
  if (want_q.x != q.x || want_q.y != q.y) {
    *why = "cache file Q differs from its derivation";
    return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<const PedersenGenerators> pedersen_generators(const std::string& label, size_t w, Backend b,
                                                              const GeneratorOptions& opt, GeneratorSource* source) {
  if (w == 0 || (w & (w - 1)) != 0)
    throw std::invalid_argument("generator dimension " + std::to_string(w) + " is not a power of two");
  if (w > MAX_GENERATOR_DIM)
    throw std::invalid_argument("generator dimension " + std::to_string(w) + " exceeds the maximum 2^20");
  const auto t0 = std::chrono::steady_clock::now();
  GeneratorSource src;
  auto done = [&](std::shared_ptr<const PedersenGenerators> set, const char* origin) {
    src.origin = origin;
    src.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (source) *source = src;
    return set;
  };
  if (opt.use_memory)
    if (auto hit = memo_find(label, w); hit && (hit->derived || !opt.derived_only)) return done(hit, "memory");

  uint8_t digest[32];
  generator_label_digest(label, digest);
  const bool disk = opt.use_disk && !opt.derived_only;
  std::string root = disk ? generator_cache_root(opt.cache_dir) : "";
  if (disk && root.empty()) src.cache_note = "no cache folder: set ZKLLM_CACHE_DIR or HOME";
  if (!root.empty()) {
    src.cache_file = generator_cache_file(root, label, digest, w);
    std::error_code ec;
    if (std::filesystem::exists(src.cache_file, ec)) {
      auto set = std::make_shared<PedersenGenerators>();
      set->label = label;
      std::string why;
      if (read_generator_cache(src.cache_file, digest, w, set->g, set->q, &why) && spot_check(digest, set->g, set->q, &why)) {
        memo_store(set);
        return done(set, "disk");
      }
      src.cache_note = "regenerated: " + why;
    }
  }

  auto set = std::make_shared<PedersenGenerators>();
  set->label = label;
  set->derived = true;
  set->g.resize(w);
  derive_generators(b, digest, GEN_KIND_VECTOR, 0, w, set->g.data());
  set->q = hash_to_g1(digest, GEN_KIND_Q, 0).to_affine();
  if (!src.cache_file.empty()) {
    try {
      write_generator_cache(src.cache_file, digest, set->g, set->q);
    } catch (const std::exception& e) {
      src.cache_note += std::string(src.cache_note.empty() ? "" : "; ") + "not cached: " + e.what();
    }
  }
  memo_store(set);
  return done(set, "derived");
}
