// Folding events into MemberState (per-type rules, atomic errors, limits) and its binary form.
#include "core/member_state.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "core/limits.h"

namespace onecard {
namespace {

const ProgramTime kTime(8 * 3600);  // UTC+8, the default program time

Instant At(std::string_view text) {
  Result<Instant> at = kTime.ParseTimestamp(text);
  EXPECT_TRUE(at.ok()) << text;
  return at.ok() ? *at : Instant{};
}

Event Base(EventType type, std::string id, std::string_view at) {
  Event event;
  event.id = std::move(id);
  event.type = type;
  event.member = "m1";
  event.at = At(at);
  return event;
}

Event Purchase(std::string id, std::string order, std::string_view at, int64_t minor) {
  Event event = Base(EventType::kPurchase, std::move(id), at);
  event.order = std::move(order);
  event.amount = Money{minor};
  event.site = "tmall";
  event.shop = "shop-a";
  event.category = "books";
  return event;
}

Event Refund(std::string id, std::string order, std::string_view at, int64_t minor) {
  Event event = Base(EventType::kRefund, std::move(id), at);
  event.order = std::move(order);
  event.amount = Money{minor};
  return event;
}

Event Review(std::string id, std::string order, std::string_view at, bool photos) {
  Event event = Base(EventType::kReview, std::move(id), at);
  event.order = std::move(order);
  event.photos = photos;
  return event;
}

Event Credit(std::string id, std::string_view at, int32_t level) {
  Event event = Base(EventType::kCredit, std::move(id), at);
  event.level = level;
  return event;
}

void ApplyOk(MemberState& state, const Event& event) {
  Status status = state.Apply(event, kTime);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
}

TEST(MemberStateTest, EmptyState) {
  MemberState state("m1");
  EXPECT_FALSE(state.has_events());
  EXPECT_EQ(state.event_count(), 0);
  EXPECT_EQ(state.order_count(), 0u);
  EXPECT_FALSE(state.FindOrder("o1").has_value());
}

TEST(MemberStateTest, CommonFieldsTrackEveryEvent) {
  MemberState state("m1");
  ApplyOk(state, Base(EventType::kVisit, "e1", "2024-03-05T10:00:00"));
  ApplyOk(state, Base(EventType::kVisit, "e2", "2024-03-01T10:00:00"));
  ApplyOk(state, Base(EventType::kVisit, "e3", "2024-03-09T10:00:00"));
  EXPECT_TRUE(state.has_events());
  EXPECT_EQ(state.event_count(), 3);
  EXPECT_EQ(state.first_event_at(), At("2024-03-01T10:00:00"));
  EXPECT_EQ(state.order_count(), 0u);
  EXPECT_TRUE(state.months().empty());
}

TEST(MemberStateTest, PurchaseIsRecorded) {
  MemberState state("m1");
  ApplyOk(state, Purchase("e1", "o1", "2024-03-05T10:00:00", 12345));
  const std::optional<OrderView> order = state.FindOrder("o1");
  ASSERT_TRUE(order.has_value());
  ASSERT_TRUE(order->has_purchase);
  EXPECT_EQ(order->day, kTime.DayOf(At("2024-03-05T10:00:00")));
  EXPECT_EQ(order->amount, Money{12345});
  EXPECT_EQ(order->goods, Goods::kPhysical);
  EXPECT_EQ(order->shop, "shop-a");
  EXPECT_EQ(order->category, "books");
  EXPECT_FALSE(order->has_review);
  EXPECT_TRUE(order->refunds.empty());
}

TEST(MemberStateTest, SecondPurchaseOfAnOrderIsRejectedAndChangesNothing) {
  MemberState state("m1");
  ApplyOk(state, Purchase("e1", "o1", "2024-03-05T10:00:00", 100));
  MemberState before = state;
  Status status = state.Apply(Purchase("e2", "o1", "2024-01-01T10:00:00", 200), kTime);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kDuplicateOrder);
  EXPECT_EQ(status.error().field, "order");
  EXPECT_EQ(state, before);
}

TEST(MemberStateTest, PurchaseAfterRefundAndReviewFillsTheOrder) {
  MemberState state("m1");
  ApplyOk(state, Refund("e1", "o1", "2024-03-06T10:00:00", 50));
  ApplyOk(state, Review("e2", "o1", "2024-03-07T10:00:00", false));
  ASSERT_TRUE(state.FindOrder("o1").has_value());
  EXPECT_FALSE(state.FindOrder("o1")->has_purchase);
  ApplyOk(state, Purchase("e3", "o1", "2024-03-05T10:00:00", 100));
  const std::optional<OrderView> order = state.FindOrder("o1");
  ASSERT_TRUE(order->has_purchase);
  EXPECT_EQ(order->refunds.size(), 1u);
  EXPECT_TRUE(order->has_review);
  EXPECT_EQ(state.order_count(), 1u);
}

TEST(MemberStateTest, OrdersAreSortedById) {
  MemberState state("m1");
  ApplyOk(state, Purchase("e1", "o3", "2024-03-05T10:00:00", 100));
  ApplyOk(state, Purchase("e2", "o1", "2024-03-05T10:00:00", 100));
  ApplyOk(state, Refund("e3", "o2", "2024-03-05T10:00:00", 100));
  ASSERT_EQ(state.order_count(), 3u);
  EXPECT_EQ(state.OrderAt(0).order, "o1");
  EXPECT_EQ(state.OrderAt(1).order, "o2");
  EXPECT_EQ(state.OrderAt(2).order, "o3");
}

// Publication instants are local midnights, so an order's refunds are kept summed per local day
// (sorted by day); the number of refund events is kept for its limit.
TEST(MemberStateTest, RefundsAreSummedPerLocalDay) {
  MemberState state("m1");
  ApplyOk(state, Refund("r9", "o1", "2024-03-06T10:00:00", 1));
  ApplyOk(state, Refund("r5", "o1", "2024-03-07T10:00:00", 2));
  ApplyOk(state, Refund("r1", "o1", "2024-03-06T23:59:59", 3));
  ApplyOk(state, Refund("r2", "o1", "2024-03-05T16:00:00Z", 4));  // 00:00 on the 6th, local
  const std::optional<OrderView> order = state.FindOrder("o1");
  ASSERT_EQ(order->refunds.size(), 2u);
  EXPECT_EQ(order->refunds[0], (RefundDay{kTime.DayOf(At("2024-03-06T00:00:00")), Money{8}}));
  EXPECT_EQ(order->refunds[1], (RefundDay{kTime.DayOf(At("2024-03-07T00:00:00")), Money{2}}));
  EXPECT_EQ(order->refund_events, 4);
}

TEST(MemberStateTest, RefundWithoutOrderGoesToItsLocalMonth) {
  MemberState state("m1");
  // 2024-02-29T17:30Z is 01:30 on March 1st in UTC+8.
  ApplyOk(state, Refund("r1", "", "2024-02-29T17:30:00Z", 700));
  ApplyOk(state, Refund("r2", "", "2024-03-20T10:00:00", 300));
  EXPECT_EQ(state.order_count(), 0u);
  ASSERT_EQ(state.months().size(), 1u);
  EXPECT_EQ(state.months()[0].month, MonthKey::FromYearMonth(2024, 3));
  EXPECT_EQ(state.months()[0].unnamed_refunds, Money{1000});
}

TEST(MemberStateTest, ReviewKeepsTheEarliest) {
  MemberState state("m1");
  ApplyOk(state, Review("v2", "o1", "2024-03-07T10:00:00", true));
  ApplyOk(state, Review("v1", "o1", "2024-03-06T10:00:00", false));
  ApplyOk(state, Review("v3", "o1", "2024-03-08T10:00:00", true));
  const std::optional<OrderView> order = state.FindOrder("o1");
  ASSERT_TRUE(order->has_review);
  EXPECT_EQ(order->review_at, At("2024-03-06T10:00:00"));  // v1's
  EXPECT_FALSE(order->review_photos);
}

// On a tie in time the review with photos counts. Reviews equal in time and photos count the
// same, so the state keeps no id for them and any arrival order gives the same state.
TEST(MemberStateTest, ReviewTieInTimePrefersPhotos) {
  for (bool photos_first : {false, true}) {
    MemberState state("m1");
    Event plain = Review("v1", "o1", "2024-03-06T10:00:00", false);
    Event with_photos = Review("v2", "o1", "2024-03-06T10:00:00", true);
    ApplyOk(state, photos_first ? with_photos : plain);
    ApplyOk(state, photos_first ? plain : with_photos);
    EXPECT_TRUE(state.FindOrder("o1")->review_photos);
    EXPECT_EQ(state.FindOrder("o1")->review_at, At("2024-03-06T10:00:00"));
  }
  MemberState forward("m1");
  MemberState backward("m1");
  for (const char* id : {"v7", "v3", "v5"}) {
    ApplyOk(forward, Review(id, "o1", "2024-03-06T10:00:00", true));
  }
  for (const char* id : {"v5", "v3", "v7"}) {
    ApplyOk(backward, Review(id, "o1", "2024-03-06T10:00:00", true));
  }
  EXPECT_EQ(forward, backward);
  EXPECT_EQ(EncodeMemberState(forward), EncodeMemberState(backward));
}

TEST(MemberStateTest, SocialActionsCountInTheirLocalMonth) {
  MemberState state("m1");
  ApplyOk(state, Base(EventType::kShare, "s1", "2024-03-01T00:00:00"));
  ApplyOk(state, Base(EventType::kShare, "s2", "2024-02-29T16:00:00Z"));  // 00:00 Mar 1 local
  ApplyOk(state, Base(EventType::kPost, "p1", "2024-02-29T15:59:59Z"));   // 23:59:59 Feb 29
  ApplyOk(state, Base(EventType::kAnswer, "a1", "2024-03-31T23:59:59"));
  ASSERT_EQ(state.months().size(), 2u);
  EXPECT_EQ(state.months()[0].month, MonthKey::FromYearMonth(2024, 2));
  EXPECT_EQ(state.months()[0].posts, 1);
  EXPECT_EQ(state.months()[0].shares, 0);
  EXPECT_EQ(state.months()[1].month, MonthKey::FromYearMonth(2024, 3));
  EXPECT_EQ(state.months()[1].shares, 2);
  EXPECT_EQ(state.months()[1].answers, 1);
  EXPECT_EQ(state.months()[1].posts, 0);
}

TEST(MemberStateTest, CreditKeepsTheLatestOfEachLocalDay) {
  MemberState state("m1");
  ApplyOk(state, Credit("c1", "2024-03-05T10:00:00", 4));
  ApplyOk(state, Credit("c2", "2024-03-05T09:00:00", 1));
  ApplyOk(state, Credit("c3", "2024-03-04T09:00:00", 2));
  ApplyOk(state, Credit("c0", "2024-03-05T10:00:00", 5));  // tie in time, smaller id: loses
  ASSERT_EQ(state.Credits().size(), 2u);
  EXPECT_EQ(state.Credits()[0].event_id, "c3");
  EXPECT_EQ(state.Credits()[0].day, kTime.DayOf(At("2024-03-04T12:00:00")));
  EXPECT_EQ(state.Credits()[1].event_id, "c1");
  EXPECT_EQ(state.Credits()[1].level, 4);
  ApplyOk(state, Credit("c9", "2024-03-05T10:00:00", 5));  // tie in time, greater id: wins
  EXPECT_EQ(state.Credits()[1].event_id, "c9");
  EXPECT_EQ(state.Credits()[1].level, 5);
  ApplyOk(state, Credit("c10-longer-id", "2024-03-05T10:00:00", 2));  // "c1…" < "c9": loses
  EXPECT_EQ(state.Credits()[1].event_id, "c9");
  ApplyOk(state, Credit("c8", "2024-03-05T11:00:00", 3));  // later in the day, shorter id
  EXPECT_EQ(state.Credits()[1].event_id, "c8");
  EXPECT_EQ(state.Credits()[1].level, 3);
}

TEST(MemberStateTest, RefundLimitPerOrderIsAtomic) {
  MemberState state("m1");
  for (int64_t i = 0; i < limits::kRefundsPerOrderMax; ++i) {
    ApplyOk(state, Refund("r" + std::to_string(i), "o1", "2024-03-06T10:00:00", 1));
  }
  MemberState before = state;
  Status status = state.Apply(Refund("rx", "o1", "2024-03-06T10:00:00", 1), kTime);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(state, before);
  // Another order is not affected by this one's limit.
  ApplyOk(state, Refund("ry", "o2", "2024-03-06T10:00:00", 1));
}

TEST(MemberStateTest, OrderLimitPerMemberIsAtomic) {
  MemberState state("m1");
  for (int64_t i = 0; i < limits::kOrdersPerMemberMax; ++i) {
    char order[16];
    std::snprintf(order, sizeof order, "o%07lld", static_cast<long long>(i));
    ApplyOk(state, Review("v" + std::to_string(i), order, "2024-03-06T10:00:00", false));
  }
  MemberState before = state;
  for (const Event& event : {Purchase("e1", "p1", "2024-03-06T10:00:00", 1),
                             Refund("e2", "p1", "2024-03-06T10:00:00", 1),
                             Review("e3", "p1", "2024-03-06T10:00:00", false)}) {
    Status status = state.Apply(event, kTime);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kLimitExceeded);
  }
  EXPECT_EQ(state.event_count(), before.event_count());
  EXPECT_TRUE(state == before);
  // Existing orders still take events.
  ApplyOk(state, Purchase("e4", "o0000000", "2024-03-06T10:00:00", 1));
}

