// Program time: civil-date arithmetic, timestamp parsing and formatting, months and offsets.
#include "core/program_time.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

constexpr int32_t kUtc8 = 8 * 3600;
constexpr int64_t kUs = 1'000'000;

int64_t ParseUs(const ProgramTime& time, std::string_view text) {
  Result<Instant> instant = time.ParseTimestamp(text);
  EXPECT_TRUE(instant.ok()) << text << ": " << (instant.ok() ? "" : instant.error().ToString());
  return instant.ok() ? instant->us : INT64_MIN;
}

TEST(CivilTest, KnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 2, 29), 11016);
  EXPECT_EQ(DaysFromCivil(2011, 12, 1), 15309);
  EXPECT_EQ(DaysFromCivil(1600, 3, 1), -135080);
}

TEST(CivilTest, RoundTripsEveryDayAcrossCenturiesAndLeapYears) {
  // From 1599-01-01 to 2401-12-31: 1600 and 2000 are leap years, 1700, 1800, 1900, 2100 not.
  int64_t expected_year = 1599;
  int32_t expected_month = 1;
  int32_t expected_day = 1;
  const int64_t first = DaysFromCivil(1599, 1, 1);
  const int64_t last = DaysFromCivil(2401, 12, 31);
  for (int64_t days = first; days <= last; ++days) {
    int64_t year = 0;
    int32_t month = 0;
    int32_t day = 0;
    CivilFromDays(days, &year, &month, &day);
    ASSERT_EQ(year, expected_year) << days;
    ASSERT_EQ(month, expected_month) << days;
    ASSERT_EQ(day, expected_day) << days;
    ASSERT_EQ(DaysFromCivil(year, month, day), days);
    const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    const int32_t month_days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (++expected_day > month_days[expected_month - 1]) {
      expected_day = 1;
      if (++expected_month > 12) {
        expected_month = 1;
        ++expected_year;
      }
    }
  }
  EXPECT_EQ(last - first + 1, 803 * 365 + 195);  // 195 leap days in 1599..2401
}

