// A sumcheck's last rounds in one cooperative kernel that stays on the device between rounds: it
// posts each round's values to pinned host memory and waits there for the challenge, which the
// host's transcript draws (so the bytes are the host's own), then binds and goes on. A round costs
// a handshake over mapped memory instead of launches, a download and a synchronization: small
// sumchecks (the matmul's 13 rounds over 8,192 entries, the claims opening's reduction, a lookup
// table's rounds) were host round trips more than arithmetic.
#pragma once
#include <string>
#include <vector>
#include "../../proto/sumcheck_engine.h"
#include "../../proto/transcript.h"
#include "../device/cuda_common.cuh"

// The longest tensors finish_rounds_on_device takes (a round at 2^16 pairs is a few microseconds
// of products over the grid it may use).
constexpr size_t FINISH_MAX_LEN = size_t(1) << 17;

// Whether the kernel is built for this many tensors and this degree.
bool finish_rounds_supported(size_t tensors, int degree);

// Runs rounds j0..k-1 of the sumcheck `label` over the device tensors cur (length 2^(k - j0), the
// folds ping-ponging with `alt`, each at least half as long), appending the rounds' values and
// challenges and drawing the challenges from tr (on_total, when given and j0 = 0, gets the first
// round's total before that round is absorbed, as the driver's). Afterwards each tensor's final value is at
// cur[f][0] when the number of rounds is even, else at alt[f][0] (the caller swaps).
void finish_rounds_on_device(Transcript& tr, const std::string& label, int j0, int k, const std::vector<Fr*>& cur,
                             const std::vector<Fr*>& alt, const SumcheckTerms& terms, std::vector<std::vector<Fr>>& rounds,
                             std::vector<Fr>& point, const std::function<void(const Fr&)>& on_total);

// c·eq(point, x) for x < 2^|point| (LSB-first), |point| <= 24: the eq factor of the rounds a
// split-eq engine has left, C_j folded in.
DeviceBuffer<Fr> scaled_eq_on_device(const std::vector<Fr>& point, const Fr& c);
