// The score of PRODUCT §2 with its default rules: every rule and every cap with exact numbers,
// the window and time-zone edges, credit, rounding and tiers.
#include "core/score.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "support/default_score_config.h"

namespace onecard {
namespace {

ProgramConfig DefaultConfig() { return test_support::DefaultScoreConfig(); }

const ProgramTime kTime(8 * 3600);
const MonthKey kMarch = MonthKey::FromYearMonth(2024, 3);  // window 2023-03 … 2024-02
constexpr int64_t kUnit = 100;                             // minor units per currency unit

Instant At(std::string_view text) {
  Result<Instant> at = kTime.ParseTimestamp(text);
  EXPECT_TRUE(at.ok()) << text;
  return at.ok() ? *at : Instant{};
}

// Builds a member's state event by event; ids are generated in arrival order unless given.
class Member {
 public:
  Member& Purchase(std::string order, std::string_view at, int64_t minor,
                   std::string shop = "shop-a", std::string category = "books",
                   Goods goods = Goods::kPhysical) {
    Event event = Make(EventType::kPurchase, at);
    event.order = std::move(order);
    event.amount = Money{minor};
    event.site = "tmall";
    event.shop = std::move(shop);
    event.category = std::move(category);
    event.goods = goods;
    return Apply(event);
  }
  Member& Refund(std::string order, std::string_view at, int64_t minor) {
    Event event = Make(EventType::kRefund, at);
    event.order = std::move(order);
    event.amount = Money{minor};
    return Apply(event);
  }
  Member& Review(std::string order, std::string_view at, bool photos) {
    Event event = Make(EventType::kReview, at);
    event.order = std::move(order);
    event.photos = photos;
    return Apply(event);
  }
  Member& Social(EventType type, std::string_view at, int count = 1) {
    for (int i = 0; i < count; ++i) Apply(Make(type, at));
    return *this;
  }
  Member& Credit(std::string_view at, int32_t level, std::string id = "") {
    Event event = Make(EventType::kCredit, at);
    if (!id.empty()) event.id = std::move(id);
    event.level = level;
    return Apply(event);
  }
  Member& Visit(std::string_view at) { return Apply(Make(EventType::kVisit, at)); }

  const MemberState& state() const { return state_; }
  ScoreBreakdown Score(const ProgramConfig& config = DefaultConfig(), MonthKey month = kMarch) {
    return ComputeScore(state_, config, month);
  }

 private:
  Event Make(EventType type, std::string_view at) {
    Event event;
    char id[16];
    std::snprintf(id, sizeof id, "e%05d", ++next_id_);
    event.id = id;
    event.type = type;
    event.member = "m1";
    event.at = At(at);
    return event;
  }
  Member& Apply(const Event& event) {
    Status status = state_.Apply(event, kTime);
    EXPECT_TRUE(status.ok()) << status.error().ToString();
    return *this;
  }

