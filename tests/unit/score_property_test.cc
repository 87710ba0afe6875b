// Properties over random event streams: folding is order-independent, the score matches a direct
// (slow, map-based) reading of PRODUCT §2 over the raw events, and the state's binary form round
// trips and rejects truncated or garbled bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/member_state.h"
#include "core/score.h"
#include "support/default_score_config.h"

namespace onecard {
namespace {

constexpr int64_t kUsPerSecond = 1'000'000;

ProgramConfig DefaultConfig() { return test_support::DefaultScoreConfig(); }

// Another shape of the rules, so that the code is not right by accident for the defaults only:
// west of UTC, published on the 1st (the instant is the window's end), a short window and tight
// caps that bite often.
ProgramConfig TightConfig() {
  ProgramConfig config = DefaultConfig();
  config.utc_offset_seconds = -5 * 3600;
  config.publication.day_of_month = 1;
  config.score.window_months = 5;
  config.score.shopping = {{130'000, 40}, {70'000, 15}, 90, 45, 60, 70};
  config.score.reward = {3, 2, 1, 1, 2, 12};
  config.score.breadth = {7, 2, 12};
  config.score.credit.default_level = 1;
  return config;
}

// A random stream of one member's events around 2023-2024, dense in time so that days, shops
// and categories collide and every cap gets to bite; ids are shuffled against time.
class StreamMaker {
 public:
  StreamMaker(uint64_t seed, const ProgramTime& time) : rng_(seed), time_(time) {}

  std::vector<Event> Make() {
    int count = Uniform(1, 70);
    std::vector<int> ids(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) ids[static_cast<size_t>(i)] = i;
    std::shuffle(ids.begin(), ids.end(), rng_);
    std::vector<Event> events;
    for (int i = 0; i < count; ++i) events.push_back(MakeOne(ids[static_cast<size_t>(i)]));
    return events;
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Uniform(0, static_cast<int>(items.size()) - 1))];
  }

  // `months` from 2023-01: social actions crowd into a few months so that the reward cap bites.
  Instant RandomAt(int months = 18) {
    MonthKey month = MonthKey::FromYearMonth(2023, 1).plus(Uniform(0, months - 1) * 18 / months);
    if (Uniform(0, 5) == 0) {
      // Edges: local midnight on the 1st or a publication day, or a microsecond before.
      Instant edge = time_.StartOfLocalDay(month, Pick(std::vector<int32_t>{1, 8}));
      return Instant{edge.us - Uniform(0, 1)};
    }
    Instant day = time_.StartOfLocalDay(month, Pick(std::vector<int32_t>{1, 2, 3, 7, 8, 9, 28}));
    // Few distinct times of day, so that equal instants (ties) happen.
    return Instant{day.us + Uniform(0, 23) * 3600 * kUsPerSecond + Uniform(0, 3) * kUsPerSecond};
  }

