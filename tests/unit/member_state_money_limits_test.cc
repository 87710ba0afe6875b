// Sums of refunds are bounded so that no sum of money a score makes can overflow int64; going past
// a bound is a defined error that leaves the state unchanged.
#include <gtest/gtest.h>

#include "core/limits.h"
#include "core/member_state.h"

namespace onecard {
namespace {

Event Refund(const std::string& id, const std::string& order, int64_t minor) {
  Event event;
  event.id = id;
  event.type = EventType::kRefund;
  event.member = "m1";
  event.at = Instant{1'700'000'000'000'000};
  event.order = order;
  event.amount = Money{minor};
  return event;
}

TEST(MemberStateMoneyLimits, RefundsNamingNoOrderAreBoundedPerMonth) {
  const ProgramTime time(8 * 3600);
  MemberState state("m1");
  const int64_t kMax = limits::kAmountMinorMax;
  const int64_t refunds_allowed = limits::kUnnamedRefundsPerMonthMinorMax / kMax;
  for (int64_t i = 0; i < refunds_allowed; ++i) {
    ASSERT_TRUE(state.Apply(Refund("r" + std::to_string(i), "", kMax), time).ok()) << i;
  }
  const MemberState before = state;
  Status status = state.Apply(Refund("one-too-many", "", 1), time);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(status.error().field, "amount");
  EXPECT_EQ(state, before);
}

TEST(MemberStateMoneyLimits, RefundsOfOneOrderAreBoundedByTheLargestAmount) {
  const ProgramTime time(8 * 3600);
  MemberState state("m1");
  ASSERT_TRUE(state.Apply(Refund("r1", "o1", limits::kAmountMinorMax - 5), time).ok());
  ASSERT_TRUE(state.Apply(Refund("r2", "o1", 5), time).ok());
  const MemberState before = state;
  Status status = state.Apply(Refund("r3", "o1", 1), time);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(state, before);
  // Another order has its own room.
  EXPECT_TRUE(state.Apply(Refund("r4", "o2", 1), time).ok());
}

}  // namespace
}  // namespace onecard
