// The program file reader: the shipped programs load with exactly the rules of PRODUCT §2, and
// every kind of bad file is rejected with kInvalidConfig naming the key and its position.
#include "engine/config_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace onecard {
namespace {

std::string ConfigPath(const std::string& name) {
  return std::string(ONECARD_SOURCE_DIR) + "/config/" + name;
}

// The score rules of PRODUCT §2, shared by both shipped programs.
void ExpectDefaultScoreRules(const ScoreRules& score) {
  EXPECT_EQ(score.window_months, 12);
  EXPECT_EQ(score.shopping.physical.rate_ppm, 100'000);
  EXPECT_EQ(score.shopping.physical.cap_points, 50);
  EXPECT_EQ(score.shopping.virtual_goods.rate_ppm, 50'000);
  EXPECT_EQ(score.shopping.virtual_goods.cap_points, 10);
  EXPECT_EQ(score.shopping.month_cap, 200);
  EXPECT_EQ(score.shopping.day_cap, 80);
  EXPECT_EQ(score.shopping.shop_cap, 120);
  EXPECT_EQ(score.shopping.category_cap, 120);
  EXPECT_EQ(score.reward.review, 2);
  EXPECT_EQ(score.reward.review_photos_bonus, 1);
  EXPECT_EQ(score.reward.share, 1);
  EXPECT_EQ(score.reward.post, 1);
  EXPECT_EQ(score.reward.answer, 2);
  EXPECT_EQ(score.reward.month_cap, 40);
  EXPECT_EQ(score.active.points_per_month, 5);
  EXPECT_EQ(score.breadth.points_per_category, 10);
  EXPECT_EQ(score.breadth.free_categories, 1);
  EXPECT_EQ(score.breadth.cap, 100);
  EXPECT_EQ(score.credit.default_level, 3);
  ASSERT_EQ(score.credit.levels.size(), 5u);
  const int64_t bases[] = {0, 100, 200, 300, 400};
  const int64_t multipliers[] = {500, 800, 1000, 1100, 1200};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(score.credit.levels[i].level, static_cast<int32_t>(i + 1));
    EXPECT_EQ(score.credit.levels[i].base, bases[i]);
    EXPECT_EQ(score.credit.levels[i].multiplier_permille, multipliers[i]);
  }
}

void ExpectPrices88(const PlanRules& plan) {
  EXPECT_EQ(plan.term_days, 365);
  ASSERT_EQ(plan.prices.size(), 2u);
  EXPECT_EQ(plan.prices[0].min_score, 0);
  EXPECT_EQ(plan.prices[0].price, Money{88'800});
  EXPECT_EQ(plan.prices[1].min_score, 1000);
  EXPECT_EQ(plan.prices[1].price, Money{8'800});
  EXPECT_EQ(plan.refund_policy, RefundPolicy::kFullIfUnused);
}

TEST(ConfigLoaderTest, EightyEightLoadsThePublishedDefaults) {
  Result<ProgramConfig> config = LoadProgramConfig(ConfigPath("eighty-eight.toml"));
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->name, "88 membership");
  EXPECT_EQ(config->rule_version, "88-2019.1");
  EXPECT_EQ(config->utc_offset_seconds, 8 * 3600);
  EXPECT_EQ(config->publication.day_of_month, 8);
  ExpectDefaultScoreRules(config->score);

  const std::vector<Tier>& tiers = config->tiers.tiers;
  ASSERT_EQ(tiers.size(), 3u);
  EXPECT_EQ(tiers[0].name, "registered");
  EXPECT_EQ(tiers[0].min_score, 0);
  EXPECT_EQ(tiers[1].name, "standard");
  EXPECT_EQ(tiers[1].min_score, 300);
  EXPECT_EQ(tiers[2].name, "super");
  EXPECT_EQ(tiers[2].min_score, 1000);
  ASSERT_TRUE(config->tiers.invitation.has_value());
  EXPECT_EQ(config->tiers.invitation->name, "apass");
  EXPECT_EQ(config->tiers.invitation->min_score, 2500);
  EXPECT_EQ(config->tiers.invitation->min_net_spend, Money{10'000'000});

  EXPECT_EQ(config->plan.min_tier, "");
  ExpectPrices88(config->plan);
}

TEST(ConfigLoaderTest, SuperMember2025LoadsSixLevelsAndPlatinumPlan) {
  Result<ProgramConfig> config = LoadProgramConfig(ConfigPath("super-member-2025.toml"));
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->rule_version, "88-2025.1");
  EXPECT_EQ(config->utc_offset_seconds, 8 * 3600);
  EXPECT_EQ(config->publication.day_of_month, 8);
  ExpectDefaultScoreRules(config->score);

  const std::vector<std::string> names = {"bronze",   "silver",  "gold",
                                          "platinum", "diamond", "black_diamond"};
  const std::vector<int64_t> min_scores = {0, 300, 800, 1500, 2500, 4000};
  ASSERT_EQ(config->tiers.tiers.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(config->tiers.tiers[i].name, names[i]);
    EXPECT_EQ(config->tiers.tiers[i].min_score, min_scores[i]);
  }
  EXPECT_FALSE(config->tiers.invitation.has_value());
  EXPECT_EQ(config->plan.min_tier, "platinum");
  ExpectPrices88(config->plan);
}

TEST(ConfigLoaderTest, UnreadableFileIsAnIoError) {
  Result<ProgramConfig> config = LoadProgramConfig(ConfigPath("no-such-program.toml"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, ErrorCode::kIoError);
}

// A small valid program; each bad case below changes one piece of it. Line numbers in the cases
// refer to this text (a change that adds lines does so after the line it names).
constexpr std::string_view kValid = R"([program]
name = "t"
rule_version = "t-1"
utc_offset = "+08:00"
publication_day = 8
[score]
window_months = 12
[score.order_points.physical]
rate_per_unit = "0.1"
cap = 50
[score.order_points.virtual]
rate_per_unit = "0.05"
cap = 10
[score.shopping]
month_cap = 200
day_cap = 80
shop_cap = 120
category_cap = 120
[score.reward]
review = 2
review_photos_bonus = 1
share = 1
post = 1
answer = 2
month_cap = 40
[score.active]
points_per_month = 5
[score.breadth]
points_per_category = 10
free_categories = 1
cap = 100
[score.credit]
default_level = 3
levels = [
  { level = 1, base = 0, multiplier = "0.5" },
  { level = 2, base = 100, multiplier = "0.8" },
  { level = 3, base = 200, multiplier = "1.0" },
  { level = 4, base = 300, multiplier = "1.1" },
  { level = 5, base = 400, multiplier = "1.2" },
]
[tiers]
levels = [
  { name = "registered", min_score = 0 },
  { name = "standard", min_score = 300 },
  { name = "super", min_score = 1000 },
]
[tiers.invitation]
name = "apass"
min_score = 2500
min_net_spend = "100000.00"
[plan]
term_days = 365
min_tier = ""
prices = [
  { min_score = 0, price = "888.00" },
  { min_score = 1000, price = "88.00" },
]
refund_policy = "full_if_unused"
)";

std::string Replace(std::string_view from, std::string_view to) {
  std::string text(kValid);
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "the case names text that is not in kValid: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ConfigLoaderTest, TheSmallProgramIsValid) {
  Result<ProgramConfig> config = ParseProgramConfig(kValid, "test.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->score.credit.levels.size(), 5u);
}

TEST(ConfigLoaderTest, CreditLevelsAreSortedByLevel) {
  const std::string text = Replace(R"(  { level = 1, base = 0, multiplier = "0.5" },
  { level = 2, base = 100, multiplier = "0.8" },)",
                                   R"(  { level = 2, base = 100, multiplier = "0.8" },
  { level = 1, base = 0, multiplier = "0.5" },)");
  Result<ProgramConfig> config = ParseProgramConfig(text, "test.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(config->score.credit.levels[i].level, static_cast<int32_t>(i + 1));
  }
  EXPECT_EQ(config->score.credit.levels[1].base, 100);
}

struct BadCase {
  std::string name;
  std::string from;      // text of kValid to change ...
  std::string to;        // ... and what it becomes
  std::string field;     // the exact field of the error
  std::string position;  // "line:column" that the message starts with
  std::string says;      // a piece of the message
};

std::vector<BadCase> BadCases() {
  return {
      // Unknown and missing keys.
      {"unknown_key", "day_cap = 80\n", "day_cap = 80\nday_kap = 1\n", "score.shopping.day_kap",
       "17:1", "unknown key \"day_kap\" in [score.shopping]"},
      {"unknown_section", "[plan]\n", "[plans]\nx = 1\n[plan]\n", "plans", "51:2",
       "unknown key \"plans\" in the top level"},
      {"unknown_key_in_entry", "{ name = \"standard\", min_score = 300 }",
       "{ name = \"standard\", min_score = 300, colour = \"x\" }", "tiers.levels[1].colour",
       "44:41", "unknown key \"colour\""},
      {"missing_key", "day_cap = 80\n", "", "score.shopping.day_cap", "14:1",
       "missing required key \"day_cap\" in [score.shopping]"},
      {"missing_section", "[score.active]\npoints_per_month = 5\n", "", "score.active", "6:1",
       "missing required key \"active\" in [score]"},
      {"missing_credit_level", "  { level = 5, base = 400, multiplier = \"1.2\" },\n", "",
       "score.credit.levels", "34:10", "no entry for level 5"},
      {"empty_tiers",
       "  { name = \"registered\", min_score = 0 },\n"
       "  { name = \"standard\", min_score = 300 },\n"
       "  { name = \"super\", min_score = 1000 },\n",
       "", "tiers.levels", "42:10", "has 0 entries; expected 1 to 64"},
      // Floats where an exact decimal string is required.
      {"float_rate", "rate_per_unit = \"0.1\"", "rate_per_unit = 0.1",
       "score.order_points.physical.rate_per_unit", "9:17",
       "is a float; write it as a quoted string, e.g. rate_per_unit = \"0.1\""},
      {"float_multiplier", "multiplier = \"1.1\"", "multiplier = 1.1",
       "score.credit.levels[3].multiplier", "38:41", "write it as a quoted string"},
      {"float_price", "price = \"88.00\"", "price = 88.00", "plan.prices[1].price", "56:31",
       "write it as a quoted string"},
      {"integer_money", "min_net_spend = \"100000.00\"", "min_net_spend = 100000",
       "tiers.invitation.min_net_spend", "50:17", "is an integer; write it as a quoted string"},
      // Decimal strings out of shape.
      {"rate_places", "\"0.05\"", "\"0.0500001\"", "score.order_points.virtual.rate_per_unit",
       "12:17", "has more than 6 decimal places"},
      {"rate_too_large", "\"0.05\"", "\"100.5\"", "score.order_points.virtual.rate_per_unit",
       "12:17", "is too large; expected a quoted decimal from \"0\" to \"100\""},
      {"multiplier_places", "multiplier = \"0.8\"", "multiplier = \"0.8125\"",
       "score.credit.levels[1].multiplier", "36:41", "has more than 3 decimal places"},
      {"negative_multiplier", "multiplier = \"0.8\"", "multiplier = \"-0.8\"",
       "score.credit.levels[1].multiplier", "36:41", "contains a character other than digits"},
      {"price_places", "\"888.00\"", "\"888.001\"", "plan.prices[0].price", "55:28",
       "more than two decimal places"},
      // Integers out of range or of the wrong type.
      {"negative_cap", "day_cap = 80", "day_cap = -5", "score.shopping.day_cap", "16:11",
       "is -5; expected an integer from 0 to 1000000"},
      {"cap_too_large", "day_cap = 80", "day_cap = 1000001", "score.shopping.day_cap", "16:11",
       "is 1000001; expected an integer from 0 to 1000000"},
      {"quoted_integer", "cap = 50", "cap = \"50\"", "score.order_points.physical.cap", "10:7",
       "is a string; expected an integer from 0 to 1000000"},
      {"publication_day", "publication_day = 8", "publication_day = 29", "program.publication_day",
       "5:19", "expected an integer from 1 to 28"},
      {"window_zero", "window_months = 12", "window_months = 0", "score.window_months", "7:17",
       "expected an integer from 1 to 120"},
      {"term_days", "term_days = 365", "term_days = 0", "plan.term_days", "52:13",
       "expected an integer from 1 to 3660"},
      {"default_level", "default_level = 3", "default_level = 6", "score.credit.default_level",
       "33:17", "expected an integer from 1 to 5"},
      {"credit_level_range", "level = 5,", "level = 6,", "score.credit.levels[4].level", "39:13",
       "expected an integer from 1 to 5"},
      {"credit_level_twice", "level = 5,", "level = 4,", "score.credit.levels[4].level", "39:13",
       "credit level 4 is given twice (also in score.credit.levels[3])"},
      {"empty_name", "name = \"t\"", "name = \"\"", "program.name", "2:8",
       "has 0 bytes; expected 1 to 128"},
      // Tiers and plan.
      {"descending_tiers", "min_score = 1000 }", "min_score = 200 }", "tiers.levels[2].min_score",
       "45:33", "tier \"super\" has min_score 200, not above the 300 of the tier before it"},
      {"first_tier_not_zero", "min_score = 0 }", "min_score = 10 }", "tiers.levels[0].min_score",
       "43:38", "expected 0"},
      {"duplicate_tier", "name = \"super\"", "name = \"standard\"", "tiers.levels[2].name", "45:12",
       "tier name \"standard\" is used twice (also in tiers.levels[1])"},
      {"bad_tier_name", "name = \"super\"", "name = \"Super Member\"", "tiers.levels[2].name",
       "45:12", "is not a tier name"},
      {"invitation_clash", "name = \"apass\"", "name = \"super\"", "tiers.invitation.name", "48:8",
       "has the name of a tier in tiers.levels"},
      {"invitation_negative", "min_score = 2500", "min_score = -1", "tiers.invitation.min_score",
       "49:13", "expected an integer from 0 to 1000000"},
      {"prices_not_ascending", "min_score = 1000, price", "min_score = 0, price",
       "plan.prices[1].min_score", "56:17", "is not above the 0 of the price before it"},
      {"prices_from_zero", "min_score = 0, price", "min_score = 5, price",
       "plan.prices[0].min_score", "55:17", "the first price has min_score 5; expected 0"},
      {"unknown_min_tier", "min_tier = \"\"", "min_tier = \"platinum\"", "plan.min_tier", "53:12",
       "expected \"\" (every tier) or one of: registered, standard, super"},
      {"levels_not_array",
       "levels = [\n  { name = \"registered\", min_score = 0 },\n"
       "  { name = \"standard\", min_score = 300 },\n"
       "  { name = \"super\", min_score = 1000 },\n]\n",
       "levels = 3\n", "tiers.levels", "42:10", "must be an array of tables, not an integer"},
      // The paid plan's refund policy.
      {"unknown_refund_policy", "refund_policy = \"full_if_unused\"", "refund_policy = \"partial\"",
       "plan.refund_policy", "58:17",
       "is not a refund policy; expected \"full_if_unused\", \"full\" or \"none\""},
      {"missing_refund_policy", "refund_policy = \"full_if_unused\"\n", "", "plan.refund_policy",
       "51:1", "missing required key \"refund_policy\" in [plan]"},
      {"refund_policy_not_string", "refund_policy = \"full_if_unused\"", "refund_policy = true",
       "plan.refund_policy", "58:17", "is a boolean; expected a string"},
      // Time zone and syntax.
      {"bad_offset", "\"+08:00\"", "\"+25:00\"", "program.utc_offset", "4:14",
       "is not a UTC offset"},
      {"offset_without_sign", "\"+08:00\"", "\"08:00\"", "program.utc_offset", "4:14",
       "is not a UTC offset"},
      {"syntax_error", "day_cap = 80", "day_cap = = 80", "", "16:11", ""},
      {"duplicate_key", "day_cap = 80\n", "day_cap = 80\nday_cap = 81\n", "", "17:11",
       "cannot redefine existing integer 'day_cap'"},
  };
}

class BadConfigTest : public testing::TestWithParam<BadCase> {};

TEST_P(BadConfigTest, IsRejectedNamingKeyAndPosition) {
  const BadCase& bad = GetParam();
  Result<ProgramConfig> config = ParseProgramConfig(Replace(bad.from, bad.to), "test.toml");
  ASSERT_FALSE(config.ok()) << "accepted";
  const Error& error = config.error();
  EXPECT_EQ(error.code, ErrorCode::kInvalidConfig) << error.ToString();
  EXPECT_EQ(error.field, bad.field) << error.ToString();
  const std::string prefix = "test.toml:" + bad.position + ": ";
  EXPECT_EQ(error.message.substr(0, prefix.size()), prefix) << error.ToString();
  EXPECT_NE(error.message.find(bad.says), std::string::npos) << error.ToString();
}

std::string CaseName(const testing::TestParamInfo<BadCase>& param_info) {
  return param_info.param.name;
}

INSTANTIATE_TEST_SUITE_P(ConfigLoaderTest, BadConfigTest, testing::ValuesIn(BadCases()), CaseName);

}  // namespace
}  // namespace onecard
