#include "core/benefit_eligibility.h"

namespace onecard {

std::string_view AvailabilityName(Availability availability) {
  switch (availability) {
    case Availability::kAvailable:
      return "available";
    case Availability::kTierTooLow:
      return "tier_too_low";
    case Availability::kNotPaid:
      return "not_paid";
    case Availability::kNotStarted:
      return "not_started";
    case Availability::kEnded:
      return "ended";
    case Availability::kWithdrawn:
      return "withdrawn";
  }
  return "unknown";
}

int32_t TierRank(const TierRules& tiers, std::string_view tier) {
  if (tier.empty()) return -1;
  for (size_t i = 0; i < tiers.tiers.size(); ++i) {
    if (tiers.tiers[i].name == tier) return static_cast<int32_t>(i);
  }
  if (tiers.invitation.has_value() && tiers.invitation->name == tier) {
    return static_cast<int32_t>(tiers.tiers.size());
  }
  return -1;
}

namespace {

// Grandfathering of a withdrawn benefit (at ≥ withdrawn_at).
bool KeptAfterWithdrawal(const Benefit& benefit, const MemberStanding& standing, Instant at) {
  if (at >= *benefit.hard_stop) return false;
  if (!standing.paid || !standing.term_start.has_value() || !standing.term_end.has_value()) {
    return false;
  }
  return *standing.term_start < *benefit.withdrawn_at && at < *standing.term_end;
}

}  // namespace

Availability CheckAvailability(const Benefit& benefit, int32_t tier_rank,
                               const MemberStanding& standing, Instant at) {
  if (benefit.valid_from.has_value() && at < *benefit.valid_from) return Availability::kNotStarted;
  if (benefit.valid_until.has_value() && at >= *benefit.valid_until) return Availability::kEnded;
  if (benefit.min_tier_rank >= 0 && tier_rank < benefit.min_tier_rank) {
    return Availability::kTierTooLow;
  }
  if (benefit.paid_required && !standing.paid) return Availability::kNotPaid;
  if (benefit.withdrawn_at.has_value() && at >= *benefit.withdrawn_at &&
      !KeptAfterWithdrawal(benefit, standing, at)) {
    return Availability::kWithdrawn;
  }
  return Availability::kAvailable;
}

}  // namespace onecard