TEST(MemberStateTest, MonthAndCreditDayLimits) {
  MemberState state("m1");
  MonthKey first = MonthKey::FromYearMonth(2000, 1);
  for (int64_t i = 0; i < limits::kMonthsPerMemberMax; ++i) {
    Event share = Base(EventType::kShare, "s" + std::to_string(i), "2000-01-01T00:00:00");
    share.at = kTime.StartOfLocalDay(first.plus(static_cast<int32_t>(i)), 1);
    ApplyOk(state, share);
  }
  Event share = Base(EventType::kShare, "sx", "2000-01-01T00:00:00");
  share.at =
      kTime.StartOfLocalDay(first.plus(static_cast<int32_t>(limits::kMonthsPerMemberMax)), 1);
  MemberState before = state;
  Status status = state.Apply(share, kTime);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(state, before);

  Instant day0 = At("2000-01-01T12:00:00");
  constexpr int64_t kUsPerDay = 86'400'000'000;
  for (int64_t i = 0; i < limits::kCreditDaysPerMemberMax; ++i) {
    Event credit = Credit("c" + std::to_string(i), "2000-01-01T00:00:00", 2);
    credit.at = Instant{day0.us + i * kUsPerDay};
    ApplyOk(state, credit);
  }
  Event credit = Credit("cx", "2000-01-01T00:00:00", 2);
  credit.at = Instant{day0.us + limits::kCreditDaysPerMemberMax * kUsPerDay};
  before = state;
  status = state.Apply(credit, kTime);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(state, before);
  // A later credit on a day already kept replaces it without a new day.
  credit.at = Instant{day0.us + kUsPerDay};
  ApplyOk(state, credit);
}

