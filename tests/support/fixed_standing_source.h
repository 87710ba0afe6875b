// A MemberStandingSource over a fixed table, for drop tests: each member's paid plan and tier as
// set by the test; a member not in the table is unknown (no tier, not paid), as the real source
// answers for a member the program has never seen. Thread-safe.
#pragma once

#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "engine/member_standing_source.h"

namespace onecard::test_support {

class FixedStandingSource final : public MemberStandingSource {
 public:
  void Set(const std::string& member, bool paid, const std::string& tier) {
    std::unique_lock<std::shared_mutex> lock(mu_);
    table_[member] = Row{paid, tier};
  }

  Result<MemberStanding> Standing(std::string_view member, Instant /*at*/) override {
    MemberStanding standing;
    standing.member = std::string(member);
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = table_.find(standing.member);
    if (it != table_.end()) {
      standing.paid = it->second.paid;
      standing.tier = it->second.tier;
    }
    return standing;
  }

 private:
  struct Row {
    bool paid = false;
    std::string tier;
  };
  std::shared_mutex mu_;
  std::unordered_map<std::string, Row> table_;
};

}  // namespace onecard::test_support
