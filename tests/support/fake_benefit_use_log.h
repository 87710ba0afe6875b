// A BenefitUseLog for the paid plan's tests, until the benefits service answers for real: uses are
// recorded in memory (member, moment, cost, reversed or not) and the two questions of the contract
// are answered from them exactly as engine/benefit_use_log.h describes.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/program_time.h"
#include "engine/benefit_use_log.h"

namespace onecard::test_support {

class FakeBenefitUseLog final : public BenefitUseLog {
 public:
  explicit FakeBenefitUseLog(ProgramTime time) : time_(time) {}

  void AddUse(std::string member, Instant at, Money cost, bool reversed = false) {
    std::lock_guard<std::mutex> lock(mutex_);
    uses_.push_back(Use{std::move(member), at, cost, reversed});
  }

  Result<bool> AnyUseSince(std::string_view member, Instant since) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Use& use : uses_) {
      if (use.member == member && !use.reversed && use.at >= since) return true;
    }
    return false;
  }

  Result<BenefitCostSummary> CostInMonth(MonthKey month) override {
    std::lock_guard<std::mutex> lock(mutex_);
    BenefitCostSummary summary;
    std::set<std::string> members;
    for (const Use& use : uses_) {
      if (use.reversed || time_.MonthOf(use.at) != month) continue;
      ++summary.uses;
      summary.cost += use.cost;
      members.insert(use.member);
    }
    summary.members = static_cast<int64_t>(members.size());
    return summary;
  }

 private:
  struct Use {
    std::string member;
    Instant at;
    Money cost;
    bool reversed = false;
  };

  ProgramTime time_;
  std::mutex mutex_;
  std::vector<Use> uses_;
};

}  // namespace onecard::test_support