TEST(ParseTimestampTest, ZonesAndLocalTime) {
  const ProgramTime time(kUtc8);
  EXPECT_EQ(ParseUs(time, "2011-12-07T16:00:00Z"), 1323273600 * kUs);
  EXPECT_EQ(ParseUs(time, "2011-12-08T00:00:00+08:00"), 1323273600 * kUs);
  EXPECT_EQ(ParseUs(time, "2011-12-08T00:00:00+0800"), 1323273600 * kUs);
  EXPECT_EQ(ParseUs(time, "2011-12-08T00:00:00"), 1323273600 * kUs);  // program-local
  EXPECT_EQ(ParseUs(time, "2011-12-08 00:00:00"), 1323273600 * kUs);
  EXPECT_EQ(ParseUs(time, "2011-12-07T10:30:00-05:30"), 1323273600 * kUs);
  EXPECT_EQ(ParseUs(time, "2011-12-07T10:30:00-0530"), 1323273600 * kUs);
  EXPECT_EQ(ParseUs(time, "2011-12-07T16:00:00+00:00"), 1323273600 * kUs);
  EXPECT_EQ(ParseUs(time, "2011-12-08T06:00:00+14:00"), 1323273600 * kUs);
  EXPECT_EQ(ParseUs(time, "2011-12-07T02:00:00-14:00"), 1323273600 * kUs);
  EXPECT_EQ(ParseUs(time, "1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseUs(time, "1970-01-01T00:00:00"), -28800 * kUs);
  EXPECT_EQ(ParseUs(time, "9999-12-31T23:59:59Z"), 253402300799 * kUs);
  EXPECT_EQ(ParseUs(ProgramTime(-5 * 3600), "2011-12-07T11:00:00"), 1323273600 * kUs);
}

TEST(ParseTimestampTest, FractionsKeepMicrosecondsAndTruncate) {
  const ProgramTime time(0);
  const int64_t base = 1323273600 * kUs;
  EXPECT_EQ(ParseUs(time, "2011-12-07T16:00:00.5Z"), base + 500000);
  EXPECT_EQ(ParseUs(time, "2011-12-07T16:00:00.000001Z"), base + 1);
  EXPECT_EQ(ParseUs(time, "2011-12-07T16:00:00.123456Z"), base + 123456);
  EXPECT_EQ(ParseUs(time, "2011-12-07T16:00:00.1234567Z"), base + 123456);
  EXPECT_EQ(ParseUs(time, "2011-12-07T16:00:00.999999999Z"), base + 999999);
  EXPECT_EQ(ParseUs(time, "2011-12-07T16:00:00.25"), base + 250000);
  EXPECT_EQ(ParseUs(time, "2011-12-07T16:00:00.25+08:00"), base - kUtc8 * kUs + 250000);
}

TEST(ParseTimestampTest, LeapDays) {
  const ProgramTime time(0);
  EXPECT_EQ(ParseUs(time, "2000-02-29T00:00:00Z"), 951782400 * kUs);
  EXPECT_EQ(ParseUs(time, "2024-02-29T12:00:00Z"),
            (DaysFromCivil(2024, 2, 29) * 86400 + 43200) * kUs);
}

struct BadTimestamp {
  std::string_view text;
  std::string_view message;
};

class ParseTimestampRejectTest : public testing::TestWithParam<BadTimestamp> {};

TEST_P(ParseTimestampRejectTest, FailsWithInvalidAt) {
  Result<Instant> instant = ProgramTime(kUtc8).ParseTimestamp(GetParam().text);
  ASSERT_FALSE(instant.ok());
  EXPECT_EQ(instant.error().code, ErrorCode::kInvalidAt);
  EXPECT_EQ(instant.error().field, "at");
  EXPECT_EQ(instant.error().message, GetParam().message);
}

constexpr std::string_view kShape = " is not a timestamp of the form YYYY-MM-DDTHH:MM:SS";

INSTANTIATE_TEST_SUITE_P(
    Table, ParseTimestampRejectTest,
    testing::Values(
        BadTimestamp{"", "at \"\" is empty"},
        BadTimestamp{"2011-12-08",
                     "at \"2011-12-08\" is not a timestamp of the form "
                     "YYYY-MM-DDTHH:MM:SS"},
        BadTimestamp{"2011-12-08t00:00:00",
                     "at \"2011-12-08t00:00:00\" is not a timestamp of "
                     "the form YYYY-MM-DDTHH:MM:SS"},
        BadTimestamp{"2011-12-8T00:00:00",
                     "at \"2011-12-8T00:00:00\" is not a timestamp of the "
                     "form YYYY-MM-DDTHH:MM:SS"},
        BadTimestamp{"2011/12/08T00:00:00",
                     "at \"2011/12/08T00:00:00\" is not a timestamp of "
                     "the form YYYY-MM-DDTHH:MM:SS"},
        BadTimestamp{"2011-12-08T00:00",
                     "at \"2011-12-08T00:00\" is not a timestamp of the "
                     "form YYYY-MM-DDTHH:MM:SS"},
        BadTimestamp{"1969-12-31T23:59:59Z",
                     "at \"1969-12-31T23:59:59Z\" has year 1969 outside 1970 to 9999"},
        BadTimestamp{"0000-01-01T00:00:00Z",
                     "at \"0000-01-01T00:00:00Z\" has year 0000 outside 1970 to 9999"},
        BadTimestamp{"2011-13-01T00:00:00",
                     "at \"2011-13-01T00:00:00\" has month 13; months are 01 to 12"},
        BadTimestamp{"2011-00-01T00:00:00",
                     "at \"2011-00-01T00:00:00\" has month 00; months are 01 to 12"},
        BadTimestamp{"2011-02-29T00:00:00",
                     "at \"2011-02-29T00:00:00\" has day 29, which month 2011-02 does not have"},
        BadTimestamp{"2100-02-29T00:00:00",
                     "at \"2100-02-29T00:00:00\" has day 29, which month 2100-02 does not have"},
        BadTimestamp{"2011-04-31T00:00:00",
                     "at \"2011-04-31T00:00:00\" has day 31, which month 2011-04 does not have"},
        BadTimestamp{"2011-04-00T00:00:00",
                     "at \"2011-04-00T00:00:00\" has day 00, which month 2011-04 does not have"},
        BadTimestamp{"2011-04-01T24:00:00",
                     "at \"2011-04-01T24:00:00\" has hour 24; hours are 00 to 23"},
        BadTimestamp{"2011-04-01T23:60:00",
                     "at \"2011-04-01T23:60:00\" has minute 60; minutes are 00 to 59"},
        BadTimestamp{"2011-04-01T23:59:60",
                     "at \"2011-04-01T23:59:60\" has second 60; seconds are 00 to 59"},
        BadTimestamp{"2011-04-01T00:00:00.",
                     "at \"2011-04-01T00:00:00.\" has a decimal point with no digits after the "
                     "seconds"},
        BadTimestamp{"2011-04-01T00:00:00.1234567890Z",
                     "at \"2011-04-01T00:00:00.1234567890Z\" has a fraction of a second longer "
                     "than nine digits"},
        BadTimestamp{"2011-04-01T00:00:00+15:00",
                     "at \"2011-04-01T00:00:00+15:00\" has offset \"+15:00\" beyond 14 hours "
                     "from UTC"},
        BadTimestamp{"2011-04-01T00:00:00-14:01",
                     "at \"2011-04-01T00:00:00-14:01\" has offset \"-14:01\" beyond 14 hours "
                     "from UTC"},
        BadTimestamp{"2011-04-01T00:00:00+08:60",
                     "at \"2011-04-01T00:00:00+08:60\" has offset minutes 60 above 59"},
        BadTimestamp{"2011-04-01T00:00:00+8:00",
                     "at \"2011-04-01T00:00:00+8:00\" has offset \"+8:00\", which is not Z, "
                     "+HH:MM or +HHMM"},
        BadTimestamp{"2011-04-01T00:00:00+08",
                     "at \"2011-04-01T00:00:00+08\" has offset \"+08\", which is not Z, +HH:MM "
                     "or +HHMM"},
        BadTimestamp{"2011-04-01T00:00:00z",
                     "at \"2011-04-01T00:00:00z\" has \"z\" after the time where an offset "
                     "belongs"},
        BadTimestamp{"2011-04-01T00:00:00Z ",
                     "at \"2011-04-01T00:00:00Z \" has \"Z \" after the time where an offset "
                     "belongs"},
        BadTimestamp{"2011-04-01T00:00:00 UTC",
                     "at \"2011-04-01T00:00:00 UTC\" has \" UTC\" after the time where an offset "
                     "belongs"}));

TEST(ParseTimestampTest, ShapeMessageIsShared) {
  Result<Instant> instant = ProgramTime(0).ParseTimestamp("yesterday");
  ASSERT_FALSE(instant.ok());
  EXPECT_EQ(instant.error().message, "at \"yesterday\"" + std::string(kShape));
}

TEST(FormatLocalTest, ShowsProgramOffsetAndMicrosOnlyWhenSet) {
  const ProgramTime time(kUtc8);
  EXPECT_EQ(time.FormatLocal(Instant{1323273600 * kUs}), "2011-12-08T00:00:00+08:00");
  EXPECT_EQ(time.FormatLocal(Instant{1323273600 * kUs + 5}), "2011-12-08T00:00:00.000005+08:00");
  EXPECT_EQ(time.FormatLocal(Instant{0}), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(time.FormatLocal(Instant{-28800 * kUs}), "1970-01-01T00:00:00+08:00");
  EXPECT_EQ(ProgramTime(0).FormatLocal(Instant{-1}), "1969-12-31T23:59:59.999999+00:00");
  EXPECT_EQ(ProgramTime(-19800).FormatLocal(Instant{1323273600 * kUs}),
            "2011-12-07T10:30:00-05:30");
}

TEST(FormatLocalTest, RoundTripsThroughParse) {
  for (int32_t offset : {0, kUtc8, -5 * 3600 - 1800, 14 * 3600, -14 * 3600}) {
    const ProgramTime time(offset);
    for (int64_t us : {86400 * kUs, 86400 * kUs + 1, 1323273600 * kUs + 123456, 951782400 * kUs - 1,
                       253402300799 * kUs - 14 * 3600 * kUs}) {
      const std::string text = time.FormatLocal(Instant{us});
      EXPECT_EQ(ParseUs(time, text), us) << text;
      EXPECT_EQ(ParseUs(ProgramTime(0), text), us) << text;  // the offset is written out
    }
  }
}

TEST(ProgramTimeTest, MonthOfUsesLocalTime) {
  const ProgramTime time(kUtc8);
  // 2011-11-30T20:00:00Z is 2011-12-01T04:00 at +08:00.
  const Instant instant{1322683200 * kUs};
  EXPECT_EQ(time.MonthOf(instant), MonthKey::FromYearMonth(2011, 12));
  EXPECT_EQ(ProgramTime(0).MonthOf(instant), MonthKey::FromYearMonth(2011, 11));
  EXPECT_EQ(time.DayOf(instant).value, DaysFromCivil(2011, 12, 1));
  EXPECT_EQ(ProgramTime(0).DayOf(instant).value, DaysFromCivil(2011, 11, 30));
}

TEST(ProgramTimeTest, NegativeOffsetMovesBackAcrossTheYear) {
  const ProgramTime time(-5 * 3600);
  const Instant new_year_utc{1325376000 * kUs};  // 2012-01-01T00:00:00Z
  EXPECT_EQ(time.MonthOf(new_year_utc), MonthKey::FromYearMonth(2011, 12));
  EXPECT_EQ(time.DayOf(new_year_utc).value, DaysFromCivil(2011, 12, 31));
  EXPECT_EQ(time.MonthOf(Instant{new_year_utc.us + 5 * 3600 * kUs - 1}),
            MonthKey::FromYearMonth(2011, 12));
  EXPECT_EQ(time.MonthOf(Instant{new_year_utc.us + 5 * 3600 * kUs}),
            MonthKey::FromYearMonth(2012, 1));
}

TEST(ProgramTimeTest, DayBoundariesFloorBeforeTheEpoch) {
  const ProgramTime utc(0);
  EXPECT_EQ(utc.DayOf(Instant{0}).value, 0);
  EXPECT_EQ(utc.DayOf(Instant{-1}).value, -1);
  EXPECT_EQ(utc.DayOf(Instant{86400 * kUs - 1}).value, 0);
  EXPECT_EQ(utc.DayOf(Instant{86400 * kUs}).value, 1);
  EXPECT_EQ(utc.MonthOf(Instant{-1}), MonthKey::FromYearMonth(1969, 12));
  const ProgramTime east(kUtc8);
  EXPECT_EQ(east.DayOf(Instant{-28800 * kUs}).value, 0);
  EXPECT_EQ(east.DayOf(Instant{-28800 * kUs - 1}).value, -1);
}

TEST(ProgramTimeTest, MonthOfDay) {
  const ProgramTime time(kUtc8);
  EXPECT_EQ(time.MonthOfDay(LocalDay{static_cast<int32_t>(DaysFromCivil(2012, 2, 29))}),
            MonthKey::FromYearMonth(2012, 2));
  EXPECT_EQ(time.MonthOfDay(LocalDay{static_cast<int32_t>(DaysFromCivil(2012, 3, 1))}),
            MonthKey::FromYearMonth(2012, 3));
  EXPECT_EQ(time.MonthOfDay(LocalDay{0}), MonthKey::FromYearMonth(1970, 1));
}

TEST(ProgramTimeTest, StartOfLocalDay) {
  EXPECT_EQ(ProgramTime(kUtc8).StartOfLocalDay(MonthKey::FromYearMonth(2011, 12), 8).us,
            1323273600 * kUs);
  EXPECT_EQ(ProgramTime(0).StartOfLocalDay(MonthKey::FromYearMonth(2011, 12), 8).us,
            (1323273600 + 28800) * kUs);
  EXPECT_EQ(ProgramTime(-19800).StartOfLocalDay(MonthKey::FromYearMonth(2011, 12), 8).us,
            (1323273600 + 28800 + 19800) * kUs);
  EXPECT_EQ(ProgramTime(kUtc8).StartOfLocalDay(MonthKey::FromYearMonth(1970, 1), 1).us,
            -28800 * kUs);
  const ProgramTime time(kUtc8);
  const Instant start = time.StartOfLocalDay(MonthKey::FromYearMonth(2024, 3), 1);
  EXPECT_EQ(time.FormatLocal(start), "2024-03-01T00:00:00+08:00");
  EXPECT_EQ(time.MonthOf(Instant{start.us - 1}), MonthKey::FromYearMonth(2024, 2));
}

TEST(ProgramTimeDeathTest, StartOfLocalDayRejectsDaysOutsideTheMonth) {
  EXPECT_DEATH((void)ProgramTime(0).StartOfLocalDay(MonthKey::FromYearMonth(2011, 2), 29),
               "assertion failed");
  EXPECT_DEATH((void)ProgramTime(0).StartOfLocalDay(MonthKey::FromYearMonth(2011, 2), 0),
               "assertion failed");
}

TEST(MonthKeyTest, ParseAndFormat) {
  Result<MonthKey> month = ParseMonthKey("2011-12");
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(month->value, 2011 * 12 + 11);
  EXPECT_EQ(month->year(), 2011);
  EXPECT_EQ(month->month(), 12);
  EXPECT_EQ(FormatMonthKey(*month), "2011-12");
  EXPECT_EQ(FormatMonthKey(month->plus(1)), "2012-01");
  EXPECT_EQ(FormatMonthKey(month->plus(-12)), "2010-12");
  EXPECT_EQ(FormatMonthKey(MonthKey::FromYearMonth(1970, 1)), "1970-01");
  ASSERT_TRUE(ParseMonthKey("9999-01").ok());
  EXPECT_EQ(ParseMonthKey("1970-01")->value, 1970 * 12);
}

TEST(MonthKeyTest, RejectsEverythingElse) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "month \"\" is not of the form YYYY-MM"},
      {"2011-1", "month \"2011-1\" is not of the form YYYY-MM"},
      {"2011-012", "month \"2011-012\" is not of the form YYYY-MM"},
      {"2011/12", "month \"2011/12\" is not of the form YYYY-MM"},
      {"2011-12-01", "month \"2011-12-01\" is not of the form YYYY-MM"},
      {" 2011-12", "month \" 2011-12\" is not of the form YYYY-MM"},
      {"+011-12", "month \"+011-12\" is not of the form YYYY-MM"},
      {"2011-13", "month \"2011-13\" has a month number outside 01 to 12"},
      {"2011-00", "month \"2011-00\" has a month number outside 01 to 12"},
      {"1969-12", "month \"1969-12\" has a year outside 1970 to 9999"},
  };
  for (const auto& [text, message] : cases) {
    Result<MonthKey> month = ParseMonthKey(text);
    ASSERT_FALSE(month.ok()) << text;
    EXPECT_EQ(month.error().code, ErrorCode::kInvalidMonth);
    EXPECT_EQ(month.error().field, "month");
    EXPECT_EQ(month.error().message, message);
  }
}

