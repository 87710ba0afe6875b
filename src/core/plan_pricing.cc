#include "core/plan_pricing.h"

#include <optional>
#include <string>

#include "core/assert.h"

namespace onecard {
Money PlanPriceFor(const PlanRules& rules, int64_t score) {
  ONECARD_ASSERT(!rules.prices.empty() && rules.prices.front().min_score == 0);
  ONECARD_ASSERT(score >= 0);
  Money price = rules.prices.front().price;
  for (const PriceBand& band : rules.prices) {
    if (band.min_score > score) break;
    price = band.price;
  }
  return price;
}

Status CheckPlanEligibility(const ProgramConfig& config, std::string_view tier) {
  const std::string& min_tier = config.plan.min_tier;
  if (min_tier.empty()) return Status::Ok();
  const std::string needed = "the plan is sold from tier " + min_tier + " up";
  if (tier.empty()) {
    return MakeError(ErrorCode::kNotEligible, "member",
                     "the member has no published tier yet; " + needed);
  }
  const std::optional<int32_t> rank = config.tiers.Rank(tier);
  const std::optional<int32_t> needed_rank = config.tiers.Rank(min_tier);
  ONECARD_ASSERT(needed_rank.has_value());  // the loader checks min_tier names a tier
  if (!rank.has_value() || *rank < *needed_rank) {
    return MakeError(ErrorCode::kNotEligible, "member",
                     "the member's published tier is " + std::string(tier) + "; " + needed);
  }
  return Status::Ok();
}

}  // namespace onecard
