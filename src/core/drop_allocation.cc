#include "core/drop_allocation.h"

namespace onecard {

std::string_view DropClaimStatusName(DropClaimStatus status) {
  switch (status) {
    case DropClaimStatus::kHeld:
      return "held";
    case DropClaimStatus::kConfirmed:
      return "confirmed";
    case DropClaimStatus::kReleased:
      return "released";
    case DropClaimStatus::kExpired:
      return "expired";
  }
  return "unknown";
}

std::optional<DropClaimStatus> ParseDropClaimStatus(int64_t value) {
  if (value < 1 || value > 4) return std::nullopt;
  return static_cast<DropClaimStatus>(value);
}

Status CheckEligibility(const DropRules& rules, const TierRules& tiers,
                        const MemberStanding& standing) {
  if (rules.eligibility.paid_plan && !standing.paid) {
    return MakeError(ErrorCode::kPaidPlanRequired, "member",
                     "drop " + rules.id + " is for paid members only; member " +
                         QuoteInput(standing.member) + " has no active paid plan");
  }
  const std::string& min_tier = rules.eligibility.min_tier;
  if (min_tier.empty()) return Status::Ok();
  const std::optional<int32_t> needed = tiers.Rank(min_tier);
  const std::optional<int32_t> has = tiers.Rank(standing.tier);
  if (!needed.has_value() || !has.has_value() || *has < *needed) {
    const std::string tier =
        standing.tier.empty() ? "no tier (never published)" : "tier " + standing.tier;
    return MakeError(ErrorCode::kTierTooLow, "member",
                     "drop " + rules.id + " needs tier " + min_tier + " or above; member " +
                         QuoteInput(standing.member) + " has " + tier);
  }
  return Status::Ok();
}

Status CheckQuantity(const DropRules& rules, int64_t quantity) {
  if (quantity < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "quantity",
                     "quantity " + std::to_string(quantity) + " must be at least 1");
  }
  if (quantity > rules.per_member_limit) {
    return MakeError(ErrorCode::kOverMemberLimit, "quantity",
                     "quantity " + std::to_string(quantity) + " is above the limit of " +
                         std::to_string(rules.per_member_limit) + " per member of drop " +
                         rules.id);
  }
  return Status::Ok();
}

Status CheckRepeat(int64_t existing_quantity, int64_t quantity) {
  if (existing_quantity == quantity) return Status::Ok();
  return MakeError(ErrorCode::kClaimConflict, "quantity",
                   "the member already has a claim on this slot for " +
                       std::to_string(existing_quantity) + " unit(s), not " +
                       std::to_string(quantity));
}

bool HoldExpired(const DropClaim& claim, Instant now) {
  return claim.status == DropClaimStatus::kHeld && claim.hold_until <= now;
}

Status CheckConfirm(const DropClaim& claim, Instant now) {
  if (claim.status != DropClaimStatus::kHeld) {
    return MakeError(
        ErrorCode::kClaimNotHeld, "member",
        "the claim is " + std::string(DropClaimStatusName(claim.status)) + ", not held");
  }
  if (HoldExpired(claim, now)) {
    return MakeError(ErrorCode::kHoldExpired, "member",
                     "the hold ran out before the confirmation; the units return to stock");
  }
  return Status::Ok();
}

Status CheckRelease(const DropClaim& claim) {
  if (claim.status != DropClaimStatus::kHeld) {
    return MakeError(
        ErrorCode::kClaimNotHeld, "member",
        "the claim is " + std::string(DropClaimStatusName(claim.status)) + ", not held");
  }
  return Status::Ok();
}

SlotTally TallyClaims(int64_t units, const std::vector<DropClaim>& claims) {
  SlotTally tally;
  tally.units = units;
  for (const DropClaim& claim : claims) {
    ++tally.claims;
    switch (claim.status) {
      case DropClaimStatus::kHeld:
        tally.held += claim.quantity;
        break;
      case DropClaimStatus::kConfirmed:
        tally.confirmed += claim.quantity;
        break;
      case DropClaimStatus::kReleased:
        tally.released += claim.quantity;
        break;
      case DropClaimStatus::kExpired:
        tally.expired += claim.quantity;
        break;
    }
  }
  return tally;
}

}  // namespace onecard
