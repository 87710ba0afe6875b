// Money: parsing of decimal amounts, formatting and the order-points arithmetic.
#include "core/money.h"

#include <gtest/gtest.h>

#include "core/limits.h"

namespace onecard {
namespace {

int64_t MinorOf(std::string_view text) {
  Result<Money> money = ParseMoney(text);
  EXPECT_TRUE(money.ok()) << text << ": " << (money.ok() ? "" : money.error().ToString());
  return money.ok() ? money->minor : -1;
}

TEST(ParseMoneyTest, AcceptsWholeAndOneOrTwoPlaces) {
  EXPECT_EQ(MinorOf("0"), 0);
  EXPECT_EQ(MinorOf("12"), 1200);
  EXPECT_EQ(MinorOf("12.5"), 1250);
  EXPECT_EQ(MinorOf("12.50"), 1250);
  EXPECT_EQ(MinorOf("12.05"), 1205);
  EXPECT_EQ(MinorOf("0.01"), 1);
  EXPECT_EQ(MinorOf("007.10"), 710);
}

TEST(ParseMoneyTest, AcceptsTheLimitExactly) {
  EXPECT_EQ(MinorOf("100000000000"), limits::kAmountMinorMax);
  EXPECT_EQ(MinorOf("100000000000.00"), limits::kAmountMinorMax);
  EXPECT_EQ(MinorOf("99999999999.99"), limits::kAmountMinorMax - 1);
}

struct BadAmount {
  std::string_view text;
  std::string_view message;
};

class ParseMoneyRejectTest : public testing::TestWithParam<BadAmount> {};

TEST_P(ParseMoneyRejectTest, FailsWithInvalidAmount) {
  Result<Money> money = ParseMoney(GetParam().text);
  ASSERT_FALSE(money.ok());
  EXPECT_EQ(money.error().code, ErrorCode::kInvalidAmount);
  EXPECT_EQ(money.error().field, "amount");
  EXPECT_EQ(money.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseMoneyRejectTest,
    testing::Values(
        BadAmount{"", "amount \"\" is empty"},
        BadAmount{"-1",
                  "amount \"-1\" has a sign; amounts are non-negative decimals without a sign"},
        BadAmount{"+1",
                  "amount \"+1\" has a sign; amounts are non-negative decimals without a sign"},
        BadAmount{"1.", "amount \"1.\" has no digits after the decimal point"},
        BadAmount{".5", "amount \".5\" has no digits before the decimal point"},
        BadAmount{"12.345", "amount \"12.345\" has more than two decimal places"},
        BadAmount{"1.2.3", "amount \"1.2.3\" has more than one decimal point"},
        BadAmount{"1e5",
                  "amount \"1e5\" contains a character that is not a digit or a decimal point"},
        BadAmount{" 1",
                  "amount \" 1\" contains a character that is not a digit or a decimal point"},
        BadAmount{"1 ",
                  "amount \"1 \" contains a character that is not a digit or a decimal point"},
        BadAmount{"1,5",
                  "amount \"1,5\" contains a character that is not a digit or a decimal point"},
        BadAmount{"abc",
                  "amount \"abc\" contains a character that is not a digit or a decimal point"},
        BadAmount{"100000000000.01",
                  "amount \"100000000000.01\" is above the largest accepted amount"},
        BadAmount{"100000000001", "amount \"100000000001\" is above the largest accepted amount"},
        BadAmount{"99999999999999999999999999",
                  "amount \"99999999999999999999999999\" is above the largest accepted amount"}));

TEST(FormatMoneyTest, AlwaysTwoPlaces) {
  EXPECT_EQ(FormatMoney(Money{0}), "0.00");
  EXPECT_EQ(FormatMoney(Money{5}), "0.05");
  EXPECT_EQ(FormatMoney(Money{123450}), "1234.50");
  EXPECT_EQ(FormatMoney(Money{-307}), "-3.07");
  EXPECT_EQ(FormatMoney(Money{-5}), "-0.05");
  EXPECT_EQ(FormatMoney(Money{limits::kAmountMinorMax}), "100000000000.00");
  EXPECT_EQ(FormatMoney(Money{INT64_MIN}), "-92233720368547758.08");
}

TEST(FormatMoneyTest, RoundTripsThroughParse) {
  for (int64_t minor : {int64_t{0}, int64_t{1}, int64_t{99}, int64_t{100}, int64_t{123456789},
                        limits::kAmountMinorMax}) {
    EXPECT_EQ(MinorOf(FormatMoney(Money{minor})), minor);
  }
}

TEST(PointsForAmountTest, FloorsAtTheProductRates) {
  EXPECT_EQ(PointsForAmount(Money{0}, 100'000), 0);
  EXPECT_EQ(PointsForAmount(Money{999}, 100'000), 0);       // 9.99 × 0.1 = 0.999
  EXPECT_EQ(PointsForAmount(Money{1000}, 100'000), 1);      // 10.00 × 0.1
  EXPECT_EQ(PointsForAmount(Money{123456}, 100'000), 123);  // 1234.56 × 0.1 = 123.456
  EXPECT_EQ(PointsForAmount(Money{3999}, 50'000), 1);       // 39.99 × 0.05 = 1.9995
  EXPECT_EQ(PointsForAmount(Money{4000}, 50'000), 2);
  EXPECT_EQ(PointsForAmount(Money{12345}, 0), 0);
  EXPECT_EQ(PointsForAmount(Money{100}, 1'000'000), 1);  // 1 unit × 1 point
  EXPECT_EQ(PointsForAmount(Money{99}, 1'000'000), 0);
}

TEST(PointsForAmountTest, NoOverflowAtTheLimits) {
  // 10^11 units × 100 points = 10^13 points; the raw product 10^21 would overflow int64.
  EXPECT_EQ(PointsForAmount(Money{limits::kAmountMinorMax}, 100'000'000), 10'000'000'000'000);
  EXPECT_EQ(PointsForAmount(Money{limits::kAmountMinorMax - 1}, 100'000'000), 9'999'999'999'999);
  EXPECT_EQ(PointsForAmount(Money{limits::kAmountMinorMax}, 100'000), 10'000'000'000);
  EXPECT_EQ(PointsForAmount(Money{limits::kAmountMinorMax - 1}, 99'999'999), 9'999'999'899'999);
}

TEST(PointsForAmountDeathTest, RejectsNegativeInputs) {
  EXPECT_DEATH((void)PointsForAmount(Money{-1}, 100'000), "assertion failed");
  EXPECT_DEATH((void)PointsForAmount(Money{1}, -1), "assertion failed");
  EXPECT_DEATH((void)PointsForAmount(Money{1}, 100'000'001), "assertion failed");
}

}  // namespace
}  // namespace onecard
