// A member's folded state: what the score needs from every event the member ever sent, kept per
// order and per month rather than as a log. Folding is order-independent: any arrival order of
// the same events gives the same state (PRODUCT §1), so refunds and reviews may come before the
// purchase they name. Publication reads this state, never the raw event log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/money.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

struct PurchaseRecord {
  std::string event_id;
  Instant at;
  Money amount;
  std::string site;
  std::string shop;
  std::string category;
  Goods goods = Goods::kPhysical;
  friend bool operator==(const PurchaseRecord&, const PurchaseRecord&) = default;
};

// Refunds are kept one by one (bounded by limits::kRefundsPerOrderMax) because only those dated
// before a publication's instant count in it.
struct RefundRecord {
  Instant at;
  Money amount;
  std::string event_id;
  friend bool operator==(const RefundRecord&, const RefundRecord&) = default;
};

// The order's counting review: the earliest, on a tie the one with photos, then the smallest id.
struct ReviewRecord {
  Instant at;
  bool photos = false;
  std::string event_id;
  friend bool operator==(const ReviewRecord&, const ReviewRecord&) = default;
};

struct OrderState {
  std::string order;
  std::optional<PurchaseRecord> purchase;  // absent while only refunds or reviews have arrived
  std::vector<RefundRecord> refunds;       // sorted by (at, event_id)
  std::optional<ReviewRecord> review;
  friend bool operator==(const OrderState&, const OrderState&) = default;
};

// Per local month: the social actions (they count in the month they happen) and refunds that name
// no order (no score effect; kept for net spend and analytics).
struct MonthActivity {
  MonthKey month;
  int64_t shares = 0;
  int64_t posts = 0;
  int64_t answers = 0;
  Money unnamed_refunds;
  friend bool operator==(const MonthActivity&, const MonthActivity&) = default;
};

// The latest credit event of one local day (on a tie in time, the greatest event id). Publication
// instants fall on local midnight, so per-day latest is enough to answer "latest before instant".
struct CreditRecord {
  LocalDay day;
  Instant at;
  std::string event_id;
  int32_t level = 0;
  friend bool operator==(const CreditRecord&, const CreditRecord&) = default;
};

class MemberState {
 public:
  MemberState() = default;
  explicit MemberState(std::string member) : member_(std::move(member)) {}

  // Folds one validated event of this member into the state. Atomic: on error nothing changed.
  // Errors: kDuplicateOrder (a second purchase for an order that has one), kLimitExceeded.
  // REQUIRES: event.member == member().
  Status Apply(const Event& event, const ProgramTime& time);

  const std::string& member() const { return member_; }
  // The earliest `at` of any event folded in; a publication covers the member if it is before
  // the instant. REQUIRES: has_events().
  bool has_events() const { return has_events_; }
  Instant first_event_at() const { return first_event_at_; }
  int64_t event_count() const { return event_count_; }

  const std::vector<OrderState>& orders() const { return orders_; }  // sorted by order id
  const std::vector<MonthActivity>& months() const { return months_; }  // sorted by month
  const std::vector<CreditRecord>& credits() const { return credits_; }  // sorted by day
  const OrderState* FindOrder(std::string_view order) const;

  friend bool operator==(const MemberState&, const MemberState&) = default;

 private:
  friend Result<MemberState> DecodeMemberState(std::string_view bytes);
  friend std::string EncodeMemberState(const MemberState& state);

  OrderState* FindOrMakeOrder(std::string_view order);
  MonthActivity* FindOrMakeMonth(MonthKey month);

  std::string member_;
  bool has_events_ = false;
  Instant first_event_at_;
  int64_t event_count_ = 0;
  std::vector<OrderState> orders_;
  std::vector<MonthActivity> months_;
  std::vector<CreditRecord> credits_;
};

// A compact binary form of the state for the store (versioned; little-endian varints).
std::string EncodeMemberState(const MemberState& state);
// Fails with kCorruptState if the bytes are not a state this version can read.
Result<MemberState> DecodeMemberState(std::string_view bytes);

}  // namespace onecard
