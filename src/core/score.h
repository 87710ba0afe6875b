// The engagement score of PRODUCT §2, computed for one member at one publication from the member's
// folded state, with the breakdown that explains it (the five parts, per month, and which caps
// bit). Pure: the instant and the rules come in as arguments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/member_state.h"
#include "core/money.h"
#include "core/program_config.h"
#include "core/program_time.h"

namespace onecard {

// Bits of ScoreBreakdown::caps: which caps reduced a part anywhere in the window.
enum CapBit : uint32_t {
  kCapOrder = 1u << 0,          // an order's points hit the per-order cap
  kCapDay = 1u << 1,            // D < P in some month
  kCapShop = 1u << 2,           // S < P in some month
  kCapCategory = 1u << 3,       // C < P in some month
  kCapShoppingMonth = 1u << 4,  // the month cap was the smallest bound in some month
  kCapRewardMonth = 1u << 5,    // reward points above the month cap in some month
  kCapBreadth = 1u << 6,        // more categories than the breadth cap pays for
};

// The names of the bits set in `caps`, in bit order: "order", "day", "shop", "category",
// "shopping_month", "reward_month", "breadth".
std::vector<std::string_view> CapBitNames(uint32_t caps);

// Which bound set shopping_month = min(month_cap, D, S, C): the smallest one that is below P
// (none when every bound left P whole).
enum class ShoppingBound : uint8_t { kNone, kMonthCap, kDayCap, kShopCap, kCategoryCap };
std::string_view ShoppingBoundName(ShoppingBound bound);

struct MonthBreakdown {
  MonthKey month;
  int64_t orders = 0;         // orders bought this month (any net)
  int64_t orders_capped = 0;  // of which hit the per-order cap
  int64_t order_points = 0;   // P
  int64_t day_sum = 0;        // D
  int64_t shop_sum = 0;       // S
  int64_t category_sum = 0;   // C
  int64_t shopping = 0;       // min(month_cap, D, S, C)
  ShoppingBound bound = ShoppingBound::kNone;
  int64_t review_points = 0;
  int64_t social_points = 0;  // shares, posts, answers
  int64_t reward = 0;         // min(month_cap, review_points + social_points)
  bool active = false;
  friend bool operator==(const MonthBreakdown&, const MonthBreakdown&) = default;
};

struct ScoreBreakdown {
  MonthKey month;  // the publication month
  Instant instant;
  std::vector<MonthBreakdown> months;  // the window, oldest first
  int64_t shopping = 0;
  int64_t reward = 0;
  int64_t active = 0;
  int64_t breadth = 0;
  int64_t categories = 0;  // distinct categories bought with positive net in the window
  int32_t credit_level = 0;
  int64_t credit_base = 0;
  int64_t multiplier_permille = 0;
  int64_t score = 0;
  // Window purchases, each net of its refunds dated before the instant, less the refunds dated in
  // the window that name no order or an order not bought before the instant; not below 0.
  // Refunds of orders bought before the window belong to that older spend and are not counted.
  Money net_spend;
  uint32_t caps = 0;
  friend bool operator==(const ScoreBreakdown&, const ScoreBreakdown&) = default;
};

// The publication instant of month M: 00:00 program time on the configured day of M.
Instant PublicationInstant(const ProgramConfig& config, MonthKey month);

// A publication covers a member with at least one event dated before its instant.
bool IsCovered(const MemberState& state, Instant instant);

// Computes the score of `state` for the publication of `month`, counting only events dated before
// the publication instant. REQUIRES: IsCovered(state, PublicationInstant(config, month)).
// REQUIRES also: the state was folded with the config's program time (days are local days).
ScoreBreakdown ComputeScore(const MemberState& state, const ProgramConfig& config, MonthKey month);
// The same into *out, reusing the memory it holds: a publication scores millions of members
// without allocating per member.
void ComputeScoreInto(const MemberState& state, const ProgramConfig& config, MonthKey month,
                      ScoreBreakdown* out);

// The invitation tier's eligibility (score and net spend); false when the program has none.
bool EligibleForInvitation(const TierRules& tiers, const ScoreBreakdown& breakdown);

// The tier published with a score: the invitation tier for a member who accepted an invitation and
// is still eligible, else the highest tier whose min_score the score reaches.
std::string PublishedTier(const TierRules& tiers, const ScoreBreakdown& breakdown,
                          bool accepted_invitation);

}  // namespace onecard
