// What the capabilities built on the score (checkout, points, drops) need to know about a member
// at one moment: the latest published score and tier, and the paid plan. Eligibility rules in the
// core take this value; the engine fills it (engine/member_standing_source.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/program_time.h"

namespace onecard {

struct MemberStanding {
  std::string member;
  // The latest publication before the moment that covers the member; none before the first.
  std::optional<MonthKey> publication;
  int64_t score = 0;
  std::string tier;  // empty when the member has never been published
  // An active paid term covers the moment and the plan is neither suspended nor revoked.
  bool paid = false;
  // The current (or, when not paid, the latest) term: it began at the purchase or the last
  // renewal and ends at term_end (exclusive). Grandfathering compares term_start with a benefit's
  // withdrawal.
  std::optional<Instant> term_start;
  std::optional<Instant> term_end;
};

}  // namespace onecard
