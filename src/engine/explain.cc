#include "engine/explain.h"

namespace onecard {
namespace {

using std::to_string;

std::string ShoppingLine(const MonthBreakdown& m, const ShoppingRules& rules) {
  std::string line = "  " + FormatMonthKey(m.month) + ": shopping " + to_string(m.shopping) +
                     " of " + to_string(rules.month_cap) + " this month";
  switch (m.bound) {
    case ShoppingBound::kNone:
      break;
    case ShoppingBound::kMonthCap:
      line += ": the monthly cap of " + to_string(rules.month_cap) + " was reached";
      break;
    case ShoppingBound::kDayCap:
      line += ": the daily cap of " + to_string(rules.day_cap) + " was reached";
      break;
    case ShoppingBound::kShopCap:
      line += ": the shop cap of " + to_string(rules.shop_cap) + " was reached";
      break;
    case ShoppingBound::kCategoryCap:
      line += ": the category cap of " + to_string(rules.category_cap) + " was reached";
      break;
  }
  line += " (" + to_string(m.orders) + (m.orders == 1 ? " order" : " orders") + " worth " +
          to_string(m.order_points) + (m.order_points == 1 ? " point" : " points");
  if (m.orders_capped > 0) {
    line += ", " + to_string(m.orders_capped) + " at the per-order cap";
  }
  return line + ")";
}

std::string RewardLine(const MonthBreakdown& m, const RewardRules& rules) {
  std::string line = "  " + FormatMonthKey(m.month) + ": reward " + to_string(m.reward) + " of " +
                     to_string(rules.month_cap) + " (reviews " + to_string(m.review_points) +
                     ", shares, posts and answers " + to_string(m.social_points) + ")";
  if (m.review_points + m.social_points > m.reward) {
    line += ": the monthly cap of " + to_string(rules.month_cap) + " was reached";
  }
  return line;
}

}  // namespace

std::string FormatPermille(int64_t permille) {
  std::string text = to_string(permille / 1000);
  int64_t fraction = permille % 1000;
  if (fraction == 0) return text;
  std::string digits = to_string(1000 + fraction).substr(1);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return text + "." + digits;
}

std::vector<std::string> ExplainBreakdown(const ScoreBreakdown& b, const ProgramConfig& config) {
  const ScoreRules& rules = config.score;
  const ProgramTime time(config.utc_offset_seconds);
  const int64_t parts = b.shopping + b.reward + b.active + b.breadth;
  std::vector<std::string> lines;
  lines.push_back("score " + to_string(b.score) + " published for " + FormatMonthKey(b.month) +
                  " (events before " + time.FormatLocal(b.instant) + "): credit level " +
                  to_string(b.credit_level) + " gives a base of " + to_string(b.credit_base) +
                  " plus " + FormatPermille(b.multiplier_permille) + " × " + to_string(parts) +
                  " points (shopping " + to_string(b.shopping) + " + reward " +
                  to_string(b.reward) + " + active " + to_string(b.active) + " + breadth " +
                  to_string(b.breadth) + "), rounded");
  std::vector<std::string> shopping_lines;
  for (const MonthBreakdown& m : b.months) {
    if (m.orders > 0) shopping_lines.push_back(ShoppingLine(m, rules.shopping));
  }
  if (shopping_lines.empty()) {
    lines.push_back("shopping 0: no orders in the window");
  } else {
    lines.push_back("shopping " + to_string(b.shopping) + ", month by month:");
    lines.insert(lines.end(), shopping_lines.begin(), shopping_lines.end());
  }
  std::vector<std::string> reward_lines;
  for (const MonthBreakdown& m : b.months) {
    if (m.review_points + m.social_points > 0) reward_lines.push_back(RewardLine(m, rules.reward));
  }
  if (reward_lines.empty()) {
    lines.push_back("reward 0: no reviews, shares, posts or answers in the window");
  } else {
    lines.push_back("reward " + to_string(b.reward) + ", month by month:");
    lines.insert(lines.end(), reward_lines.begin(), reward_lines.end());
  }
  int64_t active_months = 0;
  for (const MonthBreakdown& m : b.months) active_months += m.active ? 1 : 0;
  lines.push_back("active " + to_string(b.active) + ": " + to_string(active_months) + " of " +
                  to_string(b.months.size()) + " months with a paid order, " +
                  to_string(rules.active.points_per_month) + " points each");
  std::string breadth =
      "breadth " + to_string(b.breadth) + ": " + to_string(b.categories) +
      (b.categories == 1 ? " category" : " categories") + " bought, " +
      to_string(rules.breadth.points_per_category) + " points for each beyond the " +
      (rules.breadth.free_categories == 1 ? std::string("first")
                                          : "first " + to_string(rules.breadth.free_categories));
  if ((b.caps & kCapBreadth) != 0) {
    breadth += ": the cap of " + to_string(rules.breadth.cap) + " was reached";
  }
  lines.push_back(breadth);
  lines.push_back("net spend in the window: " + FormatMoney(b.net_spend));
  return lines;
}

}  // namespace onecard
