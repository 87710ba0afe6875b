// The [[points_programs]] reader: the shipped brand program and hotel partner load with the
// numbers written in config/eighty-eight.toml, and each kind of bad entry is refused with
// kInvalidConfig naming its key.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/config_loader.h"

namespace onecard {
namespace {

std::string ShippedText() {
  std::ifstream in(std::string(ONECARD_SOURCE_DIR) + "/config/eighty-eight.toml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped file with `from` replaced by `to` (which must occur once).
std::string Edited(const std::string& from, const std::string& to) {
  std::string text = ShippedText();
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

std::string FieldOfError(const std::string& text) {
  Result<ProgramConfig> config = ParseProgramConfig(text, "test.toml");
  if (config.ok()) return "(ok)";
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidConfig);
  EXPECT_NE(config.error().message.find("test.toml:"), std::string::npos);
  return config.error().field;
}

TEST(LedgerConfigLoader, ShippedBrandProgramAndHotelPartner) {
  Result<ProgramConfig> config = ParseProgramConfig(ShippedText(), "eighty-eight.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  ASSERT_EQ(config->points.programs.size(), 1u);
  const PointsProgram& p = config->points.programs[0];
  EXPECT_EQ(p.id, "aurora_beauty");
  EXPECT_EQ(p.lot_lifetime_days, 365);
  EXPECT_EQ(p.pending_days, 15);
  EXPECT_EQ(p.expiry_warning_days, 30);
  EXPECT_EQ(p.hold_timeout_minutes, 15);
  EXPECT_EQ(p.paid_multiplier_permille, 10'000);
  ASSERT_EQ(p.rates.size(), 4u);
  EXPECT_EQ(p.rates[3].channel, "offline_store");
  EXPECT_EQ(p.rates[3].category, "fragrance");
  EXPECT_EQ(p.rates[3].rate_ppm, 2'000'000);
  ASSERT_EQ(p.tier_multipliers.size(), 2u);
  EXPECT_EQ(p.tier_multipliers[0].multiplier_permille, 1500);
  ASSERT_EQ(p.campaigns.size(), 2u);
  // 2025-08-08T00:00:00+08:00 = 2025-08-07T16:00:00Z = 1754582400 s.
  EXPECT_EQ(p.campaigns[0].from.us, 1'754'582'400'000'000);
  EXPECT_EQ(p.campaigns[0].until.us - p.campaigns[0].from.us, 86'400'000'000);
  EXPECT_EQ(p.campaigns[1].channels, std::vector<std::string>{"tmall_flagship"});
  ASSERT_EQ(p.partners.size(), 1u);
  const PartnerExchange& hotel = p.partners[0];
  EXPECT_EQ(hotel.ratio_from, 3);
  EXPECT_EQ(hotel.ratio_to, 1);
  EXPECT_EQ(hotel.block_points, 60'000);
  EXPECT_EQ(hotel.block_bonus, 15'000);
  EXPECT_EQ(hotel.min_points, 3'000);
  ASSERT_TRUE(hotel.status.has_value());
  EXPECT_EQ(hotel.status->status, "gold_elite");
  EXPECT_TRUE(hotel.status->paid_members);
  EXPECT_EQ(hotel.status->challenge_stays, 3);
  EXPECT_EQ(hotel.status->challenge_window_days, 120);
}

TEST(LedgerConfigLoader, EachBadEntryNamesItsKey) {
  EXPECT_EQ(FieldOfError(Edited("pending_days = 15 ", "pending_days = 365 ")),
            "points_programs[0].pending_days");
  EXPECT_EQ(FieldOfError(Edited("lot_lifetime_days = 365 ", "lot_lifetime_days = 0 ")),
            "points_programs[0].lot_lifetime_days");
  EXPECT_EQ(FieldOfError(Edited("paid_multiplier = \"10\"", "paid_multiplier = 10")),
            "points_programs[0].paid_multiplier");
  EXPECT_EQ(FieldOfError(Edited("paid_multiplier = \"10\"", "paid_multiplier = \"0.5\"")),
            "points_programs[0].paid_multiplier");
  EXPECT_EQ(FieldOfError(Edited("{ channel = \"brand_site\", category = \"*\"",
                                "{ channel = \"brand_site\", category = \"shoes\"")),
            "points_programs[0].rates");  // brand_site has no "*" row any more
  EXPECT_EQ(FieldOfError(Edited("rate_per_unit = \"2\"", "rate_per_unit = \"2.0000001\"")),
            "points_programs[0].rates[3].rate_per_unit");
  EXPECT_EQ(FieldOfError(Edited("{ tier = \"super\"", "{ tier = \"gold\"")),
            "points_programs[0].tier_multipliers[0].tier");
  EXPECT_EQ(
      FieldOfError(Edited("until = \"2025-08-09T00:00:00\"", "until = \"2025-08-07T00:00:00\"")),
      "points_programs[0].campaigns[0].until");
  EXPECT_EQ(FieldOfError(Edited("channels = [\"tmall_flagship\"]", "channels = [\"tv\"]")),
            "points_programs[0].campaigns[1].channels[0]");
  EXPECT_EQ(FieldOfError(Edited("ratio = \"3:1\"", "ratio = \"3to1\"")),
            "points_programs[0].partners[0].ratio");
  EXPECT_EQ(FieldOfError(Edited("min_points = 3000", "min_points = 3001")),
            "points_programs[0].partners[0].min_points");
  EXPECT_EQ(FieldOfError(Edited("challenge_stays = 3", "challenge_stays = 3\nnights = 2")),
            "points_programs[0].partners[0].status.nights");
  EXPECT_EQ(FieldOfError(Edited("id = \"aurora_beauty\"", "id = \"Aurora\"")),
            "points_programs[0].id");
  EXPECT_EQ(FieldOfError(Edited("brand = \"Aurora Beauty\"\n", "")), "points_programs[0].brand");
}

TEST(LedgerConfigLoader, ProgramsAreOptional) {
  std::string text = ShippedText();
  text = text.substr(0, text.find("# ---- Brand points programs"));
  Result<ProgramConfig> config = ParseProgramConfig(text, "test.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_TRUE(config->points.programs.empty());
}

}  // namespace
}  // namespace onecard
