// The PRODUCT §2 defaults as a ProgramConfig built in code, for core tests that must not depend on
// the TOML loader (config/eighty-eight.toml holds the same numbers; config_loader_test checks it).
#pragma once

#include "core/program_config.h"

namespace onecard::test_support {

inline ProgramConfig DefaultScoreConfig() {
  ProgramConfig config;
  config.name = "test";
  config.rule_version = "test-1";
  config.utc_offset_seconds = 8 * 3600;
  config.publication.day_of_month = 8;
  ScoreRules& score = config.score;
  score.window_months = 12;
  score.shopping.physical = {100'000, 50};
  score.shopping.virtual_goods = {50'000, 10};
  score.shopping.month_cap = 200;
  score.shopping.day_cap = 80;
  score.shopping.shop_cap = 120;
  score.shopping.category_cap = 120;
  score.reward = {2, 1, 1, 1, 2, 40};
  score.active.points_per_month = 5;
  score.breadth = {10, 1, 100};
  score.credit.default_level = 3;
  score.credit.levels = {
      {1, 0, 500}, {2, 100, 800}, {3, 200, 1000}, {4, 300, 1100}, {5, 400, 1200}};
  config.tiers.tiers = {{"registered", 0}, {"standard", 300}, {"super", 1000}};
  config.tiers.invitation = InvitationTier{"apass", 2500, Money{100'000'00}};
  return config;
}

}  // namespace onecard::test_support
