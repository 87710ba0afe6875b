// Exclusive drops (PRODUCT §6): a scarce product sold to eligible members in slots. These are the
// rules of one drop as plain values, from the program's [[drops]] (engine/drop_config_loader.h) or
// created by an operator; the checks on them (schedule, eligibility, quantity) are pure functions
// in core/drop_schedule.h and core/drop_allocation.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

// first_come: a claim holds units for hold_minutes; confirming (the purchase) makes them final;
// an unconfirmed hold returns to stock when it expires.
// lottery: members register during the window; then a draw from a published seed picks the
// winners (core/drop_lottery.h), whose units are held for hold_minutes like a first-come claim.
enum class DropMode : uint8_t { kFirstCome, kLottery };
std::string_view DropModeName(DropMode mode);  // "first_come", "lottery"

// When slots open, in program time: every listed weekday at minute_of_day, or once on `date`.
struct DropSchedule {
  uint8_t weekdays = 0;          // bit 0 Monday … bit 6 Sunday; 0 when `date` is set
  std::optional<LocalDay> date;  // a one-off drop
  int32_t minute_of_day = 0;     // 0 … 1439, program-local
};

struct DropEligibility {
  bool paid_plan = false;  // only members with an active paid term
  std::string min_tier;    // empty: every tier; else a tier of the program (or its invitation tier)
};

struct DropRules {
  std::string id;       // [a-z0-9_-], names the drop in commands and claims
  std::string product;  // what is sold, for people
  DropMode mode = DropMode::kFirstCome;
  DropSchedule schedule;
  int64_t units_per_slot = 0;
  int64_t per_member_limit = 0;  // units one member may hold or buy in one slot
  // first_come: claims are taken in [slot, slot + window); lottery: registrations are.
  int32_t window_minutes = 0;
  // How long claimed (or won) units wait for confirmation before they return to stock.
  int32_t hold_minutes = 0;
  DropEligibility eligibility;
};

struct DropsConfig {
  std::vector<DropRules> drops;
};

// Checks rules that did not come through the config loader (an operator's new drop) against the
// same bounds (core/drop_limits.h); `tiers` names the tiers min_tier may take. The error is
// kInvalidArgument naming the field ("units_per_slot", "schedule.time" …).
struct TierRules;
Status ValidateDropRules(const DropRules& rules, const TierRules& tiers);

}  // namespace onecard
