#include "core/drop_rules.h"

#include <algorithm>

#include "core/drop_limits.h"
#include "core/program_config.h"

namespace onecard {
namespace {

Status Invalid(std::string field, std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(field), std::move(message));
}

bool IsDropId(std::string_view id) {
  return !id.empty() && static_cast<int64_t>(id.size()) <= limits::kDropIdBytesMax &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

bool IsPrintable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7F;
  });
}

}  // namespace

std::string_view DropModeName(DropMode mode) {
  return mode == DropMode::kLottery ? "lottery" : "first_come";
}

Status ValidateDropRules(const DropRules& rules, const TierRules& tiers) {
  if (!IsDropId(rules.id)) {
    return Invalid("id", "drop id " + QuoteInput(rules.id) + " must be 1 to " +
                             std::to_string(limits::kDropIdBytesMax) +
                             " characters of a-z, 0-9, '_' and '-'");
  }
  if (rules.product.empty() ||
      static_cast<int64_t>(rules.product.size()) > limits::kDropProductBytesMax ||
      !IsPrintable(rules.product)) {
    return Invalid("product", "product must be 1 to " +
                                  std::to_string(limits::kDropProductBytesMax) +
                                  " bytes of printable text");
  }
  const DropSchedule& s = rules.schedule;
  if ((s.weekdays == 0) == !s.date.has_value() || s.weekdays > 0x7F) {
    return Invalid("schedule", "a drop has either weekdays or one date, not both or neither");
  }
  if (s.minute_of_day < 0 || s.minute_of_day >= 24 * 60) {
    return Invalid("schedule.time", "the time of day must be 00:00 to 23:59");
  }
  if (rules.units_per_slot < 1 || rules.units_per_slot > limits::kDropUnitsPerSlotMax) {
    return Invalid("units_per_slot", "units_per_slot " + std::to_string(rules.units_per_slot) +
                                         " is outside 1 to " +
                                         std::to_string(limits::kDropUnitsPerSlotMax));
  }
  if (rules.per_member_limit < 1 || rules.per_member_limit > limits::kDropPerMemberLimitMax) {
    return Invalid("per_member_limit",
                   "per_member_limit " + std::to_string(rules.per_member_limit) +
                       " is outside 1 to " + std::to_string(limits::kDropPerMemberLimitMax));
  }
  if (rules.window_minutes < 1 || rules.window_minutes > limits::kDropWindowMinutesMax) {
    return Invalid("window_minutes", "window_minutes " + std::to_string(rules.window_minutes) +
                                         " is outside 1 to " +
                                         std::to_string(limits::kDropWindowMinutesMax) +
                                         " (a window may not reach the next day's slot)");
  }
  if (rules.hold_minutes < 1 || rules.hold_minutes > limits::kDropHoldMinutesMax) {
    return Invalid("hold_minutes", "hold_minutes " + std::to_string(rules.hold_minutes) +
                                       " is outside 1 to " +
                                       std::to_string(limits::kDropHoldMinutesMax));
  }
  if (!rules.eligibility.min_tier.empty() && !tiers.Rank(rules.eligibility.min_tier)) {
    return Invalid("eligibility.min_tier", "min_tier " + QuoteInput(rules.eligibility.min_tier) +
                                               " is not a tier of the program");
  }
  return Status::Ok();
}

}  // namespace onecard