  MemberState state_{"m1"};
  int next_id_ = 0;
};

const MonthBreakdown& MonthOf(const ScoreBreakdown& b, int32_t year, int32_t month) {
  MonthKey key = MonthKey::FromYearMonth(year, month);
  for (const MonthBreakdown& m : b.months) {
    if (m.month == key) return m;
  }
  ADD_FAILURE() << "month not in window: " << FormatMonthKey(key);
  return b.months.front();
}

TEST(ScoreTest, PublicationInstantIsTheEighthAtLocalMidnight) {
  EXPECT_EQ(PublicationInstant(DefaultConfig(), kMarch), At("2024-03-07T16:00:00Z"));
}

TEST(ScoreTest, ShoppingBoundNames) {
  EXPECT_EQ(ShoppingBoundName(ShoppingBound::kNone), "none");
  EXPECT_EQ(ShoppingBoundName(ShoppingBound::kMonthCap), "month_cap");
  EXPECT_EQ(ShoppingBoundName(ShoppingBound::kDayCap), "day_cap");
  EXPECT_EQ(ShoppingBoundName(ShoppingBound::kShopCap), "shop_cap");
  EXPECT_EQ(ShoppingBoundName(ShoppingBound::kCategoryCap), "category_cap");
}

TEST(ScoreTest, CoverageNeedsAnEventBeforeTheInstant) {
  Instant instant = PublicationInstant(DefaultConfig(), kMarch);
  EXPECT_FALSE(IsCovered(MemberState("m1"), instant));
  Member at_instant;
  at_instant.Visit("2024-03-08T00:00:00");
  EXPECT_FALSE(IsCovered(at_instant.state(), instant));
  Member before;
  before.Visit("2024-03-07T23:59:59");
  EXPECT_TRUE(IsCovered(before.state(), instant));
}

TEST(ScoreTest, MemberWithNothingInTheWindowGetsTheDefaultCreditBase) {
  Member member;
  member.Visit("2024-02-10T10:00:00");
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(b.month, kMarch);
  EXPECT_EQ(b.instant, At("2024-03-08T00:00:00"));
  ASSERT_EQ(b.months.size(), 12u);
  EXPECT_EQ(b.months.front().month, MonthKey::FromYearMonth(2023, 3));
  EXPECT_EQ(b.months.back().month, MonthKey::FromYearMonth(2024, 2));
  for (const MonthBreakdown& m : b.months) EXPECT_EQ(m, MonthBreakdown{.month = m.month});
  EXPECT_EQ(b.credit_level, 3);
  EXPECT_EQ(b.credit_base, 200);
  EXPECT_EQ(b.multiplier_permille, 1000);
  EXPECT_EQ(b.score, 200);
  EXPECT_EQ(b.caps, 0u);
  EXPECT_EQ(b.net_spend, Money{0});
  EXPECT_EQ(PublishedTier(DefaultConfig().tiers, b, false), "registered");
}

TEST(ScoreTest, OrderPointsFloorTheAmountTimesTheRate) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 12345);  // 123.45 × 0.1 = 12.345
  member.Purchase("o2", "2024-02-11T10:00:00", 12345, "shop-b", "games", Goods::kVirtual);
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.orders, 2);
  EXPECT_EQ(feb.orders_capped, 0);
  EXPECT_EQ(feb.order_points, 12 + 6);  // 123.45 × 0.05 = 6.17
  EXPECT_EQ(feb.shopping, 18);
  EXPECT_EQ(feb.bound, ShoppingBound::kNone);
  EXPECT_TRUE(feb.active);
  EXPECT_EQ(b.shopping, 18);
  EXPECT_EQ(b.active, 5);
  EXPECT_EQ(b.categories, 2);
  EXPECT_EQ(b.breadth, 10);
  EXPECT_EQ(b.net_spend, Money{24690});
  EXPECT_EQ(b.caps, 0u);
  EXPECT_EQ(b.score, 200 + 18 + 5 + 10);
}

TEST(ScoreTest, OrderCapsPerGoods) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 600 * kUnit);                     // 60 → 50
  member.Purchase("o2", "2024-02-11T10:00:00", 500 * kUnit, "shop-b", "games");  // 50: not capped
  member.Purchase("o3", "2024-02-12T10:00:00", 300 * kUnit, "shop-c", "music",
                  Goods::kVirtual);  // 15 → 10
  member.Purchase("o4", "2024-02-13T10:00:00", 200 * kUnit, "shop-d", "films",
                  Goods::kVirtual);  // 10: not capped
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.orders, 4);
  EXPECT_EQ(feb.orders_capped, 2);
  EXPECT_EQ(feb.order_points, 50 + 50 + 10 + 10);
  EXPECT_EQ(feb.shopping, 120);
  EXPECT_EQ(b.caps, static_cast<uint32_t>(kCapOrder));
}

