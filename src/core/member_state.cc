// Folding events into a member's state, and the state's binary form for the store.
#include "core/member_state.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

#include "core/assert.h"
#include "core/limits.h"

namespace onecard {

namespace {

Error LimitError(std::string field, std::string message) {
  return MakeError(ErrorCode::kLimitExceeded, std::move(field), std::move(message));
}

// The order in which refunds are kept, and the tie-break for credits: time first, then event id,
// so that the kept order does not depend on arrival order.
bool EarlierThan(Instant a_at, std::string_view a_id, Instant b_at, std::string_view b_id) {
  return std::tie(a_at, a_id) < std::tie(b_at, b_id);
}

// True when `candidate` should replace `kept` as the order's counting review: earlier wins; on a
// tie in time the one with photos; then the smaller event id, so any arrival order keeps the same.
bool BetterReview(const ReviewRecord& candidate, const ReviewRecord& kept) {
  if (candidate.at != kept.at) return candidate.at < kept.at;
  if (candidate.photos != kept.photos) return candidate.photos;
  return candidate.event_id < kept.event_id;
}

// Inserts the refund in (at, event_id) order. A newly made order has no refunds, so the limit can
// only fail on an order that already existed, before anything changed.
Status InsertRefund(OrderState& order, const Event& event) {
  if (static_cast<int64_t>(order.refunds.size()) >= limits::kRefundsPerOrderMax) {
    return LimitError("order", "too many refunds for one order");
  }
  // No order can be refunded more than the largest amount one event may carry; the bound keeps
  // every sum of refunds the score makes inside int64.
  int64_t refunded = 0;
  for (const RefundRecord& refund : order.refunds) refunded += refund.amount.minor;
  if (refunded > limits::kAmountMinorMax - event.amount.minor) {
    return LimitError("amount",
                      "refunds of one order exceed " + FormatMoney(Money{limits::kAmountMinorMax}));
  }
  auto it = std::upper_bound(order.refunds.begin(), order.refunds.end(), event,
                             [](const Event& e, const RefundRecord& r) {
                               return EarlierThan(e.at, e.id, r.at, r.event_id);
                             });
  order.refunds.insert(it, RefundRecord{event.at, event.amount, event.id});
  return Status::Ok();
}

// Keeps only the latest credit event of each local day: publication instants fall on local
// midnight, so an earlier one of the same day can never be "the latest before an instant".
Status KeepLatestCredit(std::vector<CreditRecord>& credits, const Event& event, LocalDay day) {
  auto it = std::lower_bound(credits.begin(), credits.end(), day,
                             [](const CreditRecord& c, LocalDay key) { return c.day < key; });
  if (it != credits.end() && it->day == day) {
    if (EarlierThan(it->at, it->event_id, event.at, event.id)) {
      *it = CreditRecord{day, event.at, event.id, event.level};
    }
    return Status::Ok();
  }
  if (static_cast<int64_t>(credits.size()) >= limits::kCreditDaysPerMemberMax) {
    return LimitError("at", "too many days with credit events");
  }
  credits.insert(it, CreditRecord{day, event.at, event.id, event.level});
  return Status::Ok();
}

}  // namespace

const OrderState* MemberState::FindOrder(std::string_view order) const {
  auto it =
      std::lower_bound(orders_.begin(), orders_.end(), order,
                       [](const OrderState& o, std::string_view key) { return o.order < key; });
  if (it == orders_.end() || it->order != order) return nullptr;
  return &*it;
}

// Returns nullptr (and changes nothing) when a new order would pass limits::kOrdersPerMemberMax.
OrderState* MemberState::FindOrMakeOrder(std::string_view order) {
  auto it =
      std::lower_bound(orders_.begin(), orders_.end(), order,
                       [](const OrderState& o, std::string_view key) { return o.order < key; });
  if (it != orders_.end() && it->order == order) return &*it;
  if (static_cast<int64_t>(orders_.size()) >= limits::kOrdersPerMemberMax) return nullptr;
  OrderState fresh;
  fresh.order = std::string(order);
  return &*orders_.insert(it, std::move(fresh));
}

// Returns nullptr (and changes nothing) when a new month would pass limits::kMonthsPerMemberMax.
MonthActivity* MemberState::FindOrMakeMonth(MonthKey month) {
  auto it = std::lower_bound(months_.begin(), months_.end(), month,
                             [](const MonthActivity& m, MonthKey key) { return m.month < key; });
  if (it != months_.end() && it->month == month) return &*it;
  if (static_cast<int64_t>(months_.size()) >= limits::kMonthsPerMemberMax) return nullptr;
  MonthActivity fresh;
  fresh.month = month;
  return &*months_.insert(it, fresh);
}

Status MemberState::Apply(const Event& event, const ProgramTime& time) {
  ONECARD_ASSERT(event.member == member_);
  // Each branch checks its limits before it mutates, so an error leaves the state as it was.
  Status status;
  switch (event.type) {
    case EventType::kPurchase: {
      const OrderState* existing = FindOrder(event.order);
      if (existing != nullptr && existing->purchase.has_value()) {
        return MakeError(ErrorCode::kDuplicateOrder, "order",
                         "the member already has a purchase for order " + event.order);
      }
      OrderState* order = FindOrMakeOrder(event.order);
      if (order == nullptr) return LimitError("order", "too many orders for one member");
      order->purchase = PurchaseRecord{event.id,   event.at,       event.amount, event.site,
                                       event.shop, event.category, event.goods};
      break;
    }
    case EventType::kRefund: {
      if (event.order.empty()) {
        // A refund the source could not tie to an order: no score effect, kept for net spend.
        // The month's sum is bounded so that no later sum of money can overflow.
        const MonthKey key = time.MonthOf(event.at);
        auto found = std::lower_bound(
            months_.begin(), months_.end(), key,
            [](const MonthActivity& m, MonthKey wanted) { return m.month < wanted; });
        const int64_t so_far =
            found != months_.end() && found->month == key ? found->unnamed_refunds.minor : 0;
        if (so_far > limits::kUnnamedRefundsPerMonthMinorMax - event.amount.minor) {
          return LimitError("amount",
                            "refunds naming no order exceed " +
                                FormatMoney(Money{limits::kUnnamedRefundsPerMonthMinorMax}) +
                                " in one month for one member");
        }
        MonthActivity* month = FindOrMakeMonth(key);
        if (month == nullptr) return LimitError("at", "too many months with activity");
        month->unnamed_refunds += event.amount;
        break;
      }
      OrderState* order = FindOrMakeOrder(event.order);
      if (order == nullptr) return LimitError("order", "too many orders for one member");
      status = InsertRefund(*order, event);
      break;
    }
    case EventType::kReview: {
      OrderState* order = FindOrMakeOrder(event.order);
      if (order == nullptr) return LimitError("order", "too many orders for one member");
      ReviewRecord review{event.at, event.photos, event.id};
      if (!order->review.has_value() || BetterReview(review, *order->review)) {
        order->review = std::move(review);
      }
      break;
    }
    case EventType::kShare:
    case EventType::kPost:
    case EventType::kAnswer: {
      MonthActivity* month = FindOrMakeMonth(time.MonthOf(event.at));
      if (month == nullptr) return LimitError("at", "too many months with activity");
      if (event.type == EventType::kShare) ++month->shares;
      if (event.type == EventType::kPost) ++month->posts;
      if (event.type == EventType::kAnswer) ++month->answers;
      break;
    }
    case EventType::kCredit:
      status = KeepLatestCredit(credits_, event, time.DayOf(event.at));
      break;
    case EventType::kVisit:
      break;
  }
  if (!status.ok()) return status;
  if (!has_events_ || event.at < first_event_at_) first_event_at_ = event.at;
  has_events_ = true;
  ++event_count_;
  return Status::Ok();
}

// The binary form, version 1. Every integer is a little-endian base-128 varint (signed ones
// zigzagged), every string is its length then its bytes, every list its count then its items:
//   version, member, has_events, first_event_at, event_count,
//   orders { order, has_purchase [event_id at amount site shop category goods],
//            refunds { at amount event_id }, has_review [at photos event_id] },
//   months { month shares posts answers unnamed_refunds },
//   credits { day at event_id level }.
namespace {

constexpr uint8_t kStateVersion = 1;

class StateWriter {
 public:
  explicit StateWriter(std::string* out) : out_(out) {}
  void Unsigned(uint64_t value) {
    while (value >= 0x80) {
      out_->push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out_->push_back(static_cast<char>(value));
  }
  void Signed(int64_t value) {
    Unsigned((static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
  }
  void Bool(bool value) { out_->push_back(value ? '\1' : '\0'); }
  void String(std::string_view text) {
    Unsigned(text.size());
    out_->append(text);
  }

 private:
  std::string* out_;
};

void WriteOrder(StateWriter& w, const OrderState& order) {
  w.String(order.order);
  w.Bool(order.purchase.has_value());
  if (order.purchase) {
    const PurchaseRecord& p = *order.purchase;
    w.String(p.event_id);
    w.Signed(p.at.us);
    w.Signed(p.amount.minor);
    w.String(p.site);
    w.String(p.shop);
    w.String(p.category);
    w.Unsigned(static_cast<uint64_t>(p.goods));
  }
  w.Unsigned(order.refunds.size());
  for (const RefundRecord& r : order.refunds) {
    w.Signed(r.at.us);
    w.Signed(r.amount.minor);
    w.String(r.event_id);
  }
  w.Bool(order.review.has_value());
  if (order.review) {
    w.Signed(order.review->at.us);
    w.Bool(order.review->photos);
    w.String(order.review->event_id);
  }
}

// Reads the binary form. Every read checks what is left and the range of the value; the first
// failure sticks (ok() turns false) and later reads return zeros, so callers check once per item.
class StateReader {
 public:
  explicit StateReader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == bytes_.size(); }
  size_t Remaining() const { return bytes_.size() - pos_; }
  void Fail() { ok_ = false; }

  uint64_t Unsigned() {
    uint64_t value = 0;
    for (int shift = 0; ok_ && shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) break;
      auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      // The tenth byte may carry only the top bit of a 64-bit value.
      if (shift == 63 && byte > 1) break;
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    ok_ = false;
    return 0;
  }
  int64_t Signed() {
    uint64_t raw = Unsigned();
    return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
  }
  int64_t Count(int64_t max) {  // a non-negative count or quantity, at most max
    uint64_t value = Unsigned();
    if (value > static_cast<uint64_t>(max)) ok_ = false;
    return ok_ ? static_cast<int64_t>(value) : 0;
  }
  int32_t Int32() {
    int64_t value = Signed();
    if (value < std::numeric_limits<int32_t>::min() ||
        value > std::numeric_limits<int32_t>::max()) {
      ok_ = false;
    }
    return ok_ ? static_cast<int32_t>(value) : 0;
  }
  Money Amount(int64_t max) {
    int64_t value = Signed();
    if (value < 0 || value > max) ok_ = false;
    return Money{ok_ ? value : 0};
  }
  bool Bool() {
    uint64_t value = Unsigned();
    if (value > 1) ok_ = false;
    return ok_ && value == 1;
  }
  std::string String(int64_t max_bytes) {
    auto size = static_cast<size_t>(Count(max_bytes));
    if (size > Remaining()) ok_ = false;
    if (!ok_) return {};
    std::string text(bytes_.substr(pos_, size));
    pos_ += size;
    return text;
  }
  // A list's count, bounded by its limit and by the bytes left (each item takes at least one), so
  // that garbage cannot make us reserve memory we will never fill.
  size_t ListSize(int64_t max) {
    auto count = static_cast<size_t>(Count(max));
    if (count > Remaining()) ok_ = false;
    return ok_ ? count : 0;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

std::optional<PurchaseRecord> ReadPurchase(StateReader& r) {
  PurchaseRecord p;
  p.event_id = r.String(limits::kEventIdBytesMax);
  p.at = Instant{r.Signed()};
  p.amount = r.Amount(limits::kAmountMinorMax);
  p.site = r.String(limits::kTextBytesMax);
  p.shop = r.String(limits::kTextBytesMax);
  p.category = r.String(limits::kTextBytesMax);
  uint64_t goods = r.Unsigned();
  if (goods > static_cast<uint64_t>(Goods::kVirtual)) r.Fail();
  p.goods = static_cast<Goods>(r.ok() ? goods : 0);
  if (!r.ok()) return std::nullopt;
  return p;
}

bool ReadOrder(StateReader& r, OrderState& order) {
  order.order = r.String(limits::kOrderIdBytesMax);
  if (r.Bool()) order.purchase = ReadPurchase(r);
  size_t refunds = r.ListSize(limits::kRefundsPerOrderMax);
  order.refunds.reserve(refunds);
  for (size_t i = 0; i < refunds && r.ok(); ++i) {
    RefundRecord refund;
    refund.at = Instant{r.Signed()};
    refund.amount = r.Amount(limits::kAmountMinorMax);
    refund.event_id = r.String(limits::kEventIdBytesMax);
    if (!order.refunds.empty() && EarlierThan(refund.at, refund.event_id, order.refunds.back().at,
                                              order.refunds.back().event_id)) {
      r.Fail();  // Apply keeps refunds sorted; anything else did not come from it.
    }
    order.refunds.push_back(std::move(refund));
  }
  if (r.Bool()) {
    ReviewRecord review;
    review.at = Instant{r.Signed()};
    review.photos = r.Bool();
    review.event_id = r.String(limits::kEventIdBytesMax);
    order.review = std::move(review);
  }
  // Apply makes an order only for a purchase, a refund or a review, and always names it.
  bool empty = !order.purchase && order.refunds.empty() && !order.review;
  return r.ok() && !order.order.empty() && !empty;
}

bool ReadMonth(StateReader& r, MonthActivity& month) {
  constexpr int64_t kCountMax = std::numeric_limits<int64_t>::max();
  month.month = MonthKey{r.Int32()};
  month.shares = r.Count(kCountMax);
  month.posts = r.Count(kCountMax);
  month.answers = r.Count(kCountMax);
  month.unnamed_refunds = r.Amount(std::numeric_limits<int64_t>::max());
  return r.ok();
}

bool ReadCredit(StateReader& r, CreditRecord& credit) {
  credit.day = LocalDay{r.Int32()};
  credit.at = Instant{r.Signed()};
  credit.event_id = r.String(limits::kEventIdBytesMax);
  credit.level = r.Int32();
  // Levels are 1..5 (PRODUCT §1); the score looks the level up in the config, so reject others.
  return r.ok() && credit.level >= 1 && credit.level <= 5;
}

// Reads a list written as a count then items, each strictly after the previous by `key`.
template <typename T, typename ReadItem, typename Key>
bool ReadSortedList(StateReader& r, int64_t max, std::vector<T>& items, ReadItem read_item,
                    Key key) {
  size_t count = r.ListSize(max);
  items.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    T item;
    if (!read_item(r, item)) return false;
    if (!items.empty() && !(key(items.back()) < key(item))) return false;
    items.push_back(std::move(item));
  }
  return r.ok();
}

// Every instant in the state must be at or after first_event_at, as Apply keeps it.
bool InstantsAfterFirst(const MemberState& state) {
  Instant first = state.first_event_at();
  for (const OrderState& order : state.orders()) {
    if (order.purchase && order.purchase->at < first) return false;
    if (!order.refunds.empty() && order.refunds.front().at < first) return false;
    if (order.review && order.review->at < first) return false;
  }
  for (const CreditRecord& credit : state.credits()) {
    if (credit.at < first) return false;
  }
  return true;
}

}  // namespace

std::string EncodeMemberState(const MemberState& state) {
  std::string out;
  out.reserve(32 + state.orders_.size() * 96 + state.months_.size() * 12 +
              state.credits_.size() * 32);
  StateWriter w(&out);
  w.Unsigned(kStateVersion);
  w.String(state.member_);
  w.Bool(state.has_events_);
  w.Signed(state.first_event_at_.us);
  w.Unsigned(static_cast<uint64_t>(state.event_count_));
  w.Unsigned(state.orders_.size());
  for (const OrderState& order : state.orders_) WriteOrder(w, order);
  w.Unsigned(state.months_.size());
  for (const MonthActivity& m : state.months_) {
    w.Signed(m.month.value);
    w.Unsigned(static_cast<uint64_t>(m.shares));
    w.Unsigned(static_cast<uint64_t>(m.posts));
    w.Unsigned(static_cast<uint64_t>(m.answers));
    w.Signed(m.unnamed_refunds.minor);
  }
  w.Unsigned(state.credits_.size());
  for (const CreditRecord& c : state.credits_) {
    w.Signed(c.day.value);
    w.Signed(c.at.us);
    w.String(c.event_id);
    w.Signed(c.level);
  }
  return out;
}

Result<MemberState> DecodeMemberState(std::string_view bytes) {
  const Error corrupt = MakeError(ErrorCode::kCorruptState, "", "not a member state of version 1");
  StateReader r(bytes);
  if (r.Unsigned() != kStateVersion || !r.ok()) return corrupt;
  MemberState state;
  state.member_ = r.String(limits::kMemberIdBytesMax);
  state.has_events_ = r.Bool();
  state.first_event_at_ = Instant{r.Signed()};
  state.event_count_ = r.Count(std::numeric_limits<int64_t>::max());
  if (!r.ok()) return corrupt;
  bool lists_ok =
      ReadSortedList(r, limits::kOrdersPerMemberMax, state.orders_, ReadOrder,
                     [](const OrderState& o) -> const std::string& { return o.order; }) &&
      ReadSortedList(r, limits::kMonthsPerMemberMax, state.months_, ReadMonth,
                     [](const MonthActivity& m) { return m.month; }) &&
      ReadSortedList(r, limits::kCreditDaysPerMemberMax, state.credits_, ReadCredit,
                     [](const CreditRecord& c) { return c.day; });
  if (!lists_ok || !r.AtEnd()) return corrupt;
  // A state with no events is the empty state; one with events counted them.
  if (state.has_events_ != (state.event_count_ > 0)) return corrupt;
  if (!state.has_events_ && !(state == MemberState(state.member_))) return corrupt;
  if (!InstantsAfterFirst(state)) return corrupt;
  return state;
}

}  // namespace onecard
