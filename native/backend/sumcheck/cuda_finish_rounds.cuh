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

// Whether finish_rounds_on_device takes `rounds` rounds over tensors of length len (= 2^rounds, at
// most 2^17: a round at 2^16 pairs is a few microseconds of products over the grid it may use):
// the kernel is built for this many tensors and this degree, the device has cooperative launches,
// and ZKLLM_SUMCHECK_FINISH is not 0 (which keeps every round a host round trip, to measure what
// finishing saves).
bool finish_rounds_apply(size_t len, int rounds, size_t tensors, int degree);

// Runs rounds j0..k-1 of the sumcheck `label` over the device tensors cur (length 2^(k - j0), the
// folds ping-ponging with `alt`, each at least half as long), appending the rounds' values and
// challenges and drawing the challenges from tr (on_total, when given and j0 = 0, gets the first
// round's total before that round is absorbed, as the driver's). Afterwards each tensor's final value is at
// cur[f][0] when the number of rounds is even, else at alt[f][0] (the caller swaps).
void finish_rounds_on_device(Transcript& tr, const std::string& label, int j0, int k, const std::vector<Fr*>& cur,
                             const std::vector<Fr*>& alt, const SumcheckTerms& terms, std::vector<std::vector<Fr>>& rounds,
                             std::vector<Fr>& point, const std::function<void(const Fr&)>& on_total);