TEST(ScoreTest, DayCap) {
  Member member;
  member.Purchase("o1", "2024-02-10T09:00:00", 500 * kUnit, "shop-a", "books");
  member.Purchase("o2", "2024-02-10T10:00:00", 500 * kUnit, "shop-b", "games");
  member.Purchase("o3", "2024-02-10T11:00:00", 500 * kUnit, "shop-c", "music");
  member.Purchase("o4", "2024-02-11T11:00:00", 300 * kUnit, "shop-d", "films");
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.order_points, 180);
  EXPECT_EQ(feb.day_sum, 80 + 30);
  EXPECT_EQ(feb.shop_sum, 180);
  EXPECT_EQ(feb.category_sum, 180);
  EXPECT_EQ(feb.shopping, 110);
  EXPECT_EQ(feb.bound, ShoppingBound::kDayCap);
  EXPECT_EQ(b.caps, static_cast<uint32_t>(kCapDay));
}

TEST(ScoreTest, DaysAreLocalDays) {
  Member member;
  // 23:00 and 22:00 local on the 10th, and 17:00 UTC on the 10th, which is 01:00 local on the 11th.
  member.Purchase("o1", "2024-02-10T22:00:00", 500 * kUnit, "shop-a", "books");
  member.Purchase("o2", "2024-02-10T23:00:00", 500 * kUnit, "shop-b", "games");
  member.Purchase("o3", "2024-02-10T17:00:00Z", 500 * kUnit, "shop-c", "music");
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.day_sum, 80 + 50);
  EXPECT_EQ(feb.shopping, 130);
}

TEST(ScoreTest, ShopCap) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 500 * kUnit, "shop-a", "books");
  member.Purchase("o2", "2024-02-11T10:00:00", 500 * kUnit, "shop-a", "games");
  member.Purchase("o3", "2024-02-12T10:00:00", 500 * kUnit, "shop-a", "music");
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.order_points, 150);
  EXPECT_EQ(feb.day_sum, 150);
  EXPECT_EQ(feb.shop_sum, 120);
  EXPECT_EQ(feb.category_sum, 150);
  EXPECT_EQ(feb.shopping, 120);
  EXPECT_EQ(feb.bound, ShoppingBound::kShopCap);
  EXPECT_EQ(b.caps, static_cast<uint32_t>(kCapShop));
}

TEST(ScoreTest, CategoryCap) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 500 * kUnit, "shop-a", "books");
  member.Purchase("o2", "2024-02-11T10:00:00", 500 * kUnit, "shop-b", "books");
  member.Purchase("o3", "2024-02-12T10:00:00", 400 * kUnit, "shop-c", "books");
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.order_points, 140);
  EXPECT_EQ(feb.category_sum, 120);
  EXPECT_EQ(feb.shopping, 120);
  EXPECT_EQ(feb.bound, ShoppingBound::kCategoryCap);
  EXPECT_EQ(b.caps, static_cast<uint32_t>(kCapCategory));
  EXPECT_EQ(b.categories, 1);
  EXPECT_EQ(b.breadth, 0);
}

TEST(ScoreTest, ShopAndCategoryCapsApplyPerMonth) {
  Member member;
  // 100 points in one shop and category in each of two months: no cap bites.
  member.Purchase("o1", "2024-01-10T10:00:00", 500 * kUnit);
  member.Purchase("o2", "2024-01-11T10:00:00", 500 * kUnit);
  member.Purchase("o3", "2024-02-10T10:00:00", 500 * kUnit);
  member.Purchase("o4", "2024-02-11T10:00:00", 500 * kUnit);
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(MonthOf(b, 2024, 1).shopping, 100);
  EXPECT_EQ(MonthOf(b, 2024, 2).shopping, 100);
  EXPECT_EQ(b.shopping, 200);
  EXPECT_EQ(b.caps, 0u);
  EXPECT_EQ(b.categories, 1);
}

