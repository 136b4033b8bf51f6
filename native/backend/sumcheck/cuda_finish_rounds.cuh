// A sumcheck's last rounds in one cooperative kernel: the round values, the transcript steps
// (transcript_steps.cuh, the host's own code) that absorb them and draw the challenge, and the
// binds, with grid barriers between them instead of a launch, a download and a host transcript
// step per round. Small sumchecks (the matmul's 13 rounds over 8,192 entries, the claims
// opening's reduction) were host round trips more than arithmetic.
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
// challenges and advancing tr's state. Afterwards each tensor's final value is at cur[f][0] when
// the number of rounds is even, else at alt[f][0] (the caller swaps).
void finish_rounds_on_device(Transcript& tr, const std::string& label, int j0, int k, const std::vector<Fr*>& cur,
                             const std::vector<Fr*>& alt, const SumcheckTerms& terms, std::vector<std::vector<Fr>>& rounds,
                             std::vector<Fr>& point);
