// A PartnerGateway for tests: fails the next N calls, then confirms with "P-<n>" (n counts distinct
// activations),
// and counts activations per fulfilment identity, so a test can see that nothing was activated
// twice on the partner's side. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "engine/checkout_service.h"

namespace onecard::test_support {

class ScriptedPartnerGateway final : public PartnerGateway {
 public:
  void FailNext(int calls) {
    std::lock_guard lock(mu_);
    failures_left_ = calls;
  }

  Result<std::string> Activate(const Fulfilment& f) override {
    std::lock_guard lock(mu_);
    ++calls_;
    if (failures_left_ > 0) {
      --failures_left_;
      return MakeError(ErrorCode::kIoError, "partner", "the partner did not answer");
    }
    const std::string identity = f.member + ":" + f.benefit + ":" + std::to_string(f.term_start_us);
    // The partner deduplicates by identity: a repeat returns the first confirmation.
    auto [at, inserted] = activations_.try_emplace(identity, 0);
    if (inserted) at->second = ++confirmed_;
    return "P-" + std::to_string(at->second);
  }

  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  int distinct_activations() {
    std::lock_guard lock(mu_);
    return static_cast<int>(activations_.size());
  }

 private:
  std::mutex mu_;
  int failures_left_ = 0;
  int calls_ = 0;
  int confirmed_ = 0;
  std::map<std::string, int> activations_;
};

}  // namespace onecard::test_support
