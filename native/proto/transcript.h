// Fiat–Shamir transcript over SHA-256. Every message is framed as
//   tag (1 byte) | label length (u32 LE) | label | [data length (u64 LE) | data]
// into one running hash, so the order, the labels and the lengths are all bound. A challenge
// hashes the running state with its label, expands to 64 bytes and reduces them mod p (bias
// below 2^-256), then feeds its seed back so later challenges depend on earlier ones.
#pragma once
#include <cstdint>
#include <string>
#include "../field/field.cuh"
#include "../hash/sha256.h"

class Transcript {
 public:
  static constexpr const char* PROTOCOL = "zkllm-kit/transcript/v1";
  explicit Transcript(const std::string& domain);
  void absorb(const std::string& label, const uint8_t* data, size_t len);
  void absorb_fr(const std::string& label, const Fr& x);  // canonical 32 bytes LE
  Fr challenge_fr(const std::string& label);
  void challenge_bytes(const std::string& label, uint8_t out[32]);

 private:
  void frame(uint8_t tag, const std::string& label);
  Sha256 state_;
};