TEST(ScoreTest, MonthCap) {
  Member member;
  const char* categories[] = {"books", "games", "music", "films", "toys"};
  for (int i = 0; i < 5; ++i) {
    std::string day = "2024-02-1" + std::to_string(i) + "T10:00:00";
    member.Purchase("o" + std::to_string(i), day, 500 * kUnit, "shop-" + std::to_string(i),
                    categories[i]);
  }
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.order_points, 250);
  EXPECT_EQ(feb.day_sum, 250);
  EXPECT_EQ(feb.shop_sum, 250);
  EXPECT_EQ(feb.category_sum, 250);
  EXPECT_EQ(feb.shopping, 200);
  EXPECT_EQ(feb.bound, ShoppingBound::kMonthCap);
  EXPECT_EQ(b.caps, static_cast<uint32_t>(kCapShoppingMonth));
  EXPECT_EQ(b.categories, 5);
  EXPECT_EQ(b.breadth, 40);
  EXPECT_EQ(b.score, 200 + 200 + 5 + 40);
}

TEST(ScoreTest, BoundTiesPreferDayThenShopThenCategory) {
  ProgramConfig config = DefaultConfig();
  config.score.shopping.month_cap = 80;
  config.score.shopping.shop_cap = 80;
  config.score.shopping.category_cap = 80;
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 500 * kUnit);
  member.Purchase("o2", "2024-02-10T11:00:00", 500 * kUnit);
  ScoreBreakdown b = member.Score(config);
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.shopping, 80);
  EXPECT_EQ(feb.bound, ShoppingBound::kDayCap);
  // The month cap ties with the others, so it is not the smallest bound.
  EXPECT_EQ(b.caps, static_cast<uint32_t>(kCapDay | kCapShop | kCapCategory));

  Member other_days;  // day not binding: shop wins the tie with category
  other_days.Purchase("o1", "2024-02-10T10:00:00", 500 * kUnit);
  other_days.Purchase("o2", "2024-02-11T10:00:00", 500 * kUnit);
  EXPECT_EQ(MonthOf(other_days.Score(config), 2024, 2).bound, ShoppingBound::kShopCap);
}

TEST(ScoreTest, RefundsDatedBeforeTheInstantReduceTheOrder) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 500 * kUnit, "shop-a", "books");
  member.Refund("o1", "2024-03-07T23:59:59", 200 * kUnit);  // after the window, before the instant
  member.Purchase("o2", "2024-02-11T10:00:00", 400 * kUnit, "shop-b", "games");
  member.Refund("o2", "2024-03-08T00:00:00", 100 * kUnit);  // at the instant: not yet
  member.Refund("o3", "2024-01-05T10:00:00", 50 * kUnit);   // dated before its purchase
  member.Purchase("o3", "2024-02-12T10:00:00", 300 * kUnit, "shop-c", "music");
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.order_points, 30 + 40 + 25);
  EXPECT_EQ(b.net_spend, Money{(300 + 400 + 250) * kUnit});
  // The next publication sees the refund of o2.
  ScoreBreakdown april = member.Score(DefaultConfig(), kMarch.plus(1));
  EXPECT_EQ(MonthOf(april, 2024, 2).order_points, 30 + 30 + 25);
}

TEST(ScoreTest, FullyRefundedOrderIsNotActiveAndHasNoCategory) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 100 * kUnit, "shop-a", "books");
  member.Refund("o1", "2024-02-11T10:00:00", 60 * kUnit);
  member.Refund("o1", "2024-02-12T10:00:00", 60 * kUnit);  // refunds beyond the amount: net 0
  member.Purchase("o2", "2024-01-10T10:00:00", 100 * kUnit, "shop-a", "games");
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.orders, 1);
  EXPECT_EQ(feb.order_points, 0);
  EXPECT_FALSE(feb.active);
  EXPECT_TRUE(MonthOf(b, 2024, 1).active);
  EXPECT_EQ(b.active, 5);
  EXPECT_EQ(b.categories, 1);
  EXPECT_EQ(b.net_spend, Money{100 * kUnit});
}

