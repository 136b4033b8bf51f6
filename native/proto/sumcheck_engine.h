// Where a sumcheck's tensors live and how a round is computed: the protocol driver
// (sumcheck.cpp) is the same for every backend and only asks an engine for round values,
// binds, and final values (or to run the rounds left against the same transcript), so every
// backend produces the same proof bytes.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "../backend/device/devices.h"
#include "../field/field.cuh"
#include "sumcheck_terms.h"

class Transcript;

// The transcript labels of rounds j0..k-1 of the sumcheck `label`: what the driver absorbs each
// round's values under and draws its challenge with (sumcheck.cpp).
struct SumcheckRoundLabels {
  std::vector<std::string> round, challenge;
};
SumcheckRoundLabels sumcheck_round_labels(const std::string& label, int j0, int k);

class SumcheckEngine {
 public:
  virtual ~SumcheckEngine() = default;
  // Values of the current round polynomial at t = 0..degree (summed over all pairs).
  virtual std::vector<Fr> round_values() = 0;
  // Binds the current lowest variable to r (halves every tensor).
  virtual void bind(const Fr& r) = 0;
  // Every tensor's single remaining value, after the last bind.
  virtual std::vector<Fr> final_values() = 0;
  // Rounds j0..k-1 (all that remain) at once, absorbing each round's values into tr and drawing
  // its challenge there as the driver does: a device engine runs them in one kernel that waits on
  // the device for each challenge, instead of a launch, a download and a synchronization a round.
  // Appends the rounds' values and challenges; false (nothing done) when it does not. With j0 = 0,
  // on_total (when given) gets the first round's total before that round is absorbed.
  virtual bool finish_rounds(Transcript& tr, const std::string& label, int j0, int k, std::vector<std::vector<Fr>>& rounds,
                             std::vector<Fr>& point, const std::function<void(const Fr&)>& on_total) {
    (void)tr, (void)label, (void)j0, (void)k, (void)rounds, (void)point, (void)on_total;
    return false;
  }
};

// How a prover may use the machine: the backend, and for CUDA the most device memory the tensors
// may take at once (0 = what the device has free, less a margin). Instances beyond it are streamed.
struct ProverConfig {
  Backend backend = Backend::Cpu;
  size_t device_budget = 0;
};

// Takes the host tensors (all of one power-of-two length); the CPU engine folds them in place,
// the CUDA engine copies or streams them to the device.
std::unique_ptr<SumcheckEngine> make_sumcheck_engine(const ProverConfig& cfg, std::vector<std::vector<Fr>>& tensors,
                                                     const SumcheckTerms& terms);
// (Implemented by the backends: backend/sumcheck/.)

// Whether a sumcheck over {eq(point, ·), t1, t2} with these terms can run without forming the eq
// table (split-eq: the same round values, one degree less to sum; backend/sumcheck/split_eq.cuh).
bool split_eq_supported(const SumcheckTerms& terms);
// That sumcheck on the host (CPU engine): `others` are t1, t2, of length 2^|point|. Its final
// values are {eq(point, r), t1(r), t2(r)}, as with the table.
std::unique_ptr<SumcheckEngine> make_split_eq_sumcheck_engine(const std::vector<Fr>& point,
                                                              std::vector<std::vector<Fr>> others,
                                                              const SumcheckTerms& terms);
