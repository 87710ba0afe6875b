// How a purchase earns a brand's points (PRODUCT §5): the channel's rate for the category, times
// the member's tier multiplier, times the paid plan's multiplier when the member is paid, times
// the highest campaign multiplier whose window holds the purchase; rounded down to whole points.
// Multipliers compose by multiplication ("×10 for paid members" on top of a tier's ×1.5 is ×15).
#pragma once

#include <cstdint>
#include <string>

#include "core/ledger_config.h"
#include "core/member_standing.h"
#include "core/money.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

struct EarnFactors {
  int64_t rate_ppm = 0;
  int64_t tier_permille = 1000;
  int64_t paid_permille = 1000;
  int64_t campaign_permille = 1000;
  std::string campaign;  // the campaign that applied, empty if none
};

// The factors for a purchase on `channel` in `category` at `at` by a member of `standing`.
// Fails with kUnknownChannel (field "channel") when the program has no rate for the channel.
Result<EarnFactors> EarnFactorsFor(const PointsProgram& program, std::string_view channel,
                                   std::string_view category, Instant at,
                                   const MemberStanding& standing);

// floor(amount × rate × tier × paid × campaign) in whole points. REQUIRES: 0 ≤ amount ≤
// limits::kEarnAmountMinorMax and factors within the config's bounds (the product stays far
// inside 128 bits).
int64_t EarnedPoints(Money amount, const EarnFactors& factors);

}  // namespace onecard
