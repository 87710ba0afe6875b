// A member's folded state: what the score needs from every event the member ever sent, and nothing
// more. Folding is order-independent: any arrival order of the same events gives the same state
// (PRODUCT §1), so refunds and reviews may come before the purchase they name. Publication reads
// this state, never the raw event log.
//
// What is kept, and why (docs/architecture.md has the same list):
// - per month: shares, posts, answers and refunds naming no order. These are true monthly
//   aggregates: nothing that arrives later can change how they count.
// - per order (sorted by order id): the purchase's local day, amount, goods, shop and category (as
//   indices into the member's dictionary of names; the purchase's site is not used by the score
//   and stays in the event log only); its refunds summed per local day;
//   the number of refund events (a limit); the counting review's instant and photos flag. An
//   order cannot be folded into its month: the order cap applies to the order's net amount, and a
//   refund or review may name the order at any later time, so each order stays separable.
//   Days are enough: every instant a publication compares with (the window's ends, the
//   publication instant) is a local midnight. The review keeps its exact instant because the
//   earliest review of an order counts, and two reviews of one day may differ in photos.
// - per local day with a credit event: the latest one (instant, event id for the tie-break,
//   level). Instants fall on local midnight, so the latest of a day is all a publication needs.
// - the first event's instant (coverage) and the number of events folded.
//
// Two forms: MemberState is the working form (flat vectors of fixed-size records; cheap to fold
// into and to score), EncodeMemberState gives the compact canonical bytes that the engine keeps
// resident in memory and the store keeps on disk. A member's state is decoded into a reused
// MemberState only while it is folded or scored.
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

// The refunds of one order dated on one local day, summed.
struct RefundDay {
  LocalDay day;
  Money amount;
  friend bool operator==(const RefundDay&, const RefundDay&) = default;
};

// One order, for reading (tests, tools). The views point into the state and stay valid until it
// changes.
struct OrderView {
  std::string_view order;
  bool has_purchase = false;
  LocalDay day;  // of the purchase
  Money amount;
  Goods goods = Goods::kPhysical;
  std::string_view shop, category;
  std::vector<RefundDay> refunds;  // by day
  int64_t refund_events = 0;
  bool has_review = false;  // the counting review: the earliest, on a tie the one with photos
  Instant review_at;
  bool review_photos = false;
};

// The latest credit event of one local day (on a tie in time, the greatest event id).
struct CreditView {
  LocalDay day;
  Instant at;
  std::string_view event_id;
  int32_t level = 0;
};

class MemberState {
 public:
  // A byte range of names_: an order id, a dictionary name or a credit event id.
  struct NameRef {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  enum OrderFlag : uint8_t {
    kHasPurchase = 1,
    kVirtual = 2,
    kHasReview = 4,
    kReviewPhotos = 8,
    kHasRefunds = 16,
  };
  struct OrderRecord {
    NameRef name;           // the order id
    int64_t amount = 0;     // the purchase amount, minor units
    int64_t review_at = 0;  // the counting review's instant, microseconds
    int32_t day = 0;        // LocalDay of the purchase
    uint32_t shop = 0;      // shop and category: indices into the dictionary
    uint32_t category = 0;
    uint32_t refund_events = 0;
    uint8_t flags = 0;
  };
  // Refunds of one order on one local day; `order` is the order's name offset, which no other
  // order shares and which does not move when orders are inserted.
  struct RefundRecord {
    uint32_t order = 0;
    int32_t day = 0;
    int64_t amount = 0;
  };
  struct CreditRecord {
    int32_t day = 0;
    int32_t level = 0;
    int64_t at = 0;
    NameRef event_id;
  };

  MemberState() = default;
  explicit MemberState(std::string_view member) { Reset(member); }

  // Empties the state and names it for `member`, keeping the memory it holds (for reuse).
  void Reset(std::string_view member);

  // Folds one validated event of this member into the state. Atomic: on error nothing changed.
  // Errors: kDuplicateOrder (a second purchase for an order that has one), kLimitExceeded.
  // REQUIRES: event.member == member().
  Status Apply(const Event& event, const ProgramTime& time);

  std::string_view member() const { return Name(member_); }
  // The earliest `at` of any event folded in; a publication covers the member if it is before
  // the instant. REQUIRES: has_events().
  bool has_events() const { return event_count_ > 0; }
  Instant first_event_at() const { return Instant{first_event_at_}; }
  int64_t event_count() const { return event_count_; }

