// Exclusive drops as JSON for the HTTP API (instants in program time, units as numbers), and the
// slot a caller names, shared with `onecard drops`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/drop_service.h"

namespace onecard {

// The slot named by `text` (ISO-8601; program time when it has no offset), or when `text` is empty
// the drop's latest slot at or before `now`. Errors: kInvalidSlot ("slot"), kUnknownDrop,
// kDropNotOpen (the drop has had no slot yet).
Result<Instant> NamedSlot(DropService& drops, std::string_view drop, std::string_view text,
                          Instant now);

// {"drop","product","mode","weekdays":[...],"date","time","units_per_slot","per_member_limit",
//  "window_minutes","hold_minutes","paid_plan","min_tier","next_slot"}
std::string DropRulesJson(const DropRules& rules, const ProgramTime& time, Instant now);
std::string DropClaimJson(const DropClaim& claim, const ProgramTime& time);
std::string DropClaimsJson(const std::vector<DropClaim>& claims, const ProgramTime& time);
std::string DropRegistrationJson(const DropRegistration& registration, const ProgramTime& time);
std::string DropSlotStatusJson(std::string_view drop, const DropSlotStatus& status,
                               const ProgramTime& time);
std::string DropDrawJson(const DropDraw& draw, const ProgramTime& time);
std::string DropDrawCheckJson(const DropDrawCheck& check, const ProgramTime& time);

}  // namespace onecard
