// [[drops]] in the program file: the shipped fold-phone drop loads with exactly its rules, and bad
// drops are rejected with kInvalidConfig naming the key and its line.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "core/drop_schedule.h"
#include "engine/config_loader.h"

namespace onecard {
namespace {

std::string EightyEight() {
  std::ifstream in(std::string(ONECARD_SOURCE_DIR) + "/config/eighty-eight.toml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped program without its drops, plus `drops` (TOML text).
std::string WithDrops(const std::string& drops) {
  std::string text = EightyEight();
  text = text.substr(0, text.find("[[drops]]"));
  return text + drops;
}

// How many lines the program has before the appended drops: for expected line numbers.
int LinesBefore() {
  const std::string base = WithDrops("");
  return static_cast<int>(std::count(base.begin(), base.end(), '\n'));
}

const char* kGood = R"(
[[drops]]
id = "d"
product = "p"
mode = "lottery"
date = "2025-06-12"
time = "09:05"
units_per_slot = 3
per_member_limit = 2
window_minutes = 30
hold_minutes = 20
[drops.eligibility]
paid_plan = false
min_tier = "super"
)";

TEST(DropConfigLoader, ShippedFoldPhone) {
  auto config = ParseProgramConfig(EightyEight(), "eighty-eight.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  ASSERT_EQ(config->drops.drops.size(), 1u);
  const DropRules& d = config->drops.drops[0];
  EXPECT_EQ(d.id, "fold-phone");
  EXPECT_EQ(d.mode, DropMode::kFirstCome);
  EXPECT_EQ(d.schedule.weekdays, (1 << 1) | (1 << 3) | (1 << 5));  // tue, thu, sat
  EXPECT_FALSE(d.schedule.date.has_value());
  EXPECT_EQ(d.schedule.minute_of_day, 600);
  EXPECT_EQ(d.units_per_slot, 200);
  EXPECT_EQ(d.per_member_limit, 1);
  EXPECT_EQ(d.window_minutes, 60);
  EXPECT_EQ(d.hold_minutes, 15);
  EXPECT_TRUE(d.eligibility.paid_plan);
  EXPECT_EQ(d.eligibility.min_tier, "");
}

TEST(DropConfigLoader, LotteryOnOneDate) {
  auto config = ParseProgramConfig(WithDrops(kGood), "t.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  const DropRules& d = config->drops.drops.at(0);
  EXPECT_EQ(d.mode, DropMode::kLottery);
  EXPECT_EQ(d.schedule.weekdays, 0);
  EXPECT_EQ(FormatLocalDate(d.schedule.date.value()), "2025-06-12");
  EXPECT_EQ(d.schedule.minute_of_day, 9 * 60 + 5);
  EXPECT_EQ(d.eligibility.min_tier, "super");
  // No [[drops]] at all is a program without drops.
  auto none = ParseProgramConfig(WithDrops(""), "t.toml");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->drops.drops.empty());
}

struct BadCase {
  std::string from, to;  // replace in kGood
  std::string field;
  int line;  // within kGood (line 1 is "[[drops]]")
};

TEST(DropConfigLoader, BadDropsNameKeyAndLine) {
  const std::vector<BadCase> cases = {
      {"units_per_slot = 3", "units_per_slot = 0", "drops[0].units_per_slot", 7},
      {"units_per_slot = 3", "units_per_slot = \"3\"", "drops[0].units_per_slot", 7},
      {"mode = \"lottery\"", "mode = \"raffle\"", "drops[0].mode", 4},
      {"time = \"09:05\"", "time = \"9:05\"", "drops[0].time", 6},
      {"date = \"2025-06-12\"", "date = \"2025-02-30\"", "drops[0].date", 5},
      {"date = \"2025-06-12\"", "weekdays = [\"tue\", \"tue\"]", "drops[0].weekdays", 5},
      {"date = \"2025-06-12\"", "date = \"2025-06-12\"\nweekdays = [\"tue\"]", "drops[0].weekdays",
       6},
      {"min_tier = \"super\"", "min_tier = \"gold\"", "drops[0].eligibility.min_tier", 13},
      {"hold_minutes = 20", "hold_minutes = 20\nprice = 3", "drops[0].price", 11},
      {"id = \"d\"", "id = \"D!\"", "drops[0].id", 2},
  };
  for (const BadCase& c : cases) {
    std::string drops = kGood;
    drops.replace(drops.find(c.from), c.from.size(), c.to);
    auto config = ParseProgramConfig(WithDrops(drops), "t.toml");
    ASSERT_FALSE(config.ok()) << c.to;
    EXPECT_EQ(config.error().code, ErrorCode::kInvalidConfig) << c.to;
    EXPECT_EQ(config.error().field, c.field) << c.to << ": " << config.error().ToString();
    const std::string where = "t.toml:" + std::to_string(LinesBefore() + 1 + c.line) + ":";
    EXPECT_EQ(config.error().message.rfind(where, 0), 0u)
        << c.to << ": " << config.error().message << " (expected " << where << ")";
  }
  // Two drops with one id.
  auto twice = ParseProgramConfig(WithDrops(std::string(kGood) + kGood), "t.toml");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().field, "drops[1].id");
}

}  // namespace
}  // namespace onecard
