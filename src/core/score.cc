// The engagement score of PRODUCT §2. It runs once per member per publication (tens of millions of
// members), so it makes no maps and reuses scratch buffers per thread: order points are collected
// as flat buckets, summed per day by sorting and per shop and category by dictionary index.
#include "core/score.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/assert.h"

namespace onecard {

namespace {

// One order of the window, as the shopping caps see it. Shop and category are indices into the
// member's dictionary, so grouping by them needs no string compares.
struct OrderBucket {
  int32_t month_index = 0;  // 0 = the oldest month of the window
  int32_t day = 0;          // LocalDay of the purchase
  uint32_t shop = 0;
  uint32_t category = 0;
  int64_t points = 0;
  bool positive_net = false;
};

// The window [first, first + size) of months, and its bounds as instants and local days. Every
// bound is a local midnight, so a record's local day places it exactly.
struct Window {
  // What the window was built from: a publication scores millions of members with the same one.
  int32_t utc_offset_seconds = 0;
  int32_t day_of_month = 0;
  MonthKey month;

  ProgramTime time;
  MonthKey first;
  int32_t size = 0;
  Instant begin;    // 00:00 local on the 1st of the first month
  Instant end;      // 00:00 local on the 1st of the publication month
  Instant instant;  // the publication instant (at or after end)
  int32_t begin_day = 0;
  int32_t end_day = 0;
  int32_t instant_day = 0;
  std::vector<int16_t> month_of_day;  // window month index of each day in [begin_day, end_day)
  std::vector<MonthBreakdown> blank_months;  // the window's months, all parts zero

