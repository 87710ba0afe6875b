// Look-ups over the program's rule tables. The config loader guarantees their shape; a look-up
// outside it is a programmer error.
#include "core/program_config.h"

#include "core/assert.h"

namespace onecard {

const CreditLevelRule& CreditRules::ForLevel(int32_t level) const {
  // Levels are contiguous from 1, so the rule for level L sits at index L − 1.
  ONECARD_ASSERT(level >= 1 && static_cast<size_t>(level) <= levels.size());
  const CreditLevelRule& rule = levels[static_cast<size_t>(level) - 1];
  ONECARD_ASSERT(rule.level == level);
  return rule;
}

std::optional<int32_t> TierRules::Rank(std::string_view name) const {
  for (size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i].name == name) return static_cast<int32_t>(i);
  }
  if (invitation.has_value() && invitation->name == name) {
    return static_cast<int32_t>(tiers.size());
  }
  return std::nullopt;
}

const Tier& TierRules::ForScore(int64_t score) const {
  ONECARD_ASSERT(!tiers.empty());
  ONECARD_ASSERT(score >= tiers.front().min_score);
  const Tier* reached = &tiers.front();
  for (const Tier& tier : tiers) {
    if (tier.min_score > score) break;
    reached = &tier;
  }
  return *reached;
}

}  // namespace onecard
