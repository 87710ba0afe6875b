// Program time: instants are UTC microseconds; the program's calendar (months, days, the
// publication instant) is local time at a fixed UTC offset from the config (no DST).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace onecard {

// A point in time: microseconds since 1970-01-01T00:00:00Z.
struct Instant {
  int64_t us = 0;
  friend auto operator<=>(const Instant&, const Instant&) = default;
};

// A calendar month: year × 12 + (month − 1). 2011-12 is 2011 × 12 + 11.
struct MonthKey {
  int32_t value = 0;

  static MonthKey FromYearMonth(int32_t year, int32_t month) { return {year * 12 + month - 1}; }
  int32_t year() const { return value / 12; }
  int32_t month() const { return value % 12 + 1; }  // 1..12
  MonthKey plus(int32_t months) const { return {value + months}; }
  friend auto operator<=>(const MonthKey&, const MonthKey&) = default;
};

// Parses "YYYY-MM" (years 1970..9999). Fails with kInvalidMonth.
Result<MonthKey> ParseMonthKey(std::string_view text);
std::string FormatMonthKey(MonthKey month);  // "2011-12"

// A local calendar day: days since 1970-01-01 in program-local time.
struct LocalDay {
  int32_t value = 0;
  friend auto operator<=>(const LocalDay&, const LocalDay&) = default;
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t year, int32_t month, int32_t day);
void CivilFromDays(int64_t days, int64_t* year, int32_t* month, int32_t* day);

// The program's clock face: a fixed offset east of UTC, in seconds (UTC+8 = 28800).
class ProgramTime {
 public:
  explicit ProgramTime(int32_t utc_offset_seconds = 0) : offset_s_(utc_offset_seconds) {}

  int32_t utc_offset_seconds() const { return offset_s_; }
  MonthKey MonthOf(Instant instant) const;
  LocalDay DayOf(Instant instant) const;
  MonthKey MonthOfDay(LocalDay day) const;
  // 00:00 local time on the given day of the month (1..28).
  Instant StartOfLocalDay(MonthKey month, int32_t day_of_month) const;

  // ISO-8601: "YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM|±HHMM]". Without an offset the time is
  // program-local. A space may stand for the 'T'. Fails with kInvalidAt naming what is wrong.
  Result<Instant> ParseTimestamp(std::string_view text) const;
  // "2011-12-08T00:00:00+08:00" (microseconds shown only when not zero).
  std::string FormatLocal(Instant instant) const;

 private:
  int32_t offset_s_;
};

// "+08:00", "-05:30", "Z" or "+00:00". Fails with kInvalidConfig.
Result<int32_t> ParseUtcOffset(std::string_view text);
std::string FormatUtcOffset(int32_t offset_seconds);

}  // namespace onecard
