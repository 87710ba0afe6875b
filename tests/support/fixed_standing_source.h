// A MemberStandingSource over a fixed table, for tests of checkout and drops (the real source is
// the paid plan's service). Members not in the table have no tier and are not paid. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "engine/member_standing_source.h"

namespace onecard::test_support {

class FixedStandingSource final : public MemberStandingSource {
 public:
  void Set(MemberStanding standing) {
    std::lock_guard lock(mu_);
    table_[standing.member] = std::move(standing);
  }

  // A member of `tier`, paid or not, with no term recorded (drops read only these two).
  void Set(const std::string& member, bool paid, const std::string& tier) {
    MemberStanding s;
    s.member = member;
    s.tier = tier;
    s.paid = paid;
    Set(std::move(s));
  }

  // A paid member of `tier` whose term is [start, end).
  void SetPaid(const std::string& member, const std::string& tier, Instant start, Instant end) {
    MemberStanding s;
    s.member = member;
    s.tier = tier;
    s.paid = true;
    s.term_start = start;
    s.term_end = end;
    Set(std::move(s));
  }

  Result<MemberStanding> Standing(std::string_view member, Instant at) override {
    std::lock_guard lock(mu_);
    auto found = table_.find(std::string(member));
    if (found == table_.end()) {
      MemberStanding unknown;
      unknown.member = std::string(member);
      return unknown;
    }
    MemberStanding standing = found->second;
    // Paid only inside the term, like the plan's source.
    if (standing.paid && standing.term_end.has_value() && at >= *standing.term_end) {
      standing.paid = false;
    }
    return standing;
  }

 private:
  std::mutex mu_;
  std::map<std::string, MemberStanding> table_;
};

}  // namespace onecard::test_support
