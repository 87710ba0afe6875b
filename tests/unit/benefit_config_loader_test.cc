// The catalogue sections of a program file: the shipped catalogues load with what they promise,
// and every mistake is rejected naming the key and its line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/config_loader.h"

namespace onecard {
namespace {

std::string ReadFile(const std::string& relative) {
  std::ifstream in(std::string(ONECARD_SOURCE_DIR) + "/" + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const BenefitCatalog& Catalog(const Result<ProgramConfig>& config) { return config->benefits; }

TEST(BenefitConfigLoaderTest, EightyEightShipsTheRealisticCatalogue) {
  auto config = LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) + "/config/eighty-eight.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  const BenefitCatalog& c = Catalog(config);
  EXPECT_EQ(c.partners.size(), 10u);
  const Benefit& tmall = c.benefits[static_cast<size_t>(c.FindBenefit("tmall_95"))];
  EXPECT_EQ(tmall.kind, BenefitKind::kPercentDiscount);
  EXPECT_EQ(tmall.percent.rate_ppm, 50'000);  // "0.05" off: the 95% price
  EXPECT_EQ(tmall.percent.month_cap, Money{100'000});
  EXPECT_EQ(tmall.percent.excluded_flags.size(), 3u);
  const Benefit& cinema = c.benefits[static_cast<size_t>(c.FindBenefit("cinema_voucher"))];
  EXPECT_EQ(cinema.voucher.per_month, 2);
  EXPECT_EQ(cinema.voucher.face_value, Money{400});
  const Benefit& delivery = c.benefits[static_cast<size_t>(c.FindBenefit("delivery_voucher"))];
  EXPECT_EQ(delivery.voucher.per_month, 4);
  EXPECT_EQ(delivery.voucher.face_value, Money{500});
  EXPECT_EQ(delivery.voucher.min_spend, Money{2000});
  for (const char* id : {"youku_vip", "netease_music_vip", "eleme_super"}) {
    EXPECT_EQ(c.benefits[static_cast<size_t>(c.FindBenefit(id))].kind, BenefitKind::kSubscription);
  }
  EXPECT_EQ(c.benefits[static_cast<size_t>(c.FindBenefit("hilton_gold"))].kind,
            BenefitKind::kPartnerStatus);
  EXPECT_EQ(c.checkout.max_benefits_per_order, 4);
  // platform_discount (rank 0) and brand_discount (rank 1) share exclusive set 0.
  EXPECT_EQ(c.checkout.group_exclusive_sets[0], 1u);
  EXPECT_EQ(c.checkout.group_exclusive_sets[1], 1u);
  EXPECT_EQ(c.checkout.group_exclusive_sets[2], 0u);
}

TEST(BenefitConfigLoaderTest, TwentyTwentyFiveUsesItsOwnLevels) {
  auto config =
      LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) + "/config/super-member-2025.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  const BenefitCatalog& c = Catalog(config);
  const Benefit& brand = c.benefits[static_cast<size_t>(c.FindBenefit("lancome_90"))];
  EXPECT_EQ(brand.min_tier, "diamond");
  EXPECT_EQ(brand.min_tier_rank, 4);
}

TEST(BenefitConfigLoaderTest, ProgramWithoutBenefitsHasAnEmptyCatalogue) {
  std::string text = ReadFile("config/eighty-eight.toml");
  text = text.substr(0, text.find("# ---- Partners, benefits and checkout"));
  auto config = ParseProgramConfig(text, "test.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_TRUE(config->benefits.benefits.empty());
}

struct BadCatalogue {
  std::string name;
  std::string from;   // text of checkout-test.toml replaced ...
  std::string to;     // ... by this
  std::string field;  // the key the error names
  std::string message_part;
};

class BadCatalogueTest : public testing::TestWithParam<BadCatalogue> {};

TEST_P(BadCatalogueTest, IsRejectedNamingKeyAndLine) {
  const BadCatalogue& bad = GetParam();
  std::string text = ReadFile("tests/scenarios/checkout/checkout-test.toml");
  const size_t at = text.find(bad.from);
  ASSERT_NE(at, std::string::npos) << bad.from;
  text.replace(at, bad.from.size(), bad.to);
  auto config = ParseProgramConfig(text, "test.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidConfig);
  EXPECT_EQ(config.error().field, bad.field) << config.error().ToString();
  EXPECT_NE(config.error().message.find(bad.message_part), std::string::npos)
      << config.error().message;
  EXPECT_EQ(config.error().message.rfind("test.toml:", 0), 0u) << config.error().message;
}

std::vector<BadCatalogue> BadCases() {
  return {
      {"UnknownPartnerKey", "scenario = \"buy\"\n", "scenario = \"buy\"\ncolour = \"red\"\n",
       "partners[0].colour", "not a known key"},
      {"BadScenario", "scenario = \"buy\"", "scenario = \"shop\"", "partners[0].scenario",
       "must be one of"},
      {"BadKind", "kind = \"percent_discount\"", "kind = \"discount\"", "benefits[0].kind",
       "must be one of"},
      {"UnknownPartner", "partner = \"tmall\"", "partner = \"jd\"", "benefits[0].partner",
       "not the id of"},
      {"FloatRate", "rate = \"0.05\"", "rate = 0.05", "benefits[0].percent.rate", "quoted"},
      {"RateAboveOne", "rate = \"0.05\"", "rate = \"1.5\"", "benefits[0].percent.rate",
       "from \"0\" to \"1\""},
      {"CapNotMoney", "month_cap = \"10.00\"", "month_cap = \"10.001\"",
       "benefits[0].percent.month_cap", "not an amount"},
      {"WrongKindTable", "percent = { rate = \"0.05\"",
       "voucher = { per_month = 1 }\npercent = { rate = \"0.05\"", "benefits[0].voucher",
       "does not belong"},
      {"GroupNotOrdered", "stacking_group = \"platform_discount\"", "stacking_group = \"other\"",
       "benefits[0].stacking_group", "not listed"},
      {"WithdrawnWithoutHardStop", "hard_stop = \"2025-10-01T00:00:00\"\n", "",
       "benefits[7].withdrawn_at", "needs both"},
      {"TermQuotaNeedsPaid", "quota = { day = 1 }", "quota = { term = 1 }",
       "benefits[1].quota.term", "paid_required"},
      {"VoucherNeedsPaid",
       "name = \"Cinema voucher\"\npartner = \"cinema\"\nkind = "
       "\"monthly_voucher\"\nstacking_group = \"voucher\"\nmin_tier = \"\"\npaid_required = true",
       "name = \"Cinema voucher\"\npartner = \"cinema\"\nkind = \"monthly_voucher\"\n"
       "stacking_group = \"voucher\"\nmin_tier = \"\"\npaid_required = false",
       "benefits[2].paid_required", "must be true"},
      {"UnknownTier", "min_tier = \"super\"", "min_tier = \"gold\"", "benefits[1].min_tier",
       "not a tier"},
      {"DuplicateBenefit", "id = \"brand_90\"", "id = \"tmall_95\"", "benefits[1].id",
       "used by another"},
      {"BadDate", "withdrawn_at = \"2025-07-01T00:00:00\"", "withdrawn_at = \"July\"",
       "benefits[7].withdrawn_at", "ISO-8601"},
      {"ExclusiveUnknownGroup", "exclusive_groups = [[\"platform_discount\", \"brand_discount\"]]",
       "exclusive_groups = [[\"platform_discount\", \"nope\"]]", "checkout.exclusive_groups[0]",
       "not in checkout.application_order"},
      {"MaxBenefitsZero", "max_benefits_per_order = 3", "max_benefits_per_order = 0",
       "checkout.max_benefits_per_order", "from 1"},
      {"BadPercentBase", "percent_base = \"original\"", "percent_base = \"list\"",
       "checkout.percent_base", "must be"},
  };
}

std::string CaseName(const testing::TestParamInfo<BadCatalogue>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(BenefitConfigLoaderTest, BadCatalogueTest, testing::ValuesIn(BadCases()),
                         CaseName);

}  // namespace
}  // namespace onecard