MemberState SampleState() {
  MemberState state("m1");
  ApplyOk(state, Purchase("e1", "o1", "2024-03-05T10:00:00", 12345));
  Event virtual_purchase = Purchase("e2", "o2", "1970-01-01T00:00:00Z", 0);
  virtual_purchase.at = Instant{-1'000'000};  // before 1970: exercises negative zigzag values
  virtual_purchase.goods = Goods::kVirtual;
  ApplyOk(state, virtual_purchase);
  ApplyOk(state, Refund("e3", "o1", "2024-03-06T10:00:00", 45));
  ApplyOk(state, Refund("e4", "o1", "2024-03-06T10:00:00", 55));
  ApplyOk(state, Refund("e5", "", "2024-03-06T10:00:00", 65));
  ApplyOk(state, Review("e6", "o3", "2024-03-07T10:00:00", true));
  ApplyOk(state, Base(EventType::kShare, "e7", "2024-04-01T10:00:00"));
  ApplyOk(state, Base(EventType::kPost, "e8", "2024-04-01T10:00:00"));
  ApplyOk(state, Base(EventType::kAnswer, "e9", "2024-05-01T10:00:00"));
  ApplyOk(state, Credit("e10", "2024-03-05T10:00:00", 5));
  ApplyOk(state, Credit("e11", "2024-03-06T10:00:00", 1));
  ApplyOk(state, Base(EventType::kVisit, "e12", "2024-03-06T10:00:00"));
  return state;
}