TEST(ScoreTest, RefundsNamingNoOrderOnlyReduceNetSpendInTheWindow) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 500 * kUnit);
  member.Refund("", "2024-02-20T10:00:00", 100 * kUnit);  // in the window
  member.Refund("", "2024-03-05T10:00:00", 50 * kUnit);   // after the window
  member.Refund("", "2023-02-28T10:00:00", 70 * kUnit);   // before the window
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(MonthOf(b, 2024, 2).order_points, 50);
  EXPECT_EQ(b.net_spend, Money{400 * kUnit});

  member.Refund("", "2023-03-01T00:00:00", 1000 * kUnit);  // first window month: spend floors at 0
  b = member.Score();
  EXPECT_EQ(b.net_spend, Money{0});
  EXPECT_EQ(b.shopping, 50);
}

TEST(ScoreTest, RefundsOfOrdersNotBoughtBeforeTheInstantOnlyReduceNetSpend) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 500 * kUnit);
  member.Refund("never-bought", "2024-02-20T10:00:00", 50 * kUnit);
  member.Refund("bought-later", "2024-02-21T10:00:00", 30 * kUnit);
  member.Purchase("bought-later", "2024-03-08T00:00:00", 300 * kUnit);  // at the instant
  // An order bought before the window: its refund belongs to that older spend.
  member.Purchase("old", "2023-01-10T10:00:00", 300 * kUnit);
  member.Refund("old", "2024-02-22T10:00:00", 20 * kUnit);
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(b.shopping, 50);
  EXPECT_EQ(b.net_spend, Money{(500 - 50 - 30) * kUnit});
}

TEST(ScoreTest, WindowEdgesInLocalTime) {
  Member member;
  member.Purchase("in-last", "2024-02-29T23:59:59", 100 * kUnit, "s1", "c1");
  member.Purchase("out-after", "2024-03-01T00:00:00", 200 * kUnit, "s2", "c2");
  member.Purchase("in-first", "2023-03-01T00:00:00", 300 * kUnit, "s3", "c3");
  member.Purchase("out-before", "2023-02-28T23:59:59", 400 * kUnit, "s4", "c4");
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(MonthOf(b, 2024, 2).order_points, 10);
  EXPECT_EQ(MonthOf(b, 2023, 3).order_points, 30);
  EXPECT_EQ(b.shopping, 40);
  EXPECT_EQ(b.active, 10);
  EXPECT_EQ(b.categories, 2);
  EXPECT_EQ(b.net_spend, Money{400 * kUnit});
}

TEST(ScoreTest, MonthsAreLocalMonths) {
  Member member;
  // 15:59:59 UTC on Feb 29 is 23:59:59 local (in); 16:00 UTC is March 1st local (out).
  member.Purchase("o1", "2024-02-29T15:59:59Z", 100 * kUnit);
  member.Purchase("o2", "2024-02-29T16:00:00Z", 200 * kUnit);
  // 20:00 UTC on Jan 31 is 04:00 on Feb 1st local: a February order.
  member.Purchase("o3", "2024-01-31T20:00:00Z", 300 * kUnit);
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(MonthOf(b, 2024, 2).order_points, 10 + 30);
  EXPECT_EQ(MonthOf(b, 2024, 1).order_points, 0);
  EXPECT_EQ(MonthOf(b, 2024, 2).orders, 2);
}

TEST(ScoreTest, ReviewsCountOncePerBoughtOrderInTheMonthWritten) {
  Member member;
  member.Purchase("o1", "2024-01-10T10:00:00", 10 * kUnit);
  member.Review("o1", "2024-01-12T10:00:00", false);  // earliest: counts, 2
  member.Review("o1", "2024-02-12T10:00:00", true);   // later: ignored
  member.Purchase("o2", "2024-02-10T10:00:00", 10 * kUnit);
  member.Review("o2", "2024-02-11T10:00:00", true);  // 3
  member.Review("never-bought", "2024-02-11T10:00:00", true);
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(MonthOf(b, 2024, 1).review_points, 2);
  EXPECT_EQ(MonthOf(b, 2024, 2).review_points, 3);
  EXPECT_EQ(b.reward, 5);
}