  bool Contains(Instant at) const { return begin <= at && at < end; }
  bool ContainsDay(int32_t day) const { return begin_day <= day && day < end_day; }
  // REQUIRES: ContainsDay(day).
  int32_t IndexOfDay(int32_t day) const {
    return month_of_day[static_cast<size_t>(day - begin_day)];
  }
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
  window.begin_day = window.time.DayOf(window.begin).value;
  window.end_day = window.time.DayOf(window.end).value;
  window.instant_day = window.time.DayOf(window.instant).value;
  window.month_of_day.clear();
  window.blank_months.assign(static_cast<size_t>(size), MonthBreakdown());
  for (int32_t i = 0; i < size; ++i) {
    window.blank_months[static_cast<size_t>(i)].month = window.first.plus(i);
    const int32_t from =
        window.time.DayOf(window.time.StartOfLocalDay(window.first.plus(i), 1)).value;
    const int32_t to =
        window.time.DayOf(window.time.StartOfLocalDay(window.first.plus(i + 1), 1)).value;
    window.month_of_day.insert(window.month_of_day.end(), static_cast<size_t>(to - from),
                               static_cast<int16_t>(i));
  }
  return window;
}

// Per-thread scratch of the score, kept between members so that scoring allocates nothing once
// it has seen a member of each size.
struct Scratch {
  std::vector<OrderBucket> buckets;
  std::vector<int64_t> sums;  // per dictionary index: points of one month's shop or category
  std::vector<uint8_t> seen;  // per dictionary index: a category already counted
  void Prepare(size_t dictionary_size) {
    buckets.clear();
    if (sums.size() < dictionary_size) sums.resize(dictionary_size, 0);
    if (seen.size() < dictionary_size) seen.resize(dictionary_size, 0);
  }
};

using Order = MemberState::OrderRecord;
using Refund = MemberState::RefundRecord;

// Order points of one window purchase: adds to its month's P and counters, and to the buckets.
void AddOrder(const MemberState& state, const Order& order, const ShoppingRules& rules,
              const Window& window, ScoreBreakdown& out, std::vector<OrderBucket>& buckets) {
  int64_t refunded = 0;
  // Refunds are sorted by day; only those dated before the instant count in this publication.
  auto [begin, end] = state.RefundsOf(order);
  for (const Refund* refund = begin; refund != end && refund->day < window.instant_day; ++refund) {
    refunded += refund->amount;
  }
  const Money net{std::max<int64_t>(0, order.amount - refunded)};
  const OrderPointsRule& rule =
      (order.flags & MemberState::kVirtual) != 0 ? rules.virtual_goods : rules.physical;
  const int64_t raw = PointsForAmount(net, rule.rate_ppm);
  const int64_t points = std::min(rule.cap_points, raw);
  const int32_t index = window.IndexOfDay(order.day);
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
      OrderBucket{index, order.day, order.shop, order.category, points, net.minor > 0});
}

// The review counts in the month it was written, for an order bought before the instant (in or
// before the window, and possibly dated after the review).
void AddReview(const Order& order, const RewardRules& rules, const Window& window,
               ScoreBreakdown& out) {
  constexpr uint8_t kNeeded = MemberState::kHasReview | MemberState::kHasPurchase;
  if ((order.flags & kNeeded) != kNeeded || order.day >= window.instant_day) return;
  const Instant at{order.review_at};
  if (!window.Contains(at)) return;
  const int64_t points =
      rules.review +
      ((order.flags & MemberState::kReviewPhotos) != 0 ? rules.review_photos_bonus : 0);
  out.months[static_cast<size_t>(window.IndexOfDay(window.time.DayOf(at).value))].review_points +=
      points;
}

// Refunds dated in the window that name an order not bought before the instant: like refunds
// naming no order, they change no score but lower the member's net spend.
int64_t RefundsOfUnknownOrder(const MemberState& state, const Order& order, const Window& window) {
  if ((order.flags & MemberState::kHasPurchase) != 0 && order.day < window.instant_day) return 0;
  int64_t refunded = 0;
  auto [begin, end] = state.RefundsOf(order);
  for (const Refund* refund = begin; refund != end; ++refund) {
    if (window.ContainsDay(refund->day)) refunded += refund->amount;
  }
  return refunded;
}

// Σ over the groups of equal `key` in [begin, end) of min(cap, group sum), with a per-dictionary
// accumulator instead of a sort (the accumulator is left all zero again).
int64_t CappedSumByName(const OrderBucket* begin, const OrderBucket* end,
                        uint32_t OrderBucket::*key, int64_t cap, std::vector<int64_t>& sums) {
  for (const OrderBucket* b = begin; b != end; ++b) sums[b->*key] += b->points;
  int64_t total = 0;
  for (const OrderBucket* b = begin; b != end; ++b) {
    int64_t& sum = sums[b->*key];
    if (sum >= 0) {  // points are never negative; -1 marks a group already counted
      total += std::min(cap, sum);
      sum = -1;
    }
  }
  for (const OrderBucket* b = begin; b != end; ++b) sums[b->*key] = 0;
  return total;
}

// Distinct categories with a positive-net order in the window.
int64_t CountCategories(const std::vector<OrderBucket>& buckets, std::vector<uint8_t>& seen) {
  int64_t count = 0;
  for (const OrderBucket& bucket : buckets) {
    if (bucket.positive_net && seen[bucket.category] == 0) {
      seen[bucket.category] = 1;
      ++count;
    }
  }
  for (const OrderBucket& bucket : buckets) seen[bucket.category] = 0;
  return count;
}

// D, S and C of every month. One sort by (month, day) gives D and splits the buckets into months;
// shops and categories are summed within each month by dictionary index.
void SumShopping(Scratch& scratch, const ShoppingRules& rules, ScoreBreakdown& out) {
  std::vector<OrderBucket>& buckets = scratch.buckets;
  out.categories = CountCategories(buckets, scratch.seen);
  std::sort(buckets.begin(), buckets.end(), [](const OrderBucket& a, const OrderBucket& b) {
    return a.month_index != b.month_index ? a.month_index < b.month_index : a.day < b.day;
  });
  const OrderBucket* const all_end = buckets.data() + buckets.size();
  for (const OrderBucket* begin = buckets.data(); begin != all_end;) {
    const OrderBucket* end = begin;
    while (end != all_end && end->month_index == begin->month_index) ++end;
    MonthBreakdown& month = out.months[static_cast<size_t>(begin->month_index)];
    int64_t day_sum = 0;
    for (const OrderBucket* day = begin; day != end;) {
      int64_t sum = 0;
      const OrderBucket* next = day;
      for (; next != end && next->day == day->day; ++next) sum += next->points;
      day_sum += std::min(rules.day_cap, sum);
      day = next;
    }
    month.day_sum = day_sum;
    month.shop_sum = CappedSumByName(begin, end, &OrderBucket::shop, rules.shop_cap, scratch.sums);
    month.category_sum =
        CappedSumByName(begin, end, &OrderBucket::category, rules.category_cap, scratch.sums);
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
  const std::vector<MemberState::CreditRecord>& credits = state.credit_records();
  for (auto it = credits.rbegin(); it != credits.rend(); ++it) {
    if (it->at < instant.us) return it->level;
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

void ComputeScoreInto(const MemberState& state, const ProgramConfig& config, MonthKey month,
                      ScoreBreakdown* out) {
  const ScoreRules& rules = config.score;
  ONECARD_ASSERT(rules.window_months > 0);
  const Window& window = WindowFor(config, month);
  // Every field is set again; the months vector keeps its memory.
  std::vector<MonthBreakdown> months = std::move(out->months);
  *out = ScoreBreakdown();
  out->months = std::move(months);
  out->month = month;
  out->instant = window.instant;
  out->months = window.blank_months;  // a copy into the memory out->months already holds

  thread_local Scratch scratch;
  scratch.Prepare(state.dictionary_size());
  int64_t unnamed_refunds = 0;
  for (const Order& order : state.order_records()) {
    if ((order.flags & MemberState::kHasPurchase) != 0 && window.ContainsDay(order.day)) {
      AddOrder(state, order, rules.shopping, window, *out, scratch.buckets);
    }
    if ((order.flags & MemberState::kHasReview) != 0) AddReview(order, rules.reward, window, *out);
    if ((order.flags & MemberState::kHasRefunds) != 0) {
      unnamed_refunds += RefundsOfUnknownOrder(state, order, window);
    }
  }
  SumShopping(scratch, rules.shopping, *out);
  unnamed_refunds += AddSocial(state, rules.reward, window, *out).minor;
  out->net_spend -= Money{unnamed_refunds};
  if (out->net_spend.minor < 0) out->net_spend = Money{0};
  FinishScore(state, rules, *out);
}

ScoreBreakdown ComputeScore(const MemberState& state, const ProgramConfig& config, MonthKey month) {
  ScoreBreakdown out;
  ComputeScoreInto(state, config, month, &out);
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
