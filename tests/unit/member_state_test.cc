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
  EXPECT_TRUE(state.orders().empty());
  EXPECT_EQ(state.FindOrder("o1"), nullptr);
}

TEST(MemberStateTest, CommonFieldsTrackEveryEvent) {
  MemberState state("m1");
  ApplyOk(state, Base(EventType::kVisit, "e1", "2024-03-05T10:00:00"));
  ApplyOk(state, Base(EventType::kVisit, "e2", "2024-03-01T10:00:00"));
  ApplyOk(state, Base(EventType::kVisit, "e3", "2024-03-09T10:00:00"));
  EXPECT_TRUE(state.has_events());
  EXPECT_EQ(state.event_count(), 3);
  EXPECT_EQ(state.first_event_at(), At("2024-03-01T10:00:00"));
  EXPECT_TRUE(state.orders().empty());
  EXPECT_TRUE(state.months().empty());
}

TEST(MemberStateTest, PurchaseIsRecorded) {
  MemberState state("m1");
  ApplyOk(state, Purchase("e1", "o1", "2024-03-05T10:00:00", 12345));
  const OrderState* order = state.FindOrder("o1");
  ASSERT_NE(order, nullptr);
  ASSERT_TRUE(order->purchase.has_value());
  EXPECT_EQ(order->purchase->event_id, "e1");
  EXPECT_EQ(order->purchase->amount, Money{12345});
  EXPECT_EQ(order->purchase->shop, "shop-a");
  EXPECT_EQ(order->purchase->category, "books");
  EXPECT_EQ(order->purchase->site, "tmall");
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
  ASSERT_NE(state.FindOrder("o1"), nullptr);
  EXPECT_FALSE(state.FindOrder("o1")->purchase.has_value());
  ApplyOk(state, Purchase("e3", "o1", "2024-03-05T10:00:00", 100));
  const OrderState* order = state.FindOrder("o1");
  ASSERT_TRUE(order->purchase.has_value());
  EXPECT_EQ(order->refunds.size(), 1u);
  EXPECT_TRUE(order->review.has_value());
  EXPECT_EQ(state.orders().size(), 1u);
}

TEST(MemberStateTest, OrdersAreSortedById) {
  MemberState state("m1");
  ApplyOk(state, Purchase("e1", "o3", "2024-03-05T10:00:00", 100));
  ApplyOk(state, Purchase("e2", "o1", "2024-03-05T10:00:00", 100));
  ApplyOk(state, Refund("e3", "o2", "2024-03-05T10:00:00", 100));
  ASSERT_EQ(state.orders().size(), 3u);
  EXPECT_EQ(state.orders()[0].order, "o1");
  EXPECT_EQ(state.orders()[1].order, "o2");
  EXPECT_EQ(state.orders()[2].order, "o3");
}

TEST(MemberStateTest, RefundsAreSortedByTimeThenId) {
  MemberState state("m1");
  ApplyOk(state, Refund("r9", "o1", "2024-03-06T10:00:00", 1));
  ApplyOk(state, Refund("r5", "o1", "2024-03-07T10:00:00", 2));
  ApplyOk(state, Refund("r1", "o1", "2024-03-06T10:00:00", 3));
  const OrderState* order = state.FindOrder("o1");
  ASSERT_EQ(order->refunds.size(), 3u);
  EXPECT_EQ(order->refunds[0].event_id, "r1");
  EXPECT_EQ(order->refunds[1].event_id, "r9");
  EXPECT_EQ(order->refunds[2].event_id, "r5");
}

TEST(MemberStateTest, RefundWithoutOrderGoesToItsLocalMonth) {
  MemberState state("m1");
  // 2024-02-29T17:30Z is 01:30 on March 1st in UTC+8.
  ApplyOk(state, Refund("r1", "", "2024-02-29T17:30:00Z", 700));
  ApplyOk(state, Refund("r2", "", "2024-03-20T10:00:00", 300));
  EXPECT_TRUE(state.orders().empty());
  ASSERT_EQ(state.months().size(), 1u);
  EXPECT_EQ(state.months()[0].month, MonthKey::FromYearMonth(2024, 3));
  EXPECT_EQ(state.months()[0].unnamed_refunds, Money{1000});
}