TEST(ScoreTest, ReviewTieInTimePrefersPhotos) {
  Member member;
  member.Purchase("o1", "2024-01-10T10:00:00", 10 * kUnit);
  member.Review("o1", "2024-01-12T10:00:00", false);
  member.Review("o1", "2024-01-12T10:00:00", true);
  EXPECT_EQ(MonthOf(member.Score(), 2024, 1).review_points, 3);
}

TEST(ScoreTest, ReviewNeedsAPurchaseBeforeTheInstant) {
  Member member;
  // Bought after the window but before the instant, reviewed (earlier!) inside it: counts.
  member.Review("o1", "2024-02-20T10:00:00", false);
  member.Purchase("o1", "2024-03-05T10:00:00", 10 * kUnit);
  // Bought before the window, reviewed inside it: counts.
  member.Purchase("o2", "2022-12-10T10:00:00", 10 * kUnit);
  member.Review("o2", "2023-05-01T10:00:00", true);
  // Bought at the instant: not yet.
  member.Review("o3", "2024-02-21T10:00:00", true);
  member.Purchase("o3", "2024-03-08T00:00:00", 10 * kUnit);
  // Reviewed after the window: not in this publication.
  member.Purchase("o4", "2024-02-10T10:00:00", 10 * kUnit);
  member.Review("o4", "2024-03-02T10:00:00", true);
  // The earliest review is before the window: the later one in the window does not count.
  member.Purchase("o5", "2023-01-10T10:00:00", 10 * kUnit);
  member.Review("o5", "2023-01-11T10:00:00", true);
  member.Review("o5", "2023-06-11T10:00:00", true);
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(MonthOf(b, 2024, 2).review_points, 2);
  EXPECT_EQ(MonthOf(b, 2023, 5).review_points, 3);
  EXPECT_EQ(MonthOf(b, 2023, 6).review_points, 0);
  EXPECT_EQ(b.reward, 5);
  // A month later o3 is bought, but its review month (Feb 2024) is still in the window.
  ScoreBreakdown april = member.Score(DefaultConfig(), kMarch.plus(1));
  EXPECT_EQ(MonthOf(april, 2024, 2).review_points, 2 + 3);
  EXPECT_EQ(MonthOf(april, 2024, 3).review_points, 3);
}

TEST(ScoreTest, SocialPointsAndTheRewardMonthCap) {
  Member member;
  member.Social(EventType::kShare, "2024-02-01T10:00:00", 3);
  member.Social(EventType::kPost, "2024-02-02T10:00:00", 2);
  member.Social(EventType::kAnswer, "2024-02-03T10:00:00", 4);
  member.Social(EventType::kAnswer, "2024-01-03T10:00:00", 19);  // 38
  member.Purchase("o1", "2024-01-10T10:00:00", 10 * kUnit);
  member.Review("o1", "2024-01-12T10:00:00", true);            // 38 + 3 = 41 → 40
  member.Social(EventType::kShare, "2024-03-01T10:00:00", 5);  // after the window
  ScoreBreakdown b = member.Score();
  const MonthBreakdown& feb = MonthOf(b, 2024, 2);
  EXPECT_EQ(feb.social_points, 3 + 2 + 8);
  EXPECT_EQ(feb.reward, 13);
  const MonthBreakdown& jan = MonthOf(b, 2024, 1);
  EXPECT_EQ(jan.social_points, 38);
  EXPECT_EQ(jan.review_points, 3);
  EXPECT_EQ(jan.reward, 40);
  EXPECT_EQ(b.reward, 53);
  EXPECT_EQ(b.caps, static_cast<uint32_t>(kCapRewardMonth));
}

TEST(ScoreTest, RewardExactlyAtTheCapDoesNotSetTheBit) {
  Member member;
  member.Social(EventType::kAnswer, "2024-02-03T10:00:00", 20);
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(b.reward, 40);
  EXPECT_EQ(b.caps, 0u);
}