TEST(UtcOffsetTest, ParsesAndFormats) {
  const std::pair<std::string_view, int32_t> cases[] = {
      {"Z", 0},           {"+00:00", 0},         {"-00:00", 0},          {"+08:00", 28800},
      {"-05:30", -19800}, {"+14:00", 14 * 3600}, {"-14:00", -14 * 3600}, {"+05:45", 20700},
  };
  for (const auto& [text, seconds] : cases) {
    Result<int32_t> offset = ParseUtcOffset(text);
    ASSERT_TRUE(offset.ok()) << text;
    EXPECT_EQ(*offset, seconds) << text;
  }
  EXPECT_EQ(FormatUtcOffset(0), "+00:00");
  EXPECT_EQ(FormatUtcOffset(28800), "+08:00");
  EXPECT_EQ(FormatUtcOffset(-19800), "-05:30");
  EXPECT_EQ(FormatUtcOffset(20700), "+05:45");
}

TEST(UtcOffsetTest, RejectsMalformedAndOutOfRange) {
  for (std::string_view text : {"", "z", "08:00", "+8:00", "+0800", "+08", "UTC", "+08:00 "}) {
    Result<int32_t> offset = ParseUtcOffset(text);
    ASSERT_FALSE(offset.ok()) << text;
    EXPECT_EQ(offset.error().code, ErrorCode::kInvalidConfig);
    EXPECT_EQ(offset.error().message,
              "UTC offset \"" + std::string(text) + "\" is not Z or of the form +HH:MM or -HH:MM");
  }
  for (std::string_view text : {"+14:01", "-15:00", "+08:60", "+99:00"}) {
    Result<int32_t> offset = ParseUtcOffset(text);
    ASSERT_FALSE(offset.ok()) << text;
    EXPECT_EQ(offset.error().code, ErrorCode::kInvalidConfig);
    EXPECT_EQ(offset.error().message,
              "UTC offset \"" + std::string(text) + "\" is outside -14:00 to +14:00");
  }
}

}  // namespace
}  // namespace onecard
