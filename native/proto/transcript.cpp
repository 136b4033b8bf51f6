#include "transcript.h"
#include "transcript_steps.cuh"

namespace ts = transcript_steps;

Transcript::Transcript(const std::string& domain) {
  ts::frame(state_, ts::TAG_DOMAIN, PROTOCOL, std::char_traits<char>::length(PROTOCOL));
  ts::put_le(state_, domain.size(), 8);
  state_.update(reinterpret_cast<const uint8_t*>(domain.data()), domain.size());
}

void Transcript::absorb(const std::string& label, const uint8_t* data, size_t len) {
  ts::absorb(state_, label.data(), label.size(), data, len);
}

void Transcript::absorb_fr(const std::string& label, const Fr& x) { ts::absorb_fr(state_, label.data(), label.size(), x); }

void Transcript::challenge_bytes(const std::string& label, uint8_t seed[32]) {
  ts::challenge_bytes(state_, label.data(), label.size(), seed);
}

Fr Transcript::challenge_fr(const std::string& label) { return ts::challenge_fr(state_, label.data(), label.size()); }