TEST(ScoreTest, ActiveMonthsAndBreadthCap) {
  Member member;
  for (int i = 0; i < 12; ++i) {
    char at[32];
    std::snprintf(at, sizeof at, "%04d-%02d-15T10:00:00", 2023 + (2 + i) / 12, (2 + i) % 12 + 1);
    member.Purchase("o" + std::to_string(i), at, 1, "shop", "cat-" + std::to_string(i));
  }
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(b.shopping, 0);  // 0.01 earns no points but is a positive net
  EXPECT_EQ(b.active, 60);
  EXPECT_EQ(b.categories, 12);
  EXPECT_EQ(b.breadth, 100);  // 10 × 11 = 110 → 100
  EXPECT_EQ(b.caps, static_cast<uint32_t>(kCapBreadth));
  EXPECT_EQ(b.score, 200 + 160);

  Member eleven;
  for (int i = 0; i < 11; ++i) {
    eleven.Purchase("o" + std::to_string(i), "2024-02-15T10:00:00", 1, "shop",
                    "cat-" + std::to_string(i));
  }
  ScoreBreakdown c = eleven.Score();
  EXPECT_EQ(c.breadth, 100);  // exactly the cap: not a cap that bit
  EXPECT_EQ(c.caps, 0u);
  EXPECT_EQ(c.active, 5);
}

TEST(ScoreTest, CreditIsTheLatestBeforeTheInstant) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 100 * kUnit);  // 10 points + 5 active = 15
  EXPECT_EQ(member.Score().score, 200 + 15);                  // default level 3
  member.Credit("2022-05-01T10:00:00", 2);                    // before the window still counts
  EXPECT_EQ(member.Score().credit_level, 2);
  EXPECT_EQ(member.Score().score, 100 + 12);  // 0.8 × 15
  member.Credit("2024-03-07T23:59:59", 5);
  member.Credit("2024-03-08T00:00:00", 1);  // at the instant: next publication
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(b.credit_level, 5);
  EXPECT_EQ(b.credit_base, 400);
  EXPECT_EQ(b.multiplier_permille, 1200);
  EXPECT_EQ(b.score, 400 + 18);
  EXPECT_EQ(member.Score(DefaultConfig(), kMarch.plus(1)).credit_level, 1);
}

TEST(ScoreTest, CreditTieInTimeTakesTheGreatestId) {
  Member member;
  member.Visit("2024-02-01T10:00:00");
  member.Credit("2024-02-10T10:00:00", 4, "c-b");
  member.Credit("2024-02-10T10:00:00", 1, "c-a");
  member.Credit("2024-02-10T09:00:00", 5, "c-z");
  EXPECT_EQ(member.Score().credit_level, 4);
}

TEST(ScoreTest, MultiplierRoundsHalfUp) {
  Member member;
  member.Purchase("o1", "2024-02-10T10:00:00", 1);  // active 5, nothing else
  member.Credit("2024-01-01T10:00:00", 4);          // 1.1 × 5 = 5.5 → 6
  EXPECT_EQ(member.Score().score, 300 + 6);
  member.Credit("2024-01-02T10:00:00", 1);  // 0.5 × 5 = 2.5 → 3
  EXPECT_EQ(member.Score().score, 0 + 3);
  member.Purchase("o2", "2024-02-11T10:00:00", 10 * kUnit);  // + 1 point: 0.5 × 6 = 3
  EXPECT_EQ(member.Score().score, 3);
  member.Purchase("o3", "2024-02-12T10:00:00", 10 * kUnit);  // 0.5 × 7 = 3.5 → 4
  EXPECT_EQ(member.Score().score, 4);
  member.Credit("2024-01-03T10:00:00", 2);  // 0.8 × 7 = 5.6 → 6
  EXPECT_EQ(member.Score().score, 100 + 6);
}

