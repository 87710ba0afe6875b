#include "engine/drop_rules_text.h"

#include <algorithm>

#include "core/drop_schedule.h"

namespace onecard {

Result<DropRules> DropRulesFromText(const DropRulesText& o) {
  DropRules rules;
  rules.id = o.id;
  rules.product = o.product;
  if (o.mode != "first_come" && o.mode != "lottery") {
    return MakeError(ErrorCode::kInvalidArgument, "mode", "mode must be first_come or lottery");
  }
  rules.mode = o.mode == "lottery" ? DropMode::kLottery : DropMode::kFirstCome;
  if (!o.date.empty()) {
    rules.schedule.date = ParseLocalDate(o.date);
    if (!rules.schedule.date) {
      return MakeError(ErrorCode::kInvalidArgument, "date", "date must be YYYY-MM-DD");
    }
  }
  for (size_t start = 0; start < o.weekdays.size();) {
    const size_t comma = std::min(o.weekdays.find(',', start), o.weekdays.size());
    const std::optional<int32_t> day = ParseWeekdayName(o.weekdays.substr(start, comma - start));
    if (!day) {
      return MakeError(ErrorCode::kInvalidArgument, "weekdays",
                       "weekdays takes mon,tue,wed,thu,fri,sat,sun separated by commas");
    }
    rules.schedule.weekdays = static_cast<uint8_t>(rules.schedule.weekdays | (1u << *day));
    start = comma + 1;
  }
  const std::optional<int32_t> minute = ParseMinuteOfDay(o.time);
  if (!minute) return MakeError(ErrorCode::kInvalidArgument, "time", "time must be HH:MM");
  rules.schedule.minute_of_day = *minute;
  rules.units_per_slot = o.units;
  rules.per_member_limit = o.limit;
  rules.window_minutes = static_cast<int32_t>(std::clamp<int64_t>(o.window_minutes, -1, 1 << 30));
  rules.hold_minutes = static_cast<int32_t>(std::clamp<int64_t>(o.hold_minutes, -1, 1 << 30));
  rules.eligibility.paid_plan = o.paid_only;
  rules.eligibility.min_tier = o.min_tier;
  return rules;
}

}  // namespace onecard