TEST(MemberStateCodecTest, RoundTrip) {
  for (const MemberState& state : {MemberState(), MemberState("m1"), SampleState()}) {
    std::string bytes = EncodeMemberState(state);
    Result<MemberState> decoded = DecodeMemberState(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.error().ToString();
    EXPECT_EQ(*decoded, state);
    EXPECT_EQ(EncodeMemberState(*decoded), bytes);
  }
}

void ExpectCorrupt(std::string_view bytes) {
  Result<MemberState> decoded = DecodeMemberState(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::kCorruptState);
}

TEST(MemberStateCodecTest, EveryTruncationIsCorrupt) {
  std::string bytes = EncodeMemberState(SampleState());
  for (size_t size = 0; size < bytes.size(); ++size) ExpectCorrupt(bytes.substr(0, size));
}

TEST(MemberStateCodecTest, GarbageIsCorrupt) {
  std::string bytes = EncodeMemberState(SampleState());
  ExpectCorrupt(bytes + '\0');                           // trailing bytes
  ExpectCorrupt(std::string("\x03") + bytes.substr(1));  // unknown version
  ExpectCorrupt(std::string("\x01") + bytes.substr(1));  // version 1 is not read any more
  ExpectCorrupt(std::string(11, '\xff'));                // a varint longer than 64 bits
  // A count far beyond the bytes that follow must fail, not allocate.
  ExpectCorrupt(std::string("\x02\x02m1\x00\x02\xff\xff\x05", 9));
  // No events, yet a month of activity.
  ExpectCorrupt(std::string("\x02\x02m1\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00", 16));
}

// Builds the bytes of a state with one order by hand (version 2, see member_state.cc), to reach
// checks a real state never trips: first event at 0, 1 event, the dictionary {"c", "s"}, base day
// 0, order `order` with `flags`, bought on day `day` for 2 (shop s, category c), then the
// refund days given as offsets from the previous one, 1 each.
std::string OneOrderBytes(std::string_view order, char flags, std::string_view refund_steps,
                          char day = '\x00', char category = '\x00') {
  std::string bytes("\x02\x02m1\x00\x01", 6);
  bytes += std::string(
      "\x02\x00\x01"
      "c"
      "\x00\x01"
      "s",
      7);           // the dictionary
  bytes += '\x00';  // base day
  bytes += '\x01';  // one order
  bytes += '\x00';  // shares nothing with the (absent) previous order id
  bytes += static_cast<char>(order.size());
  bytes += order;
  bytes += flags;
  if ((flags & MemberState::kHasPurchase) != 0) {
    bytes += day;
    bytes += std::string("\x02\x01", 2);
    bytes += category;
  }
  if ((flags & MemberState::kHasRefunds) != 0) {
    bytes += static_cast<char>(refund_steps.size());  // refund events
    bytes += static_cast<char>(refund_steps.size());  // days
    for (char step : refund_steps) {
      bytes += step;
      bytes += '\x01';
    }
  }
  bytes += std::string("\x00\x00", 2);  // no months, no credits
  return bytes;
}

TEST(MemberStateCodecTest, InvalidValuesAreCorrupt) {
  const char purchase = MemberState::kHasPurchase;
  const char refunds = MemberState::kHasRefunds;
  ASSERT_TRUE(DecodeMemberState(OneOrderBytes("o1", purchase, "")).ok());
  ASSERT_TRUE(DecodeMemberState(OneOrderBytes("o1", purchase | MemberState::kVirtual, "")).ok());
  ASSERT_TRUE(
      DecodeMemberState(OneOrderBytes("o1", purchase | refunds, std::string("\x00\x02", 2))).ok());
  ExpectCorrupt(OneOrderBytes("o1", MemberState::kVirtual | refunds,
                              std::string(1, '\0')));         // goods, no purchase
  ExpectCorrupt(OneOrderBytes("o1", '\x40' | purchase, ""));  // an unknown flag
  ExpectCorrupt(OneOrderBytes("o1", '\x00', ""));             // an order with nothing
  ExpectCorrupt(OneOrderBytes("", purchase, ""));             // an order without a name
  ExpectCorrupt(
      OneOrderBytes("o1", purchase | refunds, std::string(2, '\0')));  // two refunds on one day
  ExpectCorrupt(OneOrderBytes("o1", purchase, "", '\x01'));  // base day not the smallest day
  ExpectCorrupt(OneOrderBytes("o1", purchase, "", '\x00', '\x02'));  // no dictionary entry 2
}

TEST(MemberStateCodecTest, RandomGarblingNeverCrashes) {
  std::string bytes = EncodeMemberState(SampleState());
  uint64_t seed = 12345;
  for (int round = 0; round < 20000; ++round) {
    std::string garbled = bytes;
    for (int flips = 0; flips < 1 + round % 4; ++flips) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      size_t pos = (seed >> 33) % garbled.size();
      garbled[pos] = static_cast<char>(seed >> 13);
    }
    Result<MemberState> decoded = DecodeMemberState(garbled);
    if (decoded.ok()) {
      // Whatever decodes must be a state that encodes back to the same bytes' meaning.
      EXPECT_EQ(DecodeMemberState(EncodeMemberState(*decoded)).value(), *decoded);
    } else {
      EXPECT_EQ(decoded.error().code, ErrorCode::kCorruptState);
    }
  }
}

}  // namespace
}  // namespace onecard