  Event MakeOne(int id_number) {
    static const std::vector<std::string> kOrders = {"o1", "o2", "o3", "o4", "o5", "o6", "o7",
                                                     "o8", "o9", "oa", "ob", "oc", "od", "oe",
                                                     "of", "og", "oh", "oi", "oj", "ok"};
    Event event;
    char id[16];
    std::snprintf(id, sizeof id, "e%03d", id_number);
    event.id = id;
    event.member = "m1";
    event.at = RandomAt();
    int kind = Uniform(0, 99);
    if (kind < 35) {
      event.type = EventType::kPurchase;
      // Order ids are unique per member: pick one not bought yet, rarely a repeat (such a
      // stream is skipped, as the fold rejects its second purchase).
      event.order = Pick(kOrders);
      for (int tries = 0; tries < 8 && purchased_.count(event.order) > 0; ++tries) {
        event.order = Pick(kOrders);
      }
      purchased_.insert(event.order);
      event.amount = Money{Uniform(0, 80'000) * (Uniform(0, 9) == 0 ? 10 : 1)};
      event.site = "tmall";
      event.shop = Pick(std::vector<std::string>{"s1", "s2", "s3"});
      event.category = Pick(std::vector<std::string>{"c1", "c2", "c3", "c4"});
      event.goods = Uniform(0, 3) == 0 ? Goods::kVirtual : Goods::kPhysical;
    } else if (kind < 50) {
      event.type = EventType::kRefund;
      event.order = Uniform(0, 3) == 0 ? "" : Pick(kOrders);
      event.amount = Money{Uniform(0, 30'000)};
    } else if (kind < 65) {
      event.type = EventType::kReview;
      event.order = Pick(kOrders);
      event.photos = Uniform(0, 1) == 1;
    } else if (kind < 85) {
      event.type =
          Pick(std::vector<EventType>{EventType::kShare, EventType::kPost, EventType::kAnswer});
      event.site = "taobao";
      event.at = RandomAt(3);
    } else if (kind < 95) {
      event.type = EventType::kCredit;
      event.level = Uniform(1, 5);
    } else {
      event.type = EventType::kVisit;
      event.site = "eleme";
    }
    return event;
  }

  std::mt19937_64 rng_;
  const ProgramTime& time_;
  std::set<std::string> purchased_;
};

bool HasDuplicatePurchase(const std::vector<Event>& events) {
  std::set<std::string> orders;
  for (const Event& event : events) {
    if (event.type == EventType::kPurchase && !orders.insert(event.order).second) return true;
  }
  return false;
}

MemberState Fold(const std::vector<Event>& events, const ProgramTime& time) {
  MemberState state("m1");
  for (const Event& event : events) {
    Status status = state.Apply(event, time);
    EXPECT_TRUE(status.ok()) << status.error().ToString();
  }
  return state;
}

// The parts of a score, computed straight from the events with maps, as PRODUCT §2 reads.
struct Reference {
  std::map<int32_t, int64_t> order_points, day_sum, shop_sum, category_sum, review, social;
  int64_t shopping = 0, reward = 0, active = 0, breadth = 0, score = 0;
  int32_t level = 0;
  Money net_spend;
};

// The counting review of each order: earliest, then photos, then smallest id.
std::map<std::string, const Event*> BestReviews(const std::vector<Event>& events) {
  std::map<std::string, const Event*> best;
  for (const Event& e : events) {
    if (e.type != EventType::kReview) continue;
    const Event*& kept = best[e.order];
    if (kept == nullptr || std::make_tuple(e.at, !e.photos, e.id) <
                               std::make_tuple(kept->at, !kept->photos, kept->id)) {
      kept = &e;
    }
  }
  return best;
}

void ReferenceShopping(const std::vector<Event>& events, const ProgramConfig& config,
                       MonthKey first, Instant instant, Reference& ref) {
  ProgramTime time(config.utc_offset_seconds);
  const ShoppingRules& rules = config.score.shopping;
  auto in_window = [&](Instant at) {
    int32_t i = time.MonthOf(at).value - first.value;
    return i >= 0 && i < config.score.window_months;
  };
  std::map<std::pair<int32_t, int32_t>, int64_t> days;
  std::map<std::pair<int32_t, std::string>, int64_t> shops, categories;
  std::set<std::string> bought_categories;
  std::set<int32_t> active_months;
  for (const Event& p : events) {
    if (p.type != EventType::kPurchase || !in_window(p.at)) continue;
    Money net = p.amount;
    for (const Event& r : events) {
      if (r.type == EventType::kRefund && r.order == p.order && r.at < instant) net -= r.amount;
    }
    net = std::max(net, Money{0});
    const OrderPointsRule& rule = p.goods == Goods::kVirtual ? rules.virtual_goods : rules.physical;
    int64_t points = std::min(rule.cap_points, net.minor * rule.rate_ppm / 100'000'000);
    int32_t month = time.MonthOf(p.at).value;
    ref.order_points[month] += points;
    days[{month, time.DayOf(p.at).value}] += points;
    shops[{month, p.shop}] += points;
    categories[{month, p.category}] += points;
    if (net.minor > 0) {
      bought_categories.insert(p.category);
      active_months.insert(month);
    }
    ref.net_spend += net;
  }
  for (const auto& [key, sum] : days) ref.day_sum[key.first] += std::min(rules.day_cap, sum);
  for (const auto& [key, sum] : shops) ref.shop_sum[key.first] += std::min(rules.shop_cap, sum);
  for (const auto& [key, sum] : categories) {
    ref.category_sum[key.first] += std::min(rules.category_cap, sum);
  }
  for (const auto& [month, p] : ref.order_points) {
    ref.shopping += std::min(
        {rules.month_cap, ref.day_sum[month], ref.shop_sum[month], ref.category_sum[month]});
  }
  ref.active = config.score.active.points_per_month * static_cast<int64_t>(active_months.size());
  const BreadthRules& breadth = config.score.breadth;
  int64_t paid = std::max<int64_t>(
      0, static_cast<int64_t>(bought_categories.size()) - breadth.free_categories);
  ref.breadth = std::min(breadth.cap, breadth.points_per_category * paid);
}

Reference ComputeReference(const std::vector<Event>& events, const ProgramConfig& config,
                           MonthKey month) {
  ProgramTime time(config.utc_offset_seconds);
  Instant instant = PublicationInstant(config, month);
  MonthKey first = month.plus(-config.score.window_months);
  auto window_index = [&](Instant at) { return time.MonthOf(at).value - first.value; };
  auto in_window = [&](Instant at) {
    int32_t i = window_index(at);
    return i >= 0 && i < config.score.window_months;
  };
  Reference ref;
  ReferenceShopping(events, config, first, instant, ref);
  const RewardRules& reward = config.score.reward;
  std::map<std::string, Instant> bought;
  for (const Event& e : events) {
    if (e.type == EventType::kPurchase) bought[e.order] = e.at;
  }
  for (const auto& [order, review] : BestReviews(events)) {
    auto it = bought.find(order);
    if (it == bought.end() || it->second >= instant || !in_window(review->at)) continue;
    ref.review[time.MonthOf(review->at).value] +=
        reward.review + (review->photos ? reward.review_photos_bonus : 0);
  }
  Money unnamed;
  const Event* credit = nullptr;
  for (const Event& e : events) {
    int32_t m = time.MonthOf(e.at).value;
    if (in_window(e.at) && e.type == EventType::kShare) ref.social[m] += reward.share;
    if (in_window(e.at) && e.type == EventType::kPost) ref.social[m] += reward.post;
    if (in_window(e.at) && e.type == EventType::kAnswer) ref.social[m] += reward.answer;
    if (in_window(e.at) && e.type == EventType::kRefund) {
      // Refunds of no order, or of one not bought before the instant, lower only net spend.
      auto it = bought.find(e.order);
      if (it == bought.end() || it->second >= instant) unnamed += e.amount;
    }
    if (e.type == EventType::kCredit && e.at < instant &&
        (credit == nullptr || std::tie(e.at, e.id) > std::tie(credit->at, credit->id))) {
      credit = &e;
    }
  }
  for (int32_t i = 0; i < config.score.window_months; ++i) {
    int32_t m = first.value + i;
    ref.reward += std::min(reward.month_cap, ref.review[m] + ref.social[m]);
  }
  ref.net_spend = std::max(Money{0}, ref.net_spend - unnamed);
  ref.level = credit != nullptr ? credit->level : config.score.credit.default_level;
  const CreditLevelRule& rule = config.score.credit.ForLevel(ref.level);
  int64_t sum = ref.shopping + ref.reward + ref.active + ref.breadth;
  ref.score = rule.base + (rule.multiplier_permille * sum + 500) / 1000;
  return ref;
}

void ExpectMatchesReference(const ScoreBreakdown& b, const Reference& ref) {
  EXPECT_EQ(b.shopping, ref.shopping);
  EXPECT_EQ(b.reward, ref.reward);
  EXPECT_EQ(b.active, ref.active);
  EXPECT_EQ(b.breadth, ref.breadth);
  EXPECT_EQ(b.credit_level, ref.level);
  EXPECT_EQ(b.net_spend, ref.net_spend);
  EXPECT_EQ(b.score, ref.score);
  int64_t shopping = 0, reward = 0;
  for (const MonthBreakdown& m : b.months) {
    auto at = [&](const std::map<int32_t, int64_t>& by_month) {
      auto it = by_month.find(m.month.value);
      return it == by_month.end() ? 0 : it->second;
    };
    EXPECT_EQ(m.order_points, at(ref.order_points));
    EXPECT_EQ(m.day_sum, at(ref.day_sum));
    EXPECT_EQ(m.shop_sum, at(ref.shop_sum));
    EXPECT_EQ(m.category_sum, at(ref.category_sum));
    EXPECT_EQ(m.review_points, at(ref.review));
    EXPECT_EQ(m.social_points, at(ref.social));
    EXPECT_EQ(m.shopping == m.order_points, m.bound == ShoppingBound::kNone);
    shopping += m.shopping;
    reward += m.reward;
  }
  EXPECT_EQ(shopping, b.shopping);
  EXPECT_EQ(reward, b.reward);
}

void CheckCodec(const MemberState& state, std::mt19937_64& rng) {
  std::string bytes = EncodeMemberState(state);
  Result<MemberState> decoded = DecodeMemberState(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().ToString();
  EXPECT_EQ(*decoded, state);
  for (int i = 0; i < 8; ++i) {
    size_t size = std::uniform_int_distribution<size_t>(0, bytes.size() - 1)(rng);
    Result<MemberState> truncated = DecodeMemberState(std::string_view(bytes).substr(0, size));
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().code, ErrorCode::kCorruptState);
  }
  for (int i = 0; i < 8; ++i) {
    std::string garbled = bytes;
    garbled[std::uniform_int_distribution<size_t>(0, bytes.size() - 1)(rng)] =
        static_cast<char>(rng());
    Result<MemberState> result = DecodeMemberState(garbled);
    // A changed byte may still spell a valid state (another amount, say); it must never crash,
    // and anything it rejects is corrupt_state.
    if (!result.ok()) {
      EXPECT_EQ(result.error().code, ErrorCode::kCorruptState);
    }
  }
}

class ScorePropertyTest : public ::testing::TestWithParam<bool> {};

TEST_P(ScorePropertyTest, FoldIsOrderIndependentAndScoreMatchesTheRules) {
  const ProgramConfig config = GetParam() ? TightConfig() : DefaultConfig();
  const ProgramTime time(config.utc_offset_seconds);
  int checked = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::vector<Event> events = StreamMaker(seed, time).Make();
    if (HasDuplicatePurchase(events)) continue;
    ++checked;
    std::mt19937_64 rng(seed * 7919);
    MemberState state = Fold(events, time);
    std::vector<Event> shuffled = events;
    for (int round = 0; round < 4; ++round) {
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      ASSERT_EQ(Fold(shuffled, time), state);
    }
    for (MonthKey month = MonthKey::FromYearMonth(2023, 6);
         month <= MonthKey::FromYearMonth(2024, 8); month = month.plus(1)) {
      if (!IsCovered(state, PublicationInstant(config, month))) continue;
      SCOPED_TRACE(FormatMonthKey(month));
      ScoreBreakdown b = ComputeScore(state, config, month);
      ASSERT_EQ(b.months.size(), static_cast<size_t>(config.score.window_months));
      ExpectMatchesReference(b, ComputeReference(events, config, month));
      EXPECT_EQ(ComputeScore(Fold(shuffled, time), config, month), b);
    }
    CheckCodec(state, rng);
  }
  // The generator must leave enough streams to mean something.
  EXPECT_GT(checked, 60);
}

INSTANTIATE_TEST_SUITE_P(Configs, ScorePropertyTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param_info) {
                           return param_info.param ? std::string("Tight") : std::string("Default");
                         });

}  // namespace
}  // namespace onecard
