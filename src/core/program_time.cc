// Calendar arithmetic (proleptic Gregorian, after Howard Hinnant's days_from_civil) and the
// parsing and formatting of program timestamps, months and UTC offsets.
#include "core/program_time.h"

#include <cstdio>
#include <optional>

#include "core/assert.h"
#include "core/error.h"

namespace onecard {
namespace {

constexpr int64_t kUsPerSecond = 1'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kUsPerDay = kSecondsPerDay * kUsPerSecond;
constexpr int32_t kYearMin = 1970;
constexpr int32_t kYearMax = 9999;
constexpr int32_t kOffsetHoursMax = 14;
constexpr int32_t kOffsetSecondsMax = kOffsetHoursMax * 3600;

// Division rounding towards minus infinity: instants before 1970 (or before the offset moves
// them past midnight) belong to the earlier day, not the later one.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsLeapYear(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int32_t DaysInMonth(int64_t year, int32_t month) {
  static constexpr int32_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Reads text[pos, pos + count) as decimal digits; false if any is not a digit or it runs past
// the end.
bool ReadDigits(std::string_view text, size_t pos, size_t count, int32_t* value) {
  if (pos + count > text.size()) return false;
  int32_t result = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!IsDigit(text[i])) return false;
    result = result * 10 + (text[i] - '0');
  }
  *value = result;
  return true;
}

