// The engagement score of PRODUCT §2. It runs once per member per publication (tens of millions of
// members), so it makes no maps and reuses one scratch buffer per thread: order points are
// collected as flat buckets and summed per day, shop and category by sorting.
#include "core/score.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/assert.h"

namespace onecard {

namespace {

// One order of the window, as the shopping caps see it.
struct OrderBucket {
  int32_t month_index = 0;  // 0 = the oldest month of the window
  int32_t day = 0;          // LocalDay of the purchase
  std::string_view shop;
  std::string_view category;
  int64_t points = 0;
  bool positive_net = false;
};

// The window [first, first + size) of months, and its bounds as instants and local days, so that
// records are placed with comparisons rather than a calendar conversion each.
struct Window {
  // What the window was built from: a publication scores millions of members with the same one.
  int32_t utc_offset_seconds = 0;
  int32_t day_of_month = 0;
  MonthKey month;

  ProgramTime time;
  MonthKey first;
  int32_t size = 0;
  Instant begin;                          // 00:00 local on the 1st of the first month
  Instant end;                            // 00:00 local on the 1st of the publication month
  Instant instant;                        // the publication instant (at or after end)
  std::vector<int32_t> month_start_days;  // size + 1 LocalDays, ascending

  bool Contains(Instant at) const { return begin <= at && at < end; }
  // REQUIRES: Contains(at) (for a day: a day of the window).
  int32_t IndexOfDay(LocalDay day) const {
    auto it = std::upper_bound(month_start_days.begin(), month_start_days.end(), day.value);
    return static_cast<int32_t>(it - month_start_days.begin()) - 1;
  }
  int32_t IndexOf(Instant at) const { return IndexOfDay(time.DayOf(at)); }
};

// The window of a publication, kept per thread and rebuilt only when the publication changes:
// building it takes a dozen calendar conversions, more than scoring a typical member.
const Window& WindowFor(const ProgramConfig& config, MonthKey month) {
  thread_local Window window;
  const int32_t size = config.score.window_months;
  if (window.size == size && window.month == month &&
      window.utc_offset_seconds == config.utc_offset_seconds &&
      window.day_of_month == config.publication.day_of_month) {
    return window;
  }
  window.utc_offset_seconds = config.utc_offset_seconds;
  window.day_of_month = config.publication.day_of_month;
  window.month = month;
  window.time = ProgramTime(config.utc_offset_seconds);
  window.first = month.plus(-size);
  window.size = size;
  window.begin = window.time.StartOfLocalDay(window.first, 1);
  window.end = window.time.StartOfLocalDay(month, 1);
  window.instant = PublicationInstant(config, month);
  window.month_start_days.clear();
  for (int32_t i = 0; i <= size; ++i) {
    Instant start = window.time.StartOfLocalDay(window.first.plus(i), 1);
    window.month_start_days.push_back(window.time.DayOf(start).value);
  }
  return window;
}

Money RefundedBefore(const OrderState& order, Instant instant) {
  Money refunded;
  // Refunds are sorted by time, so the first one at or after the instant ends the sum.
  for (const RefundRecord& refund : order.refunds) {
    if (refund.at >= instant) break;
    refunded += refund.amount;
  }
  return refunded;
}

// Order points of one window purchase: adds to its month's P and counters, and to the buckets.
void AddOrder(const OrderState& order, const ShoppingRules& rules, const Window& window,
              ScoreBreakdown& out, std::vector<OrderBucket>& buckets) {
  const PurchaseRecord& purchase = *order.purchase;
  Money net = purchase.amount - RefundedBefore(order, window.instant);
  if (net.minor < 0) net = Money{0};
  const OrderPointsRule& rule =
      purchase.goods == Goods::kVirtual ? rules.virtual_goods : rules.physical;
  int64_t raw = PointsForAmount(net, rule.rate_ppm);
  int64_t points = std::min(rule.cap_points, raw);
  LocalDay day = window.time.DayOf(purchase.at);
  int32_t index = window.IndexOfDay(day);
  MonthBreakdown& month = out.months[static_cast<size_t>(index)];
  ++month.orders;
  if (raw > rule.cap_points) {
    ++month.orders_capped;
    out.caps |= kCapOrder;
  }
  month.order_points += points;
  if (net.minor > 0) month.active = true;
  out.net_spend += net;
  buckets.push_back(
      OrderBucket{index, day.value, purchase.shop, purchase.category, points, net.minor > 0});
}

// The review counts in the month it was written, for an order bought before the instant (in or
// before the window, and possibly dated after the review).
void AddReview(const OrderState& order, const RewardRules& rules, const Window& window,
               ScoreBreakdown& out) {
  if (!order.review || !order.purchase || order.purchase->at >= window.instant) return;
  if (!window.Contains(order.review->at)) return;
  int64_t points = rules.review + (order.review->photos ? rules.review_photos_bonus : 0);
  out.months[static_cast<size_t>(window.IndexOf(order.review->at))].review_points += points;
}

// Refunds dated in the window that name an order not bought before the instant: like refunds
// naming no order, they change no score but lower the member's net spend.
Money RefundsOfUnknownOrder(const OrderState& order, const Window& window) {
  Money refunded;
  if (order.purchase && order.purchase->at < window.instant) return refunded;
  for (const RefundRecord& refund : order.refunds) {
    if (window.Contains(refund.at)) refunded += refund.amount;
  }
  return refunded;
}

// Sorts [begin, end) by `key` and returns Σ over groups of equal keys of min(cap, group sum).
template <typename It, typename Key>
int64_t CappedGroupSum(It begin, It end, Key key, int64_t cap) {
  std::sort(begin, end,
            [&](const OrderBucket& a, const OrderBucket& b) { return key(a) < key(b); });
  int64_t total = 0;
  for (It i = begin; i != end;) {
    int64_t sum = 0;
    It j = i;
    for (; j != end && key(*j) == key(*i); ++j) sum += j->points;
    total += std::min(cap, sum);
    i = j;
  }
  return total;
}

// Distinct categories with a positive-net order in the window. Sorting string views of a few
// orders is cheaper than any map, and the scratch vector is reused between calls.
int64_t CountCategories(const std::vector<OrderBucket>& buckets) {
  thread_local std::vector<std::string_view> categories;
  categories.clear();
  for (const OrderBucket& bucket : buckets) {
    if (bucket.positive_net) categories.push_back(bucket.category);
  }
  std::sort(categories.begin(), categories.end());
  auto count = std::unique(categories.begin(), categories.end()) - categories.begin();
  categories.clear();
  return count;
}

// D, S and C of every month. One sort by (month, day) gives D and splits the buckets into months;
// shops and categories are then sorted within each month, where there are only a few orders.
void SumShopping(std::vector<OrderBucket>& buckets, const ShoppingRules& rules,
                 ScoreBreakdown& out) {
  out.categories = CountCategories(buckets);
  std::sort(buckets.begin(), buckets.end(), [](const OrderBucket& a, const OrderBucket& b) {
    return std::tie(a.month_index, a.day) < std::tie(b.month_index, b.day);
  });
  for (auto begin = buckets.begin(); begin != buckets.end();) {
    auto end = begin;
    while (end != buckets.end() && end->month_index == begin->month_index) ++end;
    MonthBreakdown& month = out.months[static_cast<size_t>(begin->month_index)];
    month.day_sum = CappedGroupSum(
        begin, end, [](const OrderBucket& b) { return b.day; }, rules.day_cap);
    month.shop_sum = CappedGroupSum(
        begin, end, [](const OrderBucket& b) { return b.shop; }, rules.shop_cap);
    month.category_sum = CappedGroupSum(
        begin, end, [](const OrderBucket& b) { return b.category; }, rules.category_cap);
    begin = end;
  }
}

// shopping_month = min(month_cap, D, S, C), which bound set it, and which caps bit.
void FinishShoppingMonth(const ShoppingRules& rules, MonthBreakdown& m, uint32_t& caps) {
  int64_t bounds_min = std::min({m.day_sum, m.shop_sum, m.category_sum});
  m.shopping = std::min(rules.month_cap, bounds_min);
  if (m.day_sum < m.order_points) caps |= kCapDay;
  if (m.shop_sum < m.order_points) caps |= kCapShop;
  if (m.category_sum < m.order_points) caps |= kCapCategory;
  if (rules.month_cap < bounds_min) caps |= kCapShoppingMonth;
  // D, S and C never exceed P, so shopping < P exactly when some bound bit.
  if (m.shopping == m.order_points) {
    m.bound = ShoppingBound::kNone;
  } else if (m.day_sum == m.shopping) {
    m.bound = ShoppingBound::kDayCap;
  } else if (m.shop_sum == m.shopping) {
    m.bound = ShoppingBound::kShopCap;
  } else if (m.category_sum == m.shopping) {
    m.bound = ShoppingBound::kCategoryCap;
  } else {
    m.bound = ShoppingBound::kMonthCap;
  }
}

// Social points of the window's months, and refunds naming no order (for net spend only).
Money AddSocial(const MemberState& state, const RewardRules& rules, const Window& window,
                ScoreBreakdown& out) {
  Money unnamed_refunds;
  for (const MonthActivity& activity : state.months()) {
    int32_t index = activity.month.value - window.first.value;
    if (index < 0) continue;
    if (index >= window.size) break;  // months are sorted
    out.months[static_cast<size_t>(index)].social_points += activity.shares * rules.share +
                                                            activity.posts * rules.post +
                                                            activity.answers * rules.answer;
    unnamed_refunds += activity.unnamed_refunds;
  }
  return unnamed_refunds;
}

// The level of the latest credit event before the instant; credits are sorted by day and each
// day's record lies within that day, so the last one before the instant is the latest.
int32_t CreditLevelAt(const MemberState& state, const CreditRules& rules, Instant instant) {
  const std::vector<CreditRecord>& credits = state.credits();
  for (auto it = credits.rbegin(); it != credits.rend(); ++it) {
    if (it->at < instant) return it->level;
  }
  return rules.default_level;
}

// Totals of the per-month parts, breadth, credit and the score itself.
void FinishScore(const MemberState& state, const ScoreRules& rules, ScoreBreakdown& out) {
  for (MonthBreakdown& m : out.months) {
    FinishShoppingMonth(rules.shopping, m, out.caps);
    int64_t reward_raw = m.review_points + m.social_points;
    m.reward = std::min(rules.reward.month_cap, reward_raw);
    if (reward_raw > rules.reward.month_cap) out.caps |= kCapRewardMonth;
    out.shopping += m.shopping;
    out.reward += m.reward;
    if (m.active) out.active += rules.active.points_per_month;
  }
  int64_t paid_categories = std::max<int64_t>(0, out.categories - rules.breadth.free_categories);
  int64_t breadth_raw = rules.breadth.points_per_category * paid_categories;
  out.breadth = std::min(rules.breadth.cap, breadth_raw);
  if (breadth_raw > rules.breadth.cap) out.caps |= kCapBreadth;

  out.credit_level = CreditLevelAt(state, rules.credit, out.instant);
  const CreditLevelRule& credit = rules.credit.ForLevel(out.credit_level);
  out.credit_base = credit.base;
  out.multiplier_permille = credit.multiplier_permille;
  int64_t sum = out.shopping + out.reward + out.active + out.breadth;
  // round_half_up(multiplier × sum) in integers; sum is never negative.
  out.score = credit.base + (credit.multiplier_permille * sum + 500) / 1000;
}

}  // namespace

std::string_view ShoppingBoundName(ShoppingBound bound) {
  switch (bound) {
    case ShoppingBound::kNone:
      return "none";
    case ShoppingBound::kMonthCap:
      return "month_cap";
    case ShoppingBound::kDayCap:
      return "day_cap";
    case ShoppingBound::kShopCap:
      return "shop_cap";
    case ShoppingBound::kCategoryCap:
      return "category_cap";
  }
  return "none";
}

std::vector<std::string_view> CapBitNames(uint32_t caps) {
  static constexpr std::pair<uint32_t, std::string_view> kNames[] = {
      {kCapOrder, "order"},
      {kCapDay, "day"},
      {kCapShop, "shop"},
      {kCapCategory, "category"},
      {kCapShoppingMonth, "shopping_month"},
      {kCapRewardMonth, "reward_month"},
      {kCapBreadth, "breadth"}};
  std::vector<std::string_view> names;
  for (const auto& [bit, name] : kNames) {
    if ((caps & bit) != 0) names.push_back(name);
  }
  return names;
}

Instant PublicationInstant(const ProgramConfig& config, MonthKey month) {
  ProgramTime time(config.utc_offset_seconds);
  return time.StartOfLocalDay(month, config.publication.day_of_month);
}

bool IsCovered(const MemberState& state, Instant instant) {
  return state.has_events() && state.first_event_at() < instant;
}

ScoreBreakdown ComputeScore(const MemberState& state, const ProgramConfig& config, MonthKey month) {
  const ScoreRules& rules = config.score;
  ONECARD_ASSERT(rules.window_months > 0);
  const Window& window = WindowFor(config, month);
  ScoreBreakdown out;
  out.month = month;
  out.instant = window.instant;
  out.months.resize(static_cast<size_t>(window.size));
  for (int32_t i = 0; i < window.size; ++i) {
    out.months[static_cast<size_t>(i)].month = window.first.plus(i);
  }

  // One buffer per thread, kept between calls, so that scoring a member allocates nothing but
  // its breakdown.
  thread_local std::vector<OrderBucket> buckets;
  buckets.clear();
  Money unnamed_refunds;
  for (const OrderState& order : state.orders()) {
    if (order.purchase && window.Contains(order.purchase->at)) {
      AddOrder(order, rules.shopping, window, out, buckets);
    }
    AddReview(order, rules.reward, window, out);
    unnamed_refunds += RefundsOfUnknownOrder(order, window);
  }
  SumShopping(buckets, rules.shopping, out);
  unnamed_refunds += AddSocial(state, rules.reward, window, out);
  out.net_spend -= unnamed_refunds;
  if (out.net_spend.minor < 0) out.net_spend = Money{0};
  FinishScore(state, rules, out);
  buckets.clear();  // the views point into `state`; drop them before it can go away
  return out;
}

bool EligibleForInvitation(const TierRules& tiers, const ScoreBreakdown& breakdown) {
  if (!tiers.invitation) return false;
  return breakdown.score >= tiers.invitation->min_score &&
         breakdown.net_spend >= tiers.invitation->min_net_spend;
}

std::string PublishedTier(const TierRules& tiers, const ScoreBreakdown& breakdown,
                          bool accepted_invitation) {
  if (accepted_invitation && EligibleForInvitation(tiers, breakdown)) {
    return tiers.invitation->name;
  }
  return tiers.ForScore(breakdown.score).name;
}

}  // namespace onecard