ScoreBreakdown WithScore(int64_t score, int64_t net_spend_units) {
  ScoreBreakdown b;
  b.score = score;
  b.net_spend = Money{net_spend_units * kUnit};
  return b;
}

TEST(ScoreTest, TiersByScore) {
  TierRules tiers = DefaultConfig().tiers;
  EXPECT_EQ(PublishedTier(tiers, WithScore(0, 0), false), "registered");
  EXPECT_EQ(PublishedTier(tiers, WithScore(299, 0), false), "registered");
  EXPECT_EQ(PublishedTier(tiers, WithScore(300, 0), false), "standard");
  EXPECT_EQ(PublishedTier(tiers, WithScore(999, 0), false), "standard");
  EXPECT_EQ(PublishedTier(tiers, WithScore(1000, 0), false), "super");
  EXPECT_EQ(PublishedTier(tiers, WithScore(5000, 1'000'000), false), "super");
}

TEST(ScoreTest, InvitationTier) {
  TierRules tiers = DefaultConfig().tiers;
  EXPECT_TRUE(EligibleForInvitation(tiers, WithScore(2500, 100'000)));
  EXPECT_FALSE(EligibleForInvitation(tiers, WithScore(2499, 100'000)));
  ScoreBreakdown short_spend = WithScore(2500, 100'000);
  short_spend.net_spend -= Money{1};
  EXPECT_FALSE(EligibleForInvitation(tiers, short_spend));
  EXPECT_EQ(PublishedTier(tiers, WithScore(2500, 100'000), true), "apass");
  EXPECT_EQ(PublishedTier(tiers, WithScore(2500, 100'000), false), "super");
  // Accepted but no longer eligible: falls to the tier of the score.
  EXPECT_EQ(PublishedTier(tiers, short_spend, true), "super");
  EXPECT_EQ(PublishedTier(tiers, WithScore(2000, 10), true), "super");
  tiers.invitation.reset();
  EXPECT_FALSE(EligibleForInvitation(tiers, WithScore(9000, 1'000'000)));
  EXPECT_EQ(PublishedTier(tiers, WithScore(9000, 1'000'000), true), "super");
}

TEST(ScoreTest, AFullYearReachesTheInvitationTier) {
  Member member;
  const char* categories[] = {"books", "games", "music", "films", "toys"};
  for (int month = 0; month < 12; ++month) {
    int year = 2023 + (2 + month) / 12;
    int month_of_year = (2 + month) % 12 + 1;
    for (int i = 0; i < 5; ++i) {
      char at[32];
      std::snprintf(at, sizeof at, "%04d-%02d-%02dT10:00:00", year, month_of_year, 10 + i);
      member.Purchase("o" + std::to_string(month * 5 + i), at, 2000 * kUnit,
                      "shop-" + std::to_string(i), categories[i]);
    }
    char at[32];
    std::snprintf(at, sizeof at, "%04d-%02d-20T10:00:00", year, month_of_year);
    member.Social(EventType::kAnswer, at, 20);
  }
  member.Credit("2023-01-01T10:00:00", 5);
  ScoreBreakdown b = member.Score();
  EXPECT_EQ(b.shopping, 12 * 200);
  EXPECT_EQ(b.reward, 12 * 40);
  EXPECT_EQ(b.active, 60);
  EXPECT_EQ(b.breadth, 40);
  EXPECT_EQ(b.score, 400 + 1200 * (2400 + 480 + 60 + 40) / 1000);
  EXPECT_EQ(b.net_spend, Money{60 * 2000 * kUnit});
  EXPECT_EQ(b.caps, static_cast<uint32_t>(kCapOrder | kCapShoppingMonth));
  EXPECT_TRUE(EligibleForInvitation(DefaultConfig().tiers, b));
  EXPECT_EQ(PublishedTier(DefaultConfig().tiers, b, true), "apass");
  EXPECT_EQ(PublishedTier(DefaultConfig().tiers, b, false), "super");
}

}  // namespace
}  // namespace onecard