TEST(MemberStateTest, ReviewKeepsTheEarliest) {
  MemberState state("m1");
  ApplyOk(state, Review("v2", "o1", "2024-03-07T10:00:00", true));
  ApplyOk(state, Review("v1", "o1", "2024-03-06T10:00:00", false));
  ApplyOk(state, Review("v3", "o1", "2024-03-08T10:00:00", true));
  const OrderState* order = state.FindOrder("o1");
  ASSERT_TRUE(order->review.has_value());
  EXPECT_EQ(order->review->event_id, "v1");
  EXPECT_FALSE(order->review->photos);
}

TEST(MemberStateTest, ReviewTieInTimePrefersPhotosThenSmallerId) {
  for (bool photos_first : {false, true}) {
    MemberState state("m1");
    Event plain = Review("v1", "o1", "2024-03-06T10:00:00", false);
    Event with_photos = Review("v2", "o1", "2024-03-06T10:00:00", true);
    ApplyOk(state, photos_first ? with_photos : plain);
    ApplyOk(state, photos_first ? plain : with_photos);
    EXPECT_EQ(state.FindOrder("o1")->review->event_id, "v2");
  }
  MemberState state("m1");
  ApplyOk(state, Review("v7", "o1", "2024-03-06T10:00:00", true));
  ApplyOk(state, Review("v3", "o1", "2024-03-06T10:00:00", true));
  ApplyOk(state, Review("v5", "o1", "2024-03-06T10:00:00", true));
  EXPECT_EQ(state.FindOrder("o1")->review->event_id, "v3");
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
  ASSERT_EQ(state.credits().size(), 2u);
  EXPECT_EQ(state.credits()[0].event_id, "c3");
  EXPECT_EQ(state.credits()[0].day, kTime.DayOf(At("2024-03-04T12:00:00")));
  EXPECT_EQ(state.credits()[1].event_id, "c1");
  EXPECT_EQ(state.credits()[1].level, 4);
  ApplyOk(state, Credit("c9", "2024-03-05T10:00:00", 5));  // tie in time, greater id: wins
  EXPECT_EQ(state.credits()[1].event_id, "c9");
  EXPECT_EQ(state.credits()[1].level, 5);
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
  ExpectCorrupt(std::string("\x02") + bytes.substr(1));  // unknown version
  ExpectCorrupt(std::string(11, '\xff'));                // a varint longer than 64 bits
  ExpectCorrupt(std::string("\x01\x02m1\x02"));          // has_events neither 0 nor 1
  // A count far beyond the bytes that follow must fail, not allocate.
  ExpectCorrupt(std::string("\x01\x02m1\x01\x02\x02\xff\xff\x05"));
  // has_events without events, and events without has_events.
  ExpectCorrupt(std::string("\x01\x02m1\x01\x00\x00\x00\x00\x00", 10));
  ExpectCorrupt(std::string("\x01\x02m1\x00\x00\x01\x00\x00\x00", 10));
}

// Builds the bytes of a state with one order by hand, to reach checks a real state never trips.
std::string OneOrderBytes(std::string_view order, char goods, char refund_count) {
  std::string bytes("\x01\x02m1\x01\x00\x02\x01", 8);  // has events, first at 0, 1 event
  bytes += static_cast<char>(order.size());
  bytes += order;
  bytes += '\x01';  // has a purchase
  bytes += std::string(
      "\x02"
      "e1"
      "\x02"
      "\x02"
      "\x01s"
      "\x01s"
      "\x01"
      "c",
      11);
  bytes += goods;
  bytes += refund_count;
  for (char i = 0; i < refund_count; ++i)
    bytes += std::string("\x04\x02\x02r") + static_cast<char>('9' - i);
  bytes += std::string("\x00\x00\x00", 3);  // no review, no months, no credits
  return bytes;
}

TEST(MemberStateCodecTest, InvalidValuesAreCorrupt) {
  ASSERT_TRUE(DecodeMemberState(OneOrderBytes("o1", '\x01', 1)).ok());
  ExpectCorrupt(OneOrderBytes("o1", '\x02', 1));  // goods out of range
  ExpectCorrupt(OneOrderBytes("", '\x00', 0));    // an order without a name
  ExpectCorrupt(OneOrderBytes("o1", '\x00', 2));  // refunds out of order (r9 before r8)
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
