// The allocation rules of a drop, pure: who may claim, how many units, and how a claim moves from
// held to confirmed, released or expired. The engine (engine/drop_service.h) applies them under
// its locks and makes every change durable before it answers.
//
// A claim is keyed by (drop, slot, member): a member has at most one claim per slot, for
// 1 … per_member_limit units, so no member ever gets more than the limit in a slot. A repeated
// claim returns the existing one (whatever became of it: held, confirmed, released or expired);
// a member whose hold expired or who released does not claim that slot again, so that nobody can
// keep units out of stock by holding them over and over.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/drop_rules.h"
#include "core/member_standing.h"
#include "core/program_config.h"
#include "core/result.h"

namespace onecard {

enum class DropClaimStatus : uint8_t { kHeld = 1, kConfirmed = 2, kReleased = 3, kExpired = 4 };
std::string_view DropClaimStatusName(DropClaimStatus status);  // "held", "confirmed" …
std::optional<DropClaimStatus> ParseDropClaimStatus(int64_t value);

// One member's claim on one slot, as stored. Units are the slot's unit numbers 0 … units-1 that
// the claim holds (held) or bought (confirmed); released and expired claims keep the numbers they
// had, for the record, but no longer count against stock.
struct DropClaim {
  std::string drop;
  Instant slot;
  std::string member;
  int64_t quantity = 0;
  std::vector<int32_t> units;
  DropClaimStatus status = DropClaimStatus::kHeld;
  Instant claimed_at;                 // the claim, or the draw that made it (lottery)
  Instant hold_until;                 // a held claim not confirmed before this returns to stock
  std::optional<Instant> decided_at;  // when it was confirmed, released or expired
  bool from_draw = false;

  // Held or confirmed: its units count against stock.
  bool counts_against_stock() const {
    return status == DropClaimStatus::kHeld || status == DropClaimStatus::kConfirmed;
  }
};

// A member may claim (or register for) the drop: the paid plan and the minimum tier. Errors:
// kPaidPlanRequired, kTierTooLow (a member never published has no tier and is below any minimum).
Status CheckEligibility(const DropRules& rules, const TierRules& tiers,
                        const MemberStanding& standing);

// 1 … per_member_limit units. Errors: kInvalidArgument (below 1), kOverMemberLimit.
Status CheckQuantity(const DropRules& rules, int64_t quantity);

// A repeat of a claim or registration is answered with the existing one when it asks for the same
// quantity; otherwise kClaimConflict.
Status CheckRepeat(int64_t existing_quantity, int64_t quantity);

// A held claim whose hold has run out at `now`.
bool HoldExpired(const DropClaim& claim, Instant now);

// Confirm: the claim is held and its hold has not run out. Errors: kClaimNotHeld, kHoldExpired.
Status CheckConfirm(const DropClaim& claim, Instant now);
// Release: the claim is held (an expired hold may be released too; the units return either way).
// Errors: kClaimNotHeld.
Status CheckRelease(const DropClaim& claim);

// Units of a slot by state; held + confirmed + available = units always.
struct SlotTally {
  int64_t units = 0;
  int64_t held = 0;
  int64_t confirmed = 0;
  int64_t released = 0;  // units of released claims (back in stock)
  int64_t expired = 0;   // units of expired claims (back in stock)
  int64_t claims = 0;    // claims of every status
  int64_t available() const { return units - held - confirmed; }
};
SlotTally TallyClaims(int64_t units, const std::vector<DropClaim>& claims);

}  // namespace onecard