std::string Pad(int64_t value, size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

Error AtError(std::string_view text, const std::string& what) {
  return MakeError(ErrorCode::kInvalidAt, "at", "at " + QuoteInput(text) + " " + what);
}

struct CivilDateTime {
  int32_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// The fixed "YYYY-MM-DDTHH:MM:SS" head of a timestamp, each part range-checked.
Result<CivilDateTime> ParseDateTimeHead(std::string_view text) {
  CivilDateTime t;
  const bool shape =
      ReadDigits(text, 0, 4, &t.year) && text.size() >= 19 && text[4] == '-' &&
      ReadDigits(text, 5, 2, &t.month) && text[7] == '-' && ReadDigits(text, 8, 2, &t.day) &&
      (text[10] == 'T' || text[10] == ' ') && ReadDigits(text, 11, 2, &t.hour) && text[13] == ':' &&
      ReadDigits(text, 14, 2, &t.minute) && text[16] == ':' && ReadDigits(text, 17, 2, &t.second);
  if (!shape) return AtError(text, "is not a timestamp of the form YYYY-MM-DDTHH:MM:SS");
  if (t.year < kYearMin || t.year > kYearMax) {
    return AtError(text, "has year " + Pad(t.year, 4) + " outside 1970 to 9999");
  }
  if (t.month < 1 || t.month > 12) {
    return AtError(text, "has month " + Pad(t.month, 2) + "; months are 01 to 12");
  }
  if (t.day < 1 || t.day > DaysInMonth(t.year, t.month)) {
    return AtError(text, "has day " + Pad(t.day, 2) + ", which month " + Pad(t.year, 4) + "-" +
                             Pad(t.month, 2) + " does not have");
  }
  if (t.hour > 23) return AtError(text, "has hour " + Pad(t.hour, 2) + "; hours are 00 to 23");
  if (t.minute > 59) {
    return AtError(text, "has minute " + Pad(t.minute, 2) + "; minutes are 00 to 59");
  }
  if (t.second > 59) {
    return AtError(text, "has second " + Pad(t.second, 2) + "; seconds are 00 to 59");
  }
  return t;
}

// An optional ".d…" of 1 to 9 digits at *pos, kept to microseconds (truncated beyond six).
Result<int64_t> ParseFraction(std::string_view text, size_t* pos) {
  if (*pos >= text.size() || text[*pos] != '.') return int64_t{0};
  size_t end = *pos + 1;
  while (end < text.size() && IsDigit(text[end])) ++end;
  const size_t count = end - *pos - 1;
  if (count == 0) return AtError(text, "has a decimal point with no digits after the seconds");
  if (count > 9) return AtError(text, "has a fraction of a second longer than nine digits");
  int64_t micros = 0;
  for (size_t i = 0; i < 6; ++i) {
    micros = micros * 10 + (i < count ? text[*pos + 1 + i] - '0' : 0);
  }
  *pos = end;
  return micros;
}

// The offset at the end of a timestamp: "Z", "±HH:MM" or "±HHMM"; nullopt when there is none.
Result<std::optional<int32_t>> ParseZone(std::string_view text, size_t pos) {
  const std::string_view zone = text.substr(pos);
  if (zone.empty()) return std::optional<int32_t>();
  if (zone == "Z") return std::optional<int32_t>(0);
  if (zone[0] != '+' && zone[0] != '-') {
    return AtError(text, "has " + QuoteInput(zone) + " after the time where an offset belongs");
  }
  int32_t hours = 0;
  int32_t minutes = 0;
  const bool colon = zone.size() == 6 && zone[3] == ':' && ReadDigits(zone, 1, 2, &hours) &&
                     ReadDigits(zone, 4, 2, &minutes);
  const bool compact =
      zone.size() == 5 && ReadDigits(zone, 1, 2, &hours) && ReadDigits(zone, 3, 2, &minutes);
  if (!colon && !compact) {
    return AtError(text, "has offset " + QuoteInput(zone) + ", which is not Z, +HH:MM or +HHMM");
  }
  if (minutes > 59) return AtError(text, "has offset minutes " + Pad(minutes, 2) + " above 59");
  const int32_t seconds = hours * 3600 + minutes * 60;
  if (seconds > kOffsetSecondsMax) {
    return AtError(text, "has offset " + QuoteInput(zone) + " beyond 14 hours from UTC");
  }
  return std::optional<int32_t>(zone[0] == '-' ? -seconds : seconds);
}

}  // namespace

int64_t DaysFromCivil(int64_t year, int32_t month, int32_t day) {
  // Count from 0000-03-01 so the leap day falls at the end of the (shifted) year.
  const int64_t y = month <= 2 ? year - 1 : year;
  const int64_t era = FloorDiv(y, 400);
  const int64_t year_of_era = y - era * 400;  // [0, 399]
  const int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;
}

void CivilFromDays(int64_t days, int64_t* year, int32_t* month, int32_t* day) {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;  // [0, 11], March = 0
  *day = static_cast<int32_t>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  *month = static_cast<int32_t>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

Result<MonthKey> ParseMonthKey(std::string_view text) {
  int32_t year = 0;
  int32_t month = 0;
  if (text.size() != 7 || !ReadDigits(text, 0, 4, &year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &month)) {
    return MakeError(ErrorCode::kInvalidMonth, "month",
                     "month " + QuoteInput(text) + " is not of the form YYYY-MM");
  }
  if (year < kYearMin || year > kYearMax) {
    return MakeError(ErrorCode::kInvalidMonth, "month",
                     "month " + QuoteInput(text) + " has a year outside 1970 to 9999");
  }
  if (month < 1 || month > 12) {
    return MakeError(ErrorCode::kInvalidMonth, "month",
                     "month " + QuoteInput(text) + " has a month number outside 01 to 12");
  }
  return MonthKey::FromYearMonth(year, month);
}

std::string FormatMonthKey(MonthKey month) {
  return Pad(month.year(), 4) + "-" + Pad(month.month(), 2);
}

MonthKey ProgramTime::MonthOf(Instant instant) const { return MonthOfDay(DayOf(instant)); }

LocalDay ProgramTime::DayOf(Instant instant) const {
  return LocalDay{static_cast<int32_t>(FloorDiv(instant.us + offset_s_ * kUsPerSecond, kUsPerDay))};
}

MonthKey ProgramTime::MonthOfDay(LocalDay day) const {
  int64_t year = 0;
  int32_t month = 0;
  int32_t day_of_month = 0;
  CivilFromDays(day.value, &year, &month, &day_of_month);
  return MonthKey::FromYearMonth(static_cast<int32_t>(year), month);
}

Instant ProgramTime::StartOfLocalDay(MonthKey month, int32_t day_of_month) const {
  ONECARD_ASSERT(day_of_month >= 1 && day_of_month <= DaysInMonth(month.year(), month.month()));
  const int64_t days = DaysFromCivil(month.year(), month.month(), day_of_month);
  return Instant{(days * kSecondsPerDay - offset_s_) * kUsPerSecond};
}

Result<Instant> ProgramTime::ParseTimestamp(std::string_view text) const {
  if (text.empty()) return AtError(text, "is empty");
  Result<CivilDateTime> head = ParseDateTimeHead(text);
  if (!head) return head.error();
  size_t pos = 19;
  Result<int64_t> micros = ParseFraction(text, &pos);
  if (!micros) return micros.error();
  Result<std::optional<int32_t>> zone = ParseZone(text, pos);
  if (!zone) return zone.error();
  const int32_t offset_s = zone->value_or(offset_s_);
  const CivilDateTime& t = *head;
  const int64_t seconds = DaysFromCivil(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 +
                          t.minute * 60 + t.second - offset_s;
  return Instant{seconds * kUsPerSecond + *micros};
}

std::string ProgramTime::FormatLocal(Instant instant) const {
  const int64_t local_us = instant.us + offset_s_ * kUsPerSecond;
  const int64_t days = FloorDiv(local_us, kUsPerDay);
  const int64_t us_of_day = local_us - days * kUsPerDay;
  const int64_t second_of_day = us_of_day / kUsPerSecond;
  const int64_t micros = us_of_day % kUsPerSecond;
  int64_t year = 0;
  int32_t month = 0;
  int32_t day = 0;
  CivilFromDays(days, &year, &month, &day);
  // snprintf into one buffer: this formats the time of every event encoded.
  char buffer[48];
  const int length = std::snprintf(
      buffer, sizeof(buffer), "%04lld-%02d-%02dT%02lld:%02lld:%02lld", static_cast<long long>(year),
      month, day, static_cast<long long>(second_of_day / 3600),
      static_cast<long long>(second_of_day / 60 % 60), static_cast<long long>(second_of_day % 60));
  std::string out(buffer, static_cast<size_t>(length));
  if (micros != 0) out += "." + Pad(micros, 6);
  return out + FormatUtcOffset(offset_s_);
}

Result<int32_t> ParseUtcOffset(std::string_view text) {
  if (text == "Z") return 0;
  int32_t hours = 0;
  int32_t minutes = 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || !ReadDigits(text, 1, 2, &hours) ||
      text[3] != ':' || !ReadDigits(text, 4, 2, &minutes)) {
    return MakeError(
        ErrorCode::kInvalidConfig, "utc_offset",
        "UTC offset " + QuoteInput(text) + " is not Z or of the form +HH:MM or -HH:MM");
  }
  const int32_t seconds = hours * 3600 + minutes * 60;
  if (minutes > 59 || seconds > kOffsetSecondsMax) {
    return MakeError(ErrorCode::kInvalidConfig, "utc_offset",
                     "UTC offset " + QuoteInput(text) + " is outside -14:00 to +14:00");
  }
  return text[0] == '-' ? -seconds : seconds;
}

std::string FormatUtcOffset(int32_t offset_seconds) {
  const int32_t magnitude = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  return std::string(offset_seconds < 0 ? "-" : "+") + Pad(magnitude / 3600, 2) + ":" +
         Pad(magnitude / 60 % 60, 2);
}

}  // namespace onecard
