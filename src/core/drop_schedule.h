// Slots of a drop in program time. A slot is named by the instant it opens (its schedule's local
// time on a scheduled day); claims (first_come) or registrations (lottery) are taken in
// [slot, slot + window_minutes). Windows are at most a day, so at most one slot of a drop is open
// at any moment.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/drop_rules.h"
#include "core/program_time.h"

namespace onecard {

// 0 Monday … 6 Sunday, of a local day (1970-01-01 was a Thursday).
int32_t WeekdayOf(LocalDay day);

// The slot opening on `day`, if the schedule has one that day.
std::optional<Instant> SlotOnDay(const DropRules& rules, const ProgramTime& time, LocalDay day);
bool IsSlot(const DropRules& rules, const ProgramTime& time, Instant slot);
Instant WindowEnd(const DropRules& rules, Instant slot);
Instant HoldEnd(const DropRules& rules, Instant from);

// The slot whose window contains `now`, if any.
std::optional<Instant> OpenSlotAt(const DropRules& rules, const ProgramTime& time, Instant now);
// The latest slot that opened at or before `now` (within the last 8 days for a weekly schedule).
std::optional<Instant> LatestSlotAtOrBefore(const DropRules& rules, const ProgramTime& time,
                                            Instant now);
// The first slot that opens at or after `from`.
std::optional<Instant> NextSlotAtOrAfter(const DropRules& rules, const ProgramTime& time,
                                         Instant from);

// Text forms of schedules, shared by the config file and operator commands.
// "tue" → 1 (Monday is 0). nullopt for anything else.
std::optional<int32_t> ParseWeekdayName(std::string_view name);
std::string_view WeekdayName(int32_t weekday);  // 0 → "mon"
// "10:00" → 600. nullopt unless HH:MM with HH 00..23 and MM 00..59.
std::optional<int32_t> ParseMinuteOfDay(std::string_view text);
std::string FormatMinuteOfDay(int32_t minute_of_day);
// "2025-06-03" → its local day. nullopt unless a real date in 1970 … 9999.
std::optional<LocalDay> ParseLocalDate(std::string_view text);
std::string FormatLocalDate(LocalDay day);

}  // namespace onecard
