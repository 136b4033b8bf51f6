#include "generator_cache.h"
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include "../platform/cpu_parallel.h"
#include "../codec/g1_codec.h"
#include "../hash/sha256.h"

namespace {

constexpr char MAGIC[8] = {'Z', 'K', 'L', 'L', 'M', 'G', 'E', 'N'};
constexpr uint32_t VERSION = 1;
constexpr size_t HEADER_BYTES = 8 + 4 + 4 + 32 + 8;
constexpr size_t CHECKSUM_BYTES = 32;

size_t file_bytes(size_t w) { return HEADER_BYTES + (w + 1) * G1_BYTES + CHECKSUM_BYTES; }

void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
void put_u64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
uint64_t get_u64(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

void header(uint8_t* h, const uint8_t digest[32], size_t w) {
  std::memcpy(h, MAGIC, 8);
  put_u32(h + 8, VERSION);
  put_u32(h + 12, G1_BYTES);
  std::memcpy(h + 16, digest, 32);
  put_u64(h + 48, w);
}

struct FileCloser {
  void operator()(FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<FILE, FileCloser>;

bool safe_label(const std::string& label) {
  if (label.empty() || label.size() > 64 || label == "." || label == "..") return false;
  for (char ch : label)
    if (!(std::isalnum((unsigned char)ch) || ch == '.' || ch == '_' || ch == '-')) return false;
  return true;
}

}  // namespace

std::string generator_cache_root(const std::string& override_dir) {
  if (!override_dir.empty()) return override_dir;
  if (const char* d = std::getenv("ZKLLM_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/zkllm-kit";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/zkllm-kit";
  return "";
}

std::string generator_cache_file(const std::string& root, const std::string& label, const uint8_t digest[32],
                                 size_t w) {
  std::string name;
  if (safe_label(label)) {
    name = label;
  } else {
    for (char ch : label.substr(0, 48))
      name += (std::isalnum((unsigned char)ch) || ch == '.' || ch == '_' || ch == '-') ? ch : '_';
    static const char* hex = "0123456789abcdef";
    name += '~';
    for (int i = 0; i < 4; i++) {
      name += hex[digest[i] >> 4];
      name += hex[digest[i] & 15];
    }
  }
  return root + "/generators/" + name + "-" + std::to_string(w) + ".bin";
}

bool read_generator_cache(const std::string& path, const uint8_t digest[32], size_t w, std::vector<G1Affine>& g,
                          G1Affine& q, std::string* why) {
  auto fail = [&](const std::string& reason) {
    if (why) *why = reason;
    return false;
  };
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return fail("no cache file");
  const size_t want = file_bytes(w);
  std::vector<uint8_t> buf(want + 1);
  const size_t got = std::fread(buf.data(), 1, want + 1, f.get());
  if (got != want)
    return fail("cache file has " + std::string(got > want ? "more than " : "") + std::to_string(got) +
                " bytes, expected " + std::to_string(want));
  uint8_t expect[HEADER_BYTES];
  header(expect, digest, w);
  if (std::memcmp(buf.data(), MAGIC, 8) != 0) return fail("cache file does not start with the generator-cache magic");
  if (get_u64(buf.data() + 8, 4) != VERSION || get_u64(buf.data() + 12, 4) != G1_BYTES)
    return fail("cache file has another format version");
  if (std::memcmp(buf.data() + 16, digest, 32) != 0) return fail("cache file is for another label");
  if (get_u64(buf.data() + 48, 8) != w) return fail("cache file holds another number of generators");
  uint8_t sum[32];
  Sha256 h;
  h.update(buf.data(), want - CHECKSUM_BYTES);
  h.final(sum);
  if (std::memcmp(sum, buf.data() + want - CHECKSUM_BYTES, 32) != 0) return fail("cache file checksum mismatch");

  std::vector<G1Affine> pts(w + 1);
  std::atomic<size_t> bad{SIZE_MAX};
  const uint8_t* body = buf.data() + HEADER_BYTES;
  cpu_parallel_chunks(
      w + 1,
      [&](size_t lo, size_t hi, size_t) {
        for (size_t i = lo; i < hi; i++) {
          try {
            pts[i] = g1_decode(body + G1_BYTES * i, "cached generator", /*check_subgroup=*/false);
            if (pts[i].is_identity()) throw std::invalid_argument("identity");
          } catch (const std::invalid_argument&) {
            size_t cur = bad.load();
            while (i < cur && !bad.compare_exchange_weak(cur, i)) {
            }
          }
        }
      },
      1024);
  if (bad.load() != SIZE_MAX) return fail("cache file point " + std::to_string(bad.load()) + " is not a curve point");
  q = pts[w];
  pts.pop_back();
  g = std::move(pts);
  return true;
}

void write_generator_cache(const std::string& path, const uint8_t digest[32], const std::vector<G1Affine>& g,
                           const G1Affine& q) {
  namespace fs = std::filesystem;
  const size_t w = g.size(), total = file_bytes(w);
  std::vector<uint8_t> buf(total);
  header(buf.data(), digest, w);
  uint8_t* body = buf.data() + HEADER_BYTES;
  cpu_parallel_chunks(
      w, [&](size_t lo, size_t hi, size_t) {
        for (size_t i = lo; i < hi; i++) g1_encode(g[i], body + G1_BYTES * i);
      });
  g1_encode(q, body + G1_BYTES * w);
  Sha256 h;
  h.update(buf.data(), total - CHECKSUM_BYTES);
  h.final(buf.data() + total - CHECKSUM_BYTES);

  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create " + fs::path(path).parent_path().string() + ": " + ec.message());
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" +
                          std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()) & 0xffffff);
  {
    File f(std::fopen(tmp.c_str(), "wb"));
    if (!f) throw std::runtime_error("cannot write " + tmp);
    const bool ok = std::fwrite(buf.data(), 1, total, f.get()) == total && std::fflush(f.get()) == 0;
    if (!ok) {
      f.reset();
      fs::remove(tmp, ec);
      throw std::runtime_error("cannot write " + tmp);
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    const std::string reason = ec.message();
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot rename the cache file into " + path + ": " + reason);
  }
}