  // Reading, for tests and tools (these allocate; scoring uses the records below).
  size_t order_count() const { return orders_.size(); }
  OrderView OrderAt(size_t index) const;  // orders sorted by order id
  std::optional<OrderView> FindOrder(std::string_view order) const;
  const std::vector<MonthActivity>& months() const { return months_; }  // sorted by month
  std::vector<CreditView> Credits() const;                              // sorted by day

  // The records themselves, for the score.
  const std::vector<OrderRecord>& order_records() const { return orders_; }
  const std::vector<RefundRecord>& refund_records() const { return refunds_; }  // by order, day
  const std::vector<CreditRecord>& credit_records() const { return credits_; }  // by day
  size_t dictionary_size() const { return dictionary_.size(); }
  std::string_view Name(NameRef ref) const {
    return std::string_view(names_).substr(ref.offset, ref.size);
  }
  // The refunds of one order: a range of refund_records().
  std::pair<const RefundRecord*, const RefundRecord*> RefundsOf(const OrderRecord& order) const;

  // Equal states have equal canonical bytes, whatever order their events were folded in.
  friend bool operator==(const MemberState& a, const MemberState& b);

 private:
  friend void EncodeMemberStateTo(const MemberState& state, std::string* out);
  friend Status DecodeMemberStateInto(std::string_view bytes, MemberState* state);
  // Reads only what the score needs: order ids, dictionary names and credit ids are skipped (and
  // their order is not checked), so the state can be scored but not folded into, encoded or read
  // by name. For bytes a full decode accepted before (the engine's resident states). It still never
  // reads past the bytes, and fails with kCorruptState if they do not parse.
  Status DecodeMemberStateForScore(std::string_view bytes, MemberState* state);
  friend Status DecodeMemberStateForScore(std::string_view bytes, MemberState* state);
  static Status Decode(std::string_view bytes, MemberState* state, bool with_names);

  NameRef AddName(std::string_view text);
  // The index of `order` in orders_ (sorted by id), or where it would go; *found says which.
  size_t OrderPosition(std::string_view order, bool* found) const;
  // The dictionary index of `name`, or -1.
  int64_t FindDictionary(std::string_view name) const;
  uint32_t FindOrAddDictionary(std::string_view name);
  MonthActivity* FindOrMakeMonth(MonthKey month);
  Status ApplyPurchase(const Event& event, const ProgramTime& time);
  Status ApplyRefund(const Event& event, const ProgramTime& time);
  Status ApplyReview(const Event& event);
  Status ApplyCredit(const Event& event, const ProgramTime& time);

  std::string names_;           // bytes of every NameRef; holds unreferenced bytes after changes
  bool names_skipped_ = false;  // decoded for the score only: no names, no folding
  NameRef member_;
  int64_t first_event_at_ = 0;
  int64_t event_count_ = 0;
  std::vector<NameRef> dictionary_;         // shop and category names, in arrival order
  std::vector<uint32_t> dictionary_order_;  // dictionary indices sorted by name
  std::vector<OrderRecord> orders_;         // sorted by order id
  std::vector<RefundRecord> refunds_;       // sorted by (order, day)
  std::vector<MonthActivity> months_;       // sorted by month
  std::vector<CreditRecord> credits_;       // sorted by day
};

// The compact canonical byte form (versioned; little-endian varints, names front-coded). Equal
// states give equal bytes. EncodeMemberStateTo replaces *out (keeping its capacity).
std::string EncodeMemberState(const MemberState& state);
void EncodeMemberStateTo(const MemberState& state, std::string* out);
// Fails with kCorruptState if the bytes are not a state this version can read. The Into form
// reuses the memory *state already holds; on failure *state is unspecified.
Result<MemberState> DecodeMemberState(std::string_view bytes);
Status DecodeMemberStateInto(std::string_view bytes, MemberState* state);
// Reads only what the score needs: order ids, dictionary names and credit ids are skipped (and
// their order is not checked), so the state can be scored but not folded into, encoded or read
// by name. For bytes a full decode accepted before (the engine's resident states). It still never
// reads past the bytes, and fails with kCorruptState if they do not parse.
Status DecodeMemberStateForScore(std::string_view bytes, MemberState* state);
// The member id at the start of encoded state bytes, without decoding the rest ("" if corrupt).
std::string_view EncodedStateMember(std::string_view bytes);

}  // namespace onecard
