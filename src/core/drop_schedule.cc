#include "core/drop_schedule.h"

namespace onecard {
namespace {

constexpr int64_t kUsPerMinute = 60'000'000;
constexpr int64_t kUsPerDay = 24 * 60 * kUsPerMinute;
constexpr int32_t kDaysSearched = 8;  // a weekly schedule repeats within 7 days

Instant LocalMidnight(const ProgramTime& time, LocalDay day) {
  return Instant{day.value * kUsPerDay -
                 static_cast<int64_t>(time.utc_offset_seconds()) * 1'000'000};
}

}  // namespace

int32_t WeekdayOf(LocalDay day) {
  const int32_t shifted = (day.value + 3) % 7;  // day 0 (1970-01-01) is a Thursday: index 3
  return shifted < 0 ? shifted + 7 : shifted;
}

std::optional<Instant> SlotOnDay(const DropRules& rules, const ProgramTime& time, LocalDay day) {
  const DropSchedule& s = rules.schedule;
  const bool scheduled =
      s.date.has_value() ? *s.date == day : ((s.weekdays >> WeekdayOf(day)) & 1) != 0;
  if (!scheduled) return std::nullopt;
  return Instant{LocalMidnight(time, day).us + s.minute_of_day * kUsPerMinute};
}

bool IsSlot(const DropRules& rules, const ProgramTime& time, Instant slot) {
  const std::optional<Instant> on_day = SlotOnDay(rules, time, time.DayOf(slot));
  return on_day.has_value() && *on_day == slot;
}

Instant WindowEnd(const DropRules& rules, Instant slot) {
  return Instant{slot.us + rules.window_minutes * kUsPerMinute};
}

Instant HoldEnd(const DropRules& rules, Instant from) {
  return Instant{from.us + rules.hold_minutes * kUsPerMinute};
}

std::optional<Instant> OpenSlotAt(const DropRules& rules, const ProgramTime& time, Instant now) {
  // A window is at most a day long, so the open slot opened today or yesterday (local days).
  const LocalDay today = time.DayOf(now);
  for (int32_t back = 0; back <= 1; ++back) {
    const std::optional<Instant> slot = SlotOnDay(rules, time, LocalDay{today.value - back});
    if (slot.has_value() && *slot <= now && now < WindowEnd(rules, *slot)) return slot;
  }
  return std::nullopt;
}

std::optional<Instant> LatestSlotAtOrBefore(const DropRules& rules, const ProgramTime& time,
                                            Instant now) {
  const LocalDay today = time.DayOf(now);
  if (rules.schedule.date.has_value()) {
    const std::optional<Instant> slot = SlotOnDay(rules, time, *rules.schedule.date);
    if (slot.has_value() && *slot <= now) return slot;
    return std::nullopt;
  }
  for (int32_t back = 0; back <= kDaysSearched; ++back) {
    const std::optional<Instant> slot = SlotOnDay(rules, time, LocalDay{today.value - back});
    if (slot.has_value() && *slot <= now) return slot;
  }
  return std::nullopt;
}

std::optional<Instant> NextSlotAtOrAfter(const DropRules& rules, const ProgramTime& time,
                                         Instant from) {
  const LocalDay today = time.DayOf(from);
  if (rules.schedule.date.has_value()) {
    const std::optional<Instant> slot = SlotOnDay(rules, time, *rules.schedule.date);
    if (slot.has_value() && *slot >= from) return slot;
    return std::nullopt;
  }
  for (int32_t ahead = 0; ahead <= kDaysSearched; ++ahead) {
    const std::optional<Instant> slot = SlotOnDay(rules, time, LocalDay{today.value + ahead});
    if (slot.has_value() && *slot >= from) return slot;
  }
  return std::nullopt;
}

}  // namespace onecard

namespace onecard {
namespace {

constexpr std::string_view kWeekdayNames[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool TwoDigits(std::string_view text, size_t pos, int32_t* value) {
  if (pos + 2 > text.size()) return false;
  const char a = text[pos];
  const char b = text[pos + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  *value = (a - '0') * 10 + (b - '0');
  return true;
}

std::string Pad2(int64_t value) {
  return value < 10 ? "0" + std::to_string(value) : std::to_string(value);
}

}  // namespace

std::optional<int32_t> ParseWeekdayName(std::string_view name) {
  for (int32_t i = 0; i < 7; ++i) {
    if (kWeekdayNames[i] == name) return i;
  }
  return std::nullopt;
}

std::string_view WeekdayName(int32_t weekday) { return kWeekdayNames[weekday % 7]; }

std::optional<int32_t> ParseMinuteOfDay(std::string_view text) {
  int32_t hours = 0;
  int32_t minutes = 0;
  if (text.size() != 5 || text[2] != ':' || !TwoDigits(text, 0, &hours) ||
      !TwoDigits(text, 3, &minutes) || hours > 23 || minutes > 59) {
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

std::string FormatMinuteOfDay(int32_t minute_of_day) {
  return Pad2(minute_of_day / 60) + ":" + Pad2(minute_of_day % 60);
}

std::optional<LocalDay> ParseLocalDate(std::string_view text) {
  int32_t century = 0;
  int32_t year_in_century = 0;
  int32_t month = 0;
  int32_t day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !TwoDigits(text, 0, &century) ||
      !TwoDigits(text, 2, &year_in_century) || !TwoDigits(text, 5, &month) ||
      !TwoDigits(text, 8, &day)) {
    return std::nullopt;
  }
  const int32_t year = century * 100 + year_in_century;
  if (year < 1970 || month < 1 || month > 12 || day < 1) return std::nullopt;
  const int64_t days = DaysFromCivil(year, month, day);
  int64_t back_year = 0;
  int32_t back_month = 0;
  int32_t back_day = 0;
  CivilFromDays(days, &back_year, &back_month, &back_day);
  if (back_month != month || back_day != day) return std::nullopt;  // 2025-02-30
  return LocalDay{static_cast<int32_t>(days)};
}

std::string FormatLocalDate(LocalDay day) {
  int64_t year = 0;
  int32_t month = 0;
  int32_t day_of_month = 0;
  CivilFromDays(day.value, &year, &month, &day_of_month);
  return std::to_string(year) + "-" + Pad2(month) + "-" + Pad2(day_of_month);
}

}  // namespace onecard
