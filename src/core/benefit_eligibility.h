// Whether a member may have a benefit at one moment: tier, paid plan, validity dates and the
// grandfathering of withdrawn benefits (PRODUCT §3, §4). Pure: the standing and the moment come in.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/benefit_catalog.h"
#include "core/member_standing.h"
#include "core/program_config.h"

namespace onecard {

enum class Availability : uint8_t {
  kAvailable,
  kTierTooLow,  // the member's tier ranks below the benefit's min_tier
  kNotPaid,     // the benefit needs an active paid plan
  kNotStarted,  // before valid_from
  kEnded,       // at or after valid_until
  kWithdrawn,   // withdrawn, and the member's term does not keep it (or the hard stop passed)
};
std::string_view AvailabilityName(Availability availability);

// The rank of a tier name in `tiers` (tiers.levels in order, then the invitation tier); -1 for an
// empty or unknown name.
int32_t TierRank(const TierRules& tiers, std::string_view tier);

// `tier_rank` is TierRank(tiers, standing.tier), computed once per request. Grandfathering: at or
// after withdrawn_at, the benefit stays with a member who is paid now and whose current term began
// before withdrawn_at, while `at` is before both that term's end and the benefit's hard_stop.
Availability CheckAvailability(const Benefit& benefit, int32_t tier_rank,
                               const MemberStanding& standing, Instant at);

}  // namespace onecard
