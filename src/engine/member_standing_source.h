// Where checkout, points and drops ask for a member's standing (score, tier, paid plan). The paid
// plan's service implements it over the store; tests may give a fixed table.
#pragma once

#include <string_view>

#include "core/member_standing.h"
#include "core/result.h"

namespace onecard {

class MemberStandingSource {
 public:
  virtual ~MemberStandingSource() = default;
  // The member's standing at `at`. A member the program has never seen has an empty tier and is
  // not paid (that is not an error).
  virtual Result<MemberStanding> Standing(std::string_view member, Instant at) = 0;
};

}  // namespace onecard
