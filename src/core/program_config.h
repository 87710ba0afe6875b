// The program's rules as plain values: every number of PRODUCT §2 (and the plan's price table)
// lives here, loaded from the program's TOML file by the engine (engine/config_loader.h). Nothing
// in the code assumes a default; see config/eighty-eight.toml for the shipped program.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/drop_rules.h"
#include "core/benefit_catalog.h"
#include "core/ledger_config.h"  // points programs (issue 5)
#include "core/money.h"
#include "core/plan_refund_policy.h"

namespace onecard {

// How purchases turn into order points.
struct OrderPointsRule {
  int64_t rate_ppm = 0;    // points per currency unit, in parts per million (0.1 = 100000)
  int64_t cap_points = 0;  // at most this many points per order
};

struct ShoppingRules {
  OrderPointsRule physical;
  OrderPointsRule virtual_goods;
  int64_t month_cap = 0;     // shopping_month = min(month_cap, D, S, C)
  int64_t day_cap = 0;       // D = Σ days min(day_cap, day points)
  int64_t shop_cap = 0;      // S = Σ shops min(shop_cap, shop points in the month)
  int64_t category_cap = 0;  // C = Σ categories min(category_cap, category points in the month)
};

struct RewardRules {
  int64_t review = 0;
  int64_t review_photos_bonus = 0;
  int64_t share = 0;
  int64_t post = 0;
  int64_t answer = 0;
  int64_t month_cap = 0;
};

struct ActiveRules {
  int64_t points_per_month = 0;  // for each window month with an order of positive net amount
};

struct BreadthRules {
  int64_t points_per_category = 0;
  int64_t free_categories = 0;  // categories that earn nothing ("beyond the first" = 1)
  int64_t cap = 0;
};

struct CreditLevelRule {
  int32_t level = 0;
  int64_t base = 0;
  int64_t multiplier_permille = 0;  // 1.1 = 1100
};

struct CreditRules {
  int32_t default_level = 0;  // a member's level before any credit event
  std::vector<CreditLevelRule> levels;  // sorted by level, contiguous from 1

  // REQUIRES: level is one of levels.
  const CreditLevelRule& ForLevel(int32_t level) const;
};

struct ScoreRules {
  int32_t window_months = 0;  // the score of month M covers M-window … M-1
  ShoppingRules shopping;
  RewardRules reward;
  ActiveRules active;
  BreadthRules breadth;
  CreditRules credit;
};

struct PublicationRules {
  int32_t day_of_month = 0;  // the publication instant is 00:00 program time on this day
};

struct Tier {
  std::string name;
  int64_t min_score = 0;
};

// A tier reached only by invitation (APASS): a member is eligible at min_score with net spend of at
// least min_net_spend in the window; an operator invites, the member accepts.
struct InvitationTier {
  std::string name;
  int64_t min_score = 0;
  Money min_net_spend;
};

struct TierRules {
  std::vector<Tier> tiers;  // ascending min_score; the first has min_score 0
  std::optional<InvitationTier> invitation;

  // The highest tier whose min_score ≤ score.
  const Tier& ForScore(int64_t score) const;
  // The rank of a tier name: its index in `tiers`, the invitation tier above every other; nullopt
  // when the program has no such tier. Eligibility rules ("from platinum up") compare ranks.
  std::optional<int32_t> Rank(std::string_view name) const;
};

struct PriceBand {
  int64_t min_score = 0;
  Money price;
};

// The paid plan's price table (PRODUCT §3), sold to members whose tier is at least min_tier.
struct PlanRules {
  std::vector<PriceBand> prices;  // ascending min_score; the first has min_score 0
  std::string min_tier;           // empty: sold to every tier
  int32_t term_days = 0;
  RefundPolicy refund_policy = RefundPolicy::kNone;  // [plan] refund_policy (paid plan feature)
};

struct ProgramConfig {
  std::string name;
  std::string rule_version;
  int32_t utc_offset_seconds = 0;
  PublicationRules publication;
  ScoreRules score;
  TierRules tiers;
  PlanRules plan;
  // Exclusive drops ([[drops]], PRODUCT §6); operator-created drops are kept in the store.
  DropsConfig drops;
  // Partners, benefits and checkout (issue 3; engine/benefit_config_loader.h).
  BenefitCatalog benefits;
  PointsConfig points;  // brand points programs (issue 5), core/ledger_config.h
};

}  // namespace onecard
