// The paid plan's price and eligibility (PRODUCT §3): the price comes from the config's price table
// by the member's latest published score; the plan is sold to members whose published tier is at
// least the config's min_tier.
#pragma once

#include <string_view>

#include "core/money.h"
#include "core/program_config.h"
#include "core/result.h"

namespace onecard {

// The price of the highest band whose min_score the score reaches. A member never published is
// priced as score 0 (the first band, which the loader guarantees starts at 0).
// REQUIRES: rules.prices is non-empty and starts at 0; score ≥ 0.
Money PlanPriceFor(const PlanRules& rules, int64_t score);

// Whether a member holding `tier` (empty: never published) may buy or renew the plan. With an
// empty min_tier everybody may, the never published included: they pay the price of score 0.
// Otherwise the tier must rank at least min_tier, the invitation tier ranking above every tier
// of tiers.levels. Fails with kNotEligible (field "member") saying which tier is needed.
Status CheckPlanEligibility(const ProgramConfig& config, std::string_view tier);

}  // namespace onecard
