#include "protocol_io.h"
#include "zkattn_witness.h"
#include <cstring>
#include <stdexcept>
#include "../codec/g1_codec.h"
#include "../codec/scalar_codec.h"
#include "../hash/sha256.h"

const std::vector<Fr>& WitnessSource::need(const std::string& name, size_t count) const {
  auto it = tensors.find(name);
  if (it == tensors.end()) throw std::invalid_argument("witness tensor '" + name + "' is missing");
  if (it->second.size() != count)
    throw std::invalid_argument("witness tensor '" + name + "' has " + std::to_string(it->second.size()) +
                                " elements, expected " + std::to_string(count));
  return it->second;
}

std::string WitnessSource::id() const {
  if (seeded) return "seed:" + std::to_string(seed);
  Sha256 h;
  for (const auto& [name, t] : tensors) {
    uint64_t n = t.size();
    h.update(reinterpret_cast<const uint8_t*>(name.data()), name.size() + 1);
    h.update(reinterpret_cast<const uint8_t*>(&n), 8);
    for (const auto& x : t) {
      uint8_t b[32];
      fr_to_bytes(x, b);
      h.update(b, 32);
    }
  }
  uint8_t d[32];
  h.final(d);
  static const char* hex = "0123456789abcdef";
  std::string s = "tensors:";
  for (uint8_t c : d) s += hex[c >> 4], s += hex[c & 15];
  return s;
}

Transcript open_transcript(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>* table) {
  Transcript tr(p.domain);
  tr.absorb("op", reinterpret_cast<const uint8_t*>(p.op.data()), p.op.size());
  const uint64_t sizes[7] = {p.num, p.dim, p.dim0, p.dim1, p.dim2, (uint64_t)p.low, p.len};
  tr.absorb("sizes", reinterpret_cast<const uint8_t*>(sizes), sizeof sizes);
  // In commit mode the verifier knows the witness only through the commitments the op absorbs.
  std::string id = p.commit ? "committed:" + std::to_string(p.gen_dim) + ":" + p.gen_label : w.id();
  tr.absorb("witness", reinterpret_cast<const uint8_t*>(id.data()), id.size());
  if (p.attention) {
    const std::string a = attention_binding(*p.attention);
    tr.absorb("attention", reinterpret_cast<const uint8_t*>(a.data()), a.size());
  }
  if (p.op == "tlookup-map") {
    std::vector<Fr> own;
    if (!table) own = lookup_table_outputs(p, w), table = &own;
    if (table->size() < p.len) throw std::logic_error("lookup table shorter than len");
    Sha256 h;
    for (uint64_t j = 0; j < p.len; j++) {
      uint8_t b[32];
      fr_to_bytes((*table)[j], b);
      h.update(b, 32);
    }
    uint8_t d[32];
    h.final(d);
    tr.absorb("table", d, 32);
  }
  return tr;
}

size_t next_pow2(uint64_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

std::vector<Fr> challenges(Transcript& tr, const std::string& label, int count) {
  std::vector<Fr> r;
  for (int i = 0; i < count; i++) r.push_back(tr.challenge_fr(label + "/" + std::to_string(i)));
  return r;
}

void ProofWriter::fr(const Fr& x) {
  bytes.resize(bytes.size() + 32);
  fr_to_bytes(x, bytes.data() + bytes.size() - 32);
}

void ProofWriter::point(const G1Affine& p) {
  bytes.resize(bytes.size() + G1_BYTES);
  g1_encode(p, bytes.data() + bytes.size() - G1_BYTES);
}

bool ProofReader::fr(Fr& out) {
  if (pos_ + 32 > b_.size()) return problem_ = "proof is too short", false;
  Fr raw;
  std::memcpy(raw.v, b_.data() + pos_, 32);
  if (!raw.raw_less_than_modulus()) return problem_ = "proof holds a scalar that is not below p", false;
  out = Fr::from_canonical_raw(raw);
  pos_ += 32;
  return true;
}

bool ProofReader::frs(size_t n, std::vector<Fr>& out) {
  out.resize(n);
  for (auto& x : out)
    if (!fr(x)) return false;
  return true;
}

bool ProofReader::point(G1Affine& out) {
  if (pos_ + G1_BYTES > b_.size()) return problem_ = "proof is too short", false;
  try {
    out = g1_decode(b_.data() + pos_, "proof point");
  } catch (const std::exception& e) {
    return problem_ = e.what(), false;
  }
  pos_ += G1_BYTES;
  return true;
}
