// The verifier side of final evaluation claims: the statement lists (tensor, point, value); the
// verifier derives each point itself and accepts a listed value only at the point it derived.
#pragma once
#include <string>
#include <vector>
#include "../mle/mle.h"
#include "protocol_io.h"

class FinalEvalCheck {
 public:
  FinalEvalCheck(const std::vector<FinalEval>& given, std::string& reason) : given_(given), reason_(reason) {}
  // The value claimed for `tensor` at `point`; false (with a reason) when absent or at another point.
  bool value(const std::string& tensor, const std::vector<Fr>& point, Fr& out) {
    for (const auto& e : given_)
      if (e.tensor == tensor) {
        if (e.point != point) {
          reason_ = "final evaluation of '" + tensor + "' is claimed at a different point than the transcript gives";
          return false;
        }
        out = e.value;
        used_++;
        return true;
      }
    reason_ = "statement has no final evaluation for '" + tensor + "'";
    return false;
  }
  bool all_used() {
    if (used_ == given_.size()) return true;
    reason_ = "statement lists final evaluations that the protocol does not produce";
    return false;
  }
  // Oracle: the witness tensor's own MLE at the point must equal the claimed value.
  bool oracle(const std::string& tensor, const std::vector<Fr>& t, const std::vector<Fr>& point, const Fr& claimed) {
    if (mle_evaluate(t.data(), t.size(), point) == claimed) return true;
    reason_ = "final evaluation of '" + tensor + "' does not match the witness";
    return false;
  }

 private:
  const std::vector<FinalEval>& given_;
  std::string& reason_;
  size_t used_ = 0;
};
