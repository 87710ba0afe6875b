// Folding events into a member's state, and the state's compact byte form.
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

// True when a review at `at` (with `photos`) should replace the kept one as the order's counting
// review: earlier wins, and on a tie in time the one with photos. Two reviews equal in both count
// the same, so which of them is kept makes no difference to any score or to the state.
bool BetterReview(int64_t at, bool photos, int64_t kept_at, bool kept_photos) {
  if (at != kept_at) return at < kept_at;
  return photos && !kept_photos;
}

}  // namespace

void MemberState::Reset(std::string_view member) {
  names_.clear();
  names_skipped_ = false;
  member_ = AddName(member);
  first_event_at_ = 0;
  event_count_ = 0;
  dictionary_.clear();
  dictionary_order_.clear();
  orders_.clear();
  refunds_.clear();
  months_.clear();
  credits_.clear();
}

MemberState::NameRef MemberState::AddName(std::string_view text) {
  NameRef ref{static_cast<uint32_t>(names_.size()), static_cast<uint32_t>(text.size())};
  names_.append(text);
  return ref;
}

size_t MemberState::OrderPosition(std::string_view order, bool* found) const {
  auto it = std::lower_bound(
      orders_.begin(), orders_.end(), order,
      [this](const OrderRecord& o, std::string_view key) { return Name(o.name) < key; });
  *found = it != orders_.end() && Name(it->name) == order;
  return static_cast<size_t>(it - orders_.begin());
}

int64_t MemberState::FindDictionary(std::string_view name) const {
  auto it = std::lower_bound(
      dictionary_order_.begin(), dictionary_order_.end(), name,
      [this](uint32_t index, std::string_view key) { return Name(dictionary_[index]) < key; });
  if (it != dictionary_order_.end() && Name(dictionary_[*it]) == name) return *it;
  return -1;
}

uint32_t MemberState::FindOrAddDictionary(std::string_view name) {
  auto it = std::lower_bound(
      dictionary_order_.begin(), dictionary_order_.end(), name,
      [this](uint32_t index, std::string_view key) { return Name(dictionary_[index]) < key; });
  if (it != dictionary_order_.end() && Name(dictionary_[*it]) == name) return *it;
  const auto index = static_cast<uint32_t>(dictionary_.size());
  dictionary_.push_back(AddName(name));
  dictionary_order_.insert(it, index);
  return index;
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

std::pair<const MemberState::RefundRecord*, const MemberState::RefundRecord*>
MemberState::RefundsOf(const OrderRecord& order) const {
  if ((order.flags & kHasRefunds) == 0) return {nullptr, nullptr};
  const uint32_t key = order.name.offset;
  auto begin = std::lower_bound(refunds_.begin(), refunds_.end(), key,
                                [](const RefundRecord& r, uint32_t k) { return r.order < k; });
  auto end = begin;
  while (end != refunds_.end() && end->order == key) ++end;
  return {refunds_.data() + (begin - refunds_.begin()), refunds_.data() + (end - refunds_.begin())};
}

Status MemberState::ApplyPurchase(const Event& event, const ProgramTime& time) {
  bool found = false;
  const size_t position = OrderPosition(event.order, &found);
  if (found && (orders_[position].flags & kHasPurchase) != 0) {
    return MakeError(ErrorCode::kDuplicateOrder, "order",
                     "the member already has a purchase for order " + event.order);
  }
  if (!found && static_cast<int64_t>(orders_.size()) >= limits::kOrdersPerMemberMax) {
    return LimitError("order", "too many orders for one member");
  }
  // Nothing can fail from here on.
  const uint32_t shop = FindOrAddDictionary(event.shop);
  const uint32_t category = FindOrAddDictionary(event.category);
  if (!found) {
    OrderRecord fresh;
    fresh.name = AddName(event.order);
    orders_.insert(orders_.begin() + static_cast<std::ptrdiff_t>(position), fresh);
  }
  OrderRecord& order = orders_[position];
  order.flags |= kHasPurchase;
  if (event.goods == Goods::kVirtual) order.flags |= kVirtual;
  order.day = time.DayOf(event.at).value;
  order.amount = event.amount.minor;
  order.shop = shop;
  order.category = category;
  return Status::Ok();
}

Status MemberState::ApplyRefund(const Event& event, const ProgramTime& time) {
  if (event.order.empty()) {
    // A refund the source could not tie to an order: no score effect, kept for net spend.
    // The month's sum is bounded so that no later sum of money can overflow.
    const MonthKey key = time.MonthOf(event.at);
    auto found =
        std::lower_bound(months_.begin(), months_.end(), key,
                         [](const MonthActivity& m, MonthKey wanted) { return m.month < wanted; });
    const int64_t so_far =
        found != months_.end() && found->month == key ? found->unnamed_refunds.minor : 0;
    if (so_far > limits::kUnnamedRefundsPerMonthMinorMax - event.amount.minor) {
      return LimitError("amount", "refunds naming no order exceed " +
                                      FormatMoney(Money{limits::kUnnamedRefundsPerMonthMinorMax}) +
                                      " in one month for one member");
    }
    MonthActivity* month = FindOrMakeMonth(key);
    if (month == nullptr) return LimitError("at", "too many months with activity");
    month->unnamed_refunds += event.amount;
    return Status::Ok();
  }
  bool found = false;
  const size_t position = OrderPosition(event.order, &found);
  if (!found && static_cast<int64_t>(orders_.size()) >= limits::kOrdersPerMemberMax) {
    return LimitError("order", "too many orders for one member");
  }
  if (found) {
    const OrderRecord& order = orders_[position];
    if (static_cast<int64_t>(order.refund_events) >= limits::kRefundsPerOrderMax) {
      return LimitError("order", "too many refunds for one order");
    }
    // No order can be refunded more than the largest amount one event may carry; the bound keeps
    // every sum of refunds the score makes inside int64.
    int64_t refunded = 0;
    auto [begin, end] = RefundsOf(order);
    for (const RefundRecord* r = begin; r != end; ++r) refunded += r->amount;
    if (refunded > limits::kAmountMinorMax - event.amount.minor) {
      return LimitError(
          "amount", "refunds of one order exceed " + FormatMoney(Money{limits::kAmountMinorMax}));
    }
  } else {
    OrderRecord fresh;
    fresh.name = AddName(event.order);
    orders_.insert(orders_.begin() + static_cast<std::ptrdiff_t>(position), fresh);
  }
  OrderRecord& order = orders_[position];
  const RefundRecord refund{order.name.offset, time.DayOf(event.at).value, event.amount.minor};
  auto it = std::lower_bound(refunds_.begin(), refunds_.end(), refund,
                             [](const RefundRecord& a, const RefundRecord& b) {
                               return std::tie(a.order, a.day) < std::tie(b.order, b.day);
                             });
  if (it != refunds_.end() && it->order == refund.order && it->day == refund.day) {
    it->amount += refund.amount;
  } else {
    refunds_.insert(it, refund);
  }
  ++order.refund_events;
  order.flags |= kHasRefunds;
  return Status::Ok();
}

Status MemberState::ApplyReview(const Event& event) {
  bool found = false;
  const size_t position = OrderPosition(event.order, &found);
  if (!found) {
    if (static_cast<int64_t>(orders_.size()) >= limits::kOrdersPerMemberMax) {
      return LimitError("order", "too many orders for one member");
    }
    OrderRecord fresh;
    fresh.name = AddName(event.order);
    orders_.insert(orders_.begin() + static_cast<std::ptrdiff_t>(position), fresh);
  }
  OrderRecord& order = orders_[position];
  if ((order.flags & kHasReview) == 0 || BetterReview(event.at.us, event.photos, order.review_at,
                                                      (order.flags & kReviewPhotos) != 0)) {
    order.flags = static_cast<uint8_t>((order.flags | kHasReview) & ~kReviewPhotos);
    if (event.photos) order.flags |= kReviewPhotos;
    order.review_at = event.at.us;
  }
  return Status::Ok();
}

// Keeps only the latest credit event of each local day (on a tie in time, the greatest id):
// publication instants fall on local midnight, so an earlier one of the same day can never be
// "the latest before an instant".
Status MemberState::ApplyCredit(const Event& event, const ProgramTime& time) {
  const int32_t day = time.DayOf(event.at).value;
  auto it = std::lower_bound(credits_.begin(), credits_.end(), day,
                             [](const CreditRecord& c, int32_t key) { return c.day < key; });
  if (it != credits_.end() && it->day == day) {
    if (std::make_pair(it->at, Name(it->event_id)) <
        std::make_pair(event.at.us, std::string_view(event.id))) {
      it->at = event.at.us;
      it->level = event.level;
      // The id's bytes are reused when the new one fits, so that repeated credits of one day do
      // not grow the names buffer.
      if (event.id.size() <= it->event_id.size) {
        names_.replace(it->event_id.offset, event.id.size(), event.id);
        it->event_id.size = static_cast<uint32_t>(event.id.size());
      } else {
        it->event_id = AddName(event.id);
      }
    }
    return Status::Ok();
  }
  if (static_cast<int64_t>(credits_.size()) >= limits::kCreditDaysPerMemberMax) {
    return LimitError("at", "too many days with credit events");
  }
  credits_.insert(it, CreditRecord{day, event.level, event.at.us, AddName(event.id)});
  return Status::Ok();
}

Status MemberState::Apply(const Event& event, const ProgramTime& time) {
  ONECARD_ASSERT(event.member == member() && !names_skipped_);
  // Each branch checks its limits before it mutates, so an error leaves the state as it was.
  Status status;
  switch (event.type) {
    case EventType::kPurchase:
      status = ApplyPurchase(event, time);
      break;
    case EventType::kRefund:
      status = ApplyRefund(event, time);
      break;
    case EventType::kReview:
      status = ApplyReview(event);
      break;
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
      status = ApplyCredit(event, time);
      break;
    case EventType::kVisit:
      break;
  }
  if (!status.ok()) return status;
  if (event_count_ == 0 || event.at.us < first_event_at_) first_event_at_ = event.at.us;
  ++event_count_;
  return Status::Ok();
}

OrderView MemberState::OrderAt(size_t index) const {
  ONECARD_ASSERT(!names_skipped_);
  const OrderRecord& o = orders_.at(index);
  OrderView view;
  view.order = Name(o.name);
  view.has_purchase = (o.flags & kHasPurchase) != 0;
  if (view.has_purchase) {
    view.day = LocalDay{o.day};
    view.amount = Money{o.amount};
    view.goods = (o.flags & kVirtual) != 0 ? Goods::kVirtual : Goods::kPhysical;
    view.shop = Name(dictionary_[o.shop]);
    view.category = Name(dictionary_[o.category]);
  }
  auto [begin, end] = RefundsOf(o);
  for (const RefundRecord* r = begin; r != end; ++r) {
    view.refunds.push_back(RefundDay{LocalDay{r->day}, Money{r->amount}});
  }
  view.refund_events = o.refund_events;
  view.has_review = (o.flags & kHasReview) != 0;
  if (view.has_review) {
    view.review_at = Instant{o.review_at};
    view.review_photos = (o.flags & kReviewPhotos) != 0;
  }
  return view;
}

std::optional<OrderView> MemberState::FindOrder(std::string_view order) const {
  bool found = false;
  const size_t position = OrderPosition(order, &found);
  if (!found) return std::nullopt;
  return OrderAt(position);
}

std::vector<CreditView> MemberState::Credits() const {
  ONECARD_ASSERT(!names_skipped_);
  std::vector<CreditView> views;
  for (const CreditRecord& c : credits_) {
    views.push_back(CreditView{LocalDay{c.day}, Instant{c.at}, Name(c.event_id), c.level});
  }
  return views;
}

bool operator==(const MemberState& a, const MemberState& b) {
  return EncodeMemberState(a) == EncodeMemberState(b);
}

// The byte form, version 2. Integers are little-endian base-128 varints (signed ones zigzagged);
// a string is its length then its bytes; a front-coded string is the length it shares with the
// previous one of its list, then the length and bytes of the rest. Days are offsets from
// base_day, the smallest day of the state; instants are offsets from first_event_at, the smallest
// instant. Lists are sorted and their keys strictly rise.
//   version, member, first_event_at, event_count,
//   dictionary { front-coded name }                 (shop and category names, sorted)
//   base_day,
//   orders { front-coded order id, flags,
//            [purchase: day amount shop category]   (dictionary indices)
//            [review: at]
//            [refunds: refund_events, days { day (from the previous) amount }] },
//   months { month (the first signed, then from the previous) shares posts answers unnamed },
//   credits { day (from the previous) at level event_id }.
namespace {

constexpr uint8_t kStateVersion = 2;
constexpr uint8_t kOrderFlagsAll = MemberState::kHasPurchase | MemberState::kVirtual |
                                   MemberState::kHasReview | MemberState::kReviewPhotos |
                                   MemberState::kHasRefunds;

void PutUnsigned(std::string* out, uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutSigned(std::string* out, int64_t value) {
  PutUnsigned(out, (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
}

void PutString(std::string* out, std::string_view text) {
  PutUnsigned(out, text.size());
  out->append(text);
}

void PutFrontCoded(std::string* out, std::string_view previous, std::string_view text) {
  size_t shared = 0;
  const size_t most = std::min(previous.size(), text.size());
  while (shared < most && previous[shared] == text[shared]) ++shared;
  PutUnsigned(out, shared);
  PutString(out, text.substr(shared));
}

// Reads the byte form. Every read checks what is left; the first failure sticks (ok() turns
// false) and later reads return zeros, so callers check once per item.
class StateReader {
 public:
  explicit StateReader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == bytes_.size(); }
  size_t Remaining() const { return bytes_.size() - pos_; }
  void Fail() { ok_ = false; }
  // Fails unless `condition` holds; returns it.
  bool Check(bool condition) {
    if (!condition) ok_ = false;
    return ok_;
  }

  uint64_t Unsigned() {
    // Most values of a state fit in one byte.
    if (pos_ < bytes_.size() && (static_cast<uint8_t>(bytes_[pos_]) & 0x80) == 0 && ok_) {
      return static_cast<uint8_t>(bytes_[pos_++]);
    }
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
  // A non-negative quantity, at most max.
  int64_t Count(int64_t max) {
    uint64_t value = Unsigned();
    if (value > static_cast<uint64_t>(max)) ok_ = false;
    return ok_ ? static_cast<int64_t>(value) : 0;
  }
  uint8_t Byte() {
    if (!ok_ || pos_ >= bytes_.size()) {
      ok_ = false;
      return 0;
    }
    return static_cast<uint8_t>(bytes_[pos_++]);
  }
  std::string_view View(size_t size) {
    if (!ok_ || size > Remaining()) {
      ok_ = false;
      return {};
    }
    std::string_view text = bytes_.substr(pos_, size);
    pos_ += size;
    return text;
  }
  // A list's count, bounded by its limit and by the bytes left (each item takes at least one),
  // so that garbage cannot make us reserve memory we will never fill.
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

// A day at `base` + offset, inside int32.
int32_t DayAt(StateReader& r, int64_t base) {
  const int64_t offset = r.Count(std::numeric_limits<int32_t>::max());
  const int64_t day = base + offset;
  r.Check(day <= std::numeric_limits<int32_t>::max());
  return r.ok() ? static_cast<int32_t>(day) : 0;
}

// An instant at `first` + offset, without overflow.
int64_t InstantAt(StateReader& r, int64_t first) {
  const uint64_t offset = r.Unsigned();
  // INT64_MAX - first lies in [0, 2^64), so unsigned arithmetic computes it exactly.
  const uint64_t room =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - static_cast<uint64_t>(first);
  r.Check(offset <= room);
  return r.ok() ? static_cast<int64_t>(static_cast<uint64_t>(first) + offset) : 0;
}

}  // namespace

void EncodeMemberStateTo(const MemberState& state, std::string* out) {
  using Order = MemberState::OrderRecord;
  ONECARD_ASSERT(!state.names_skipped_);
  out->clear();
  PutUnsigned(out, kStateVersion);
  PutString(out, state.member());
  PutSigned(out, state.first_event_at_);
  PutUnsigned(out, static_cast<uint64_t>(state.event_count_));

  // The dictionary in name order; orders name entries by their rank in it.
  thread_local std::vector<uint32_t> rank;
  rank.assign(state.dictionary_.size(), 0);
  PutUnsigned(out, state.dictionary_order_.size());
  std::string_view previous;
  for (size_t i = 0; i < state.dictionary_order_.size(); ++i) {
    const uint32_t index = state.dictionary_order_[i];
    rank[index] = static_cast<uint32_t>(i);
    const std::string_view name = state.Name(state.dictionary_[index]);
    PutFrontCoded(out, previous, name);
    previous = name;
  }

  int64_t base_day = std::numeric_limits<int64_t>::max();
  for (const Order& o : state.orders_) {
    if ((o.flags & MemberState::kHasPurchase) != 0) base_day = std::min<int64_t>(base_day, o.day);
  }
  for (const MemberState::RefundRecord& r : state.refunds_) {
    base_day = std::min<int64_t>(base_day, r.day);
  }
  if (!state.credits_.empty()) base_day = std::min<int64_t>(base_day, state.credits_.front().day);
  if (base_day == std::numeric_limits<int64_t>::max()) base_day = 0;
  PutSigned(out, base_day);

  PutUnsigned(out, state.orders_.size());
  previous = {};
  for (const Order& o : state.orders_) {
    const std::string_view name = state.Name(o.name);
    PutFrontCoded(out, previous, name);
    previous = name;
    out->push_back(static_cast<char>(o.flags));
    if ((o.flags & MemberState::kHasPurchase) != 0) {
      PutUnsigned(out, static_cast<uint64_t>(o.day - base_day));
      PutUnsigned(out, static_cast<uint64_t>(o.amount));
      PutUnsigned(out, rank[o.shop]);
      PutUnsigned(out, rank[o.category]);
    }
    if ((o.flags & MemberState::kHasReview) != 0) {
      PutUnsigned(
          out, static_cast<uint64_t>(o.review_at) - static_cast<uint64_t>(state.first_event_at_));
    }
    if ((o.flags & MemberState::kHasRefunds) != 0) {
      PutUnsigned(out, o.refund_events);
      auto [begin, end] = state.RefundsOf(o);
      PutUnsigned(out, static_cast<uint64_t>(end - begin));
      int64_t day = base_day;
      for (const MemberState::RefundRecord* r = begin; r != end; ++r) {
        PutUnsigned(out, static_cast<uint64_t>(r->day - day));
        PutUnsigned(out, static_cast<uint64_t>(r->amount));
        day = r->day;
      }
    }
  }

  PutUnsigned(out, state.months_.size());
  for (size_t i = 0; i < state.months_.size(); ++i) {
    const MonthActivity& m = state.months_[i];
    if (i == 0) {
      PutSigned(out, m.month.value);
    } else {
      PutUnsigned(out, static_cast<uint64_t>(m.month.value - state.months_[i - 1].month.value));
    }
    PutUnsigned(out, static_cast<uint64_t>(m.shares));
    PutUnsigned(out, static_cast<uint64_t>(m.posts));
    PutUnsigned(out, static_cast<uint64_t>(m.answers));
    PutUnsigned(out, static_cast<uint64_t>(m.unnamed_refunds.minor));
  }

  PutUnsigned(out, state.credits_.size());
  int64_t day = base_day;
  for (const MemberState::CreditRecord& c : state.credits_) {
    PutUnsigned(out, static_cast<uint64_t>(c.day - day));
    day = c.day;
    PutUnsigned(out, static_cast<uint64_t>(c.at) - static_cast<uint64_t>(state.first_event_at_));
    PutUnsigned(out, static_cast<uint64_t>(c.level));
    PutString(out, state.Name(c.event_id));
  }
}

std::string EncodeMemberState(const MemberState& state) {
  std::string out;
  out.reserve(32 + state.order_records().size() * 16 + state.dictionary_size() * 8 +
              state.months().size() * 6 + state.credit_records().size() * 24);
  EncodeMemberStateTo(state, &out);
  return out;
}

namespace {

// Reads a front-coded name into the state's names buffer: `previous` is the list's last name.
// The result must be 1..max_bytes long and strictly after `previous`. Without names, only its
// length is kept and `key` stands for it.
template <typename AddName, typename NameOf>
bool ReadFrontCoded(StateReader& r, int64_t max_bytes, MemberState::NameRef previous,
                    bool has_previous, bool with_names, uint32_t key, AddName add, NameOf name_of,
                    MemberState::NameRef* out) {
  const auto shared = static_cast<size_t>(r.Count(max_bytes));
  const auto rest = static_cast<size_t>(r.Count(max_bytes));
  if (!r.Check(shared <= (has_previous ? previous.size : 0) &&
               shared + rest <= static_cast<size_t>(max_bytes) && shared + rest > 0)) {
    return false;
  }
  const std::string_view suffix = r.View(rest);
  if (!r.ok()) return false;
  if (!with_names) {
    *out = MemberState::NameRef{key, static_cast<uint32_t>(shared + rest)};
    return true;
  }
  *out = add(previous, shared, suffix);
  return r.Check(!has_previous || name_of(previous) < name_of(*out));
}

}  // namespace

Status DecodeMemberStateInto(std::string_view bytes, MemberState* state) {
  return MemberState::Decode(bytes, state, true);
}

Status DecodeMemberStateForScore(std::string_view bytes, MemberState* state) {
  return MemberState::Decode(bytes, state, false);
}

Status MemberState::Decode(std::string_view bytes, MemberState* state, bool with_names) {
  const Error corrupt = MakeError(ErrorCode::kCorruptState, "", "not a member state of version 2");
  using NameRef = MemberState::NameRef;
  StateReader r(bytes);
  if (r.Unsigned() != kStateVersion || !r.ok()) return corrupt;
  const std::string_view member = r.View(static_cast<size_t>(r.Count(limits::kMemberIdBytesMax)));
  if (!r.ok()) return corrupt;
  state->Reset(member);
  state->first_event_at_ = r.Signed();
  state->event_count_ = r.Count(std::numeric_limits<int64_t>::max());
  if (!r.ok()) return corrupt;

  // Appends the shared prefix of `previous` and then `suffix` to the names buffer. Names are
  // bounded by the limits, so one reservation up front usually serves the whole state.
  std::string& names = state->names_;
  state->names_skipped_ = !with_names;
  if (with_names) names.reserve(names.size() + 2 * bytes.size());
  auto add = [&names](NameRef previous, size_t shared, std::string_view suffix) {
    if (names.capacity() - names.size() < shared + suffix.size()) {
      names.reserve(2 * (names.size() + shared + suffix.size()));
    }
    NameRef ref{static_cast<uint32_t>(names.size()), static_cast<uint32_t>(shared + suffix.size())};
    names.append(names.data() + previous.offset, shared);
    names.append(suffix);
    return ref;
  };
  auto name_of = [state](NameRef ref) { return state->Name(ref); };

  // Each purchase adds at most two names.
  const size_t dictionary_size = r.ListSize(2 * limits::kOrdersPerMemberMax);
  state->dictionary_.reserve(dictionary_size);
  state->dictionary_order_.reserve(dictionary_size);
  for (size_t i = 0; i < dictionary_size; ++i) {
    NameRef name;
    const bool has_previous = i > 0;
    if (!ReadFrontCoded(r, limits::kTextBytesMax,
                        has_previous ? state->dictionary_.back() : NameRef{}, has_previous,
                        with_names, static_cast<uint32_t>(i), add, name_of, &name)) {
      return corrupt;
    }
    state->dictionary_.push_back(name);
    state->dictionary_order_.push_back(static_cast<uint32_t>(i));
  }

  const int64_t base_day = r.Signed();
  if (!r.Check(base_day >= std::numeric_limits<int32_t>::min() &&
               base_day <= std::numeric_limits<int32_t>::max())) {
    return corrupt;
  }
  int64_t min_day = std::numeric_limits<int64_t>::max();
  const int64_t first = state->first_event_at_;

  const size_t order_count = r.ListSize(limits::kOrdersPerMemberMax);
  state->orders_.reserve(order_count);
  for (size_t i = 0; i < order_count; ++i) {
    MemberState::OrderRecord o;
    const bool has_previous = i > 0;
    if (!ReadFrontCoded(r, limits::kOrderIdBytesMax,
                        has_previous ? state->orders_.back().name : NameRef{}, has_previous,
                        with_names, static_cast<uint32_t>(i), add, name_of, &o.name)) {
      return corrupt;
    }
    o.flags = r.Byte();
    const bool purchase = (o.flags & MemberState::kHasPurchase) != 0;
    const bool review = (o.flags & MemberState::kHasReview) != 0;
    const bool refunds = (o.flags & MemberState::kHasRefunds) != 0;
    // Apply makes an order only for a purchase, a refund or a review; goods belong to a purchase
    // and photos to a review.
    if (!r.Check((o.flags & ~kOrderFlagsAll) == 0 && (purchase || review || refunds) &&
                 (purchase || (o.flags & MemberState::kVirtual) == 0) &&
                 (review || (o.flags & MemberState::kReviewPhotos) == 0))) {
      return corrupt;
    }
    if (purchase) {
      o.day = DayAt(r, base_day);
      o.amount = r.Count(limits::kAmountMinorMax);
      o.shop = static_cast<uint32_t>(r.Count(static_cast<int64_t>(dictionary_size) - 1));
      o.category = static_cast<uint32_t>(r.Count(static_cast<int64_t>(dictionary_size) - 1));
      if (!r.Check(dictionary_size > 0)) return corrupt;
      min_day = std::min<int64_t>(min_day, o.day);
    }
    if (review) o.review_at = InstantAt(r, first);
    if (refunds) {
      o.refund_events = static_cast<uint32_t>(r.Count(limits::kRefundsPerOrderMax));
      const size_t days = r.ListSize(o.refund_events);
      if (!r.Check(days > 0)) return corrupt;
      int64_t day = base_day;
      int64_t refunded = 0;
      for (size_t k = 0; k < days && r.ok(); ++k) {
        MemberState::RefundRecord refund;
        refund.order = o.name.offset;
        refund.day = DayAt(r, day);
        refund.amount = r.Count(limits::kAmountMinorMax);
        refunded += refund.amount;
        if (!r.Check((k == 0 || refund.day > day) && refunded <= limits::kAmountMinorMax)) break;
        day = refund.day;
        min_day = std::min<int64_t>(min_day, day);
        state->refunds_.push_back(refund);
      }
    }
    if (!r.ok()) return corrupt;
    state->orders_.push_back(o);
  }

  const size_t month_count = r.ListSize(limits::kMonthsPerMemberMax);
  state->months_.reserve(month_count);
  for (size_t i = 0; i < month_count && r.ok(); ++i) {
    MonthActivity m;
    int64_t month = 0;
    if (i == 0) {
      month = r.Signed();
    } else {
      const int64_t step = r.Count(std::numeric_limits<int32_t>::max());
      r.Check(step > 0);
      month = state->months_.back().month.value + step;
    }
    r.Check(month >= std::numeric_limits<int32_t>::min() &&
            month <= std::numeric_limits<int32_t>::max());
    m.month = MonthKey{static_cast<int32_t>(month)};
    m.shares = r.Count(std::numeric_limits<int64_t>::max());
    m.posts = r.Count(std::numeric_limits<int64_t>::max());
    m.answers = r.Count(std::numeric_limits<int64_t>::max());
    m.unnamed_refunds = Money{r.Count(limits::kUnnamedRefundsPerMonthMinorMax)};
    state->months_.push_back(m);
  }
  if (!r.ok()) return corrupt;

  const size_t credit_count = r.ListSize(limits::kCreditDaysPerMemberMax);
  state->credits_.reserve(credit_count);
  int64_t day = base_day;
  for (size_t i = 0; i < credit_count && r.ok(); ++i) {
    MemberState::CreditRecord c;
    c.day = DayAt(r, day);
    r.Check(i == 0 || c.day > day);
    day = c.day;
    min_day = std::min<int64_t>(min_day, day);
    c.at = InstantAt(r, first);
    // Levels are 1..5 (PRODUCT §1); the score looks the level up in the config, so reject others.
    c.level = static_cast<int32_t>(r.Count(5));
    r.Check(c.level >= 1);
    const auto id_size = static_cast<size_t>(r.Count(limits::kEventIdBytesMax));
    r.Check(id_size > 0);
    const std::string_view id = r.View(id_size);
    if (!r.ok()) break;
    if (with_names) c.event_id = state->AddName(id);
    state->credits_.push_back(c);
  }
  if (!r.ok() || !r.AtEnd()) return corrupt;

  // base_day is the smallest day of the state (0 when it has none), so the bytes are canonical.
  if (min_day == std::numeric_limits<int64_t>::max() ? base_day != 0 : min_day != base_day) {
    return corrupt;
  }
  // A state with no events is the empty state.
  if (state->event_count_ == 0 && (first != 0 || dictionary_size > 0 || order_count > 0 ||
                                   month_count > 0 || credit_count > 0)) {
    return corrupt;
  }
  return Status::Ok();
}

Result<MemberState> DecodeMemberState(std::string_view bytes) {
  MemberState state;
  if (Status decoded = DecodeMemberStateInto(bytes, &state); !decoded.ok()) {
    return decoded.error();
  }
  return state;
}

std::string_view EncodedStateMember(std::string_view bytes) {
  StateReader r(bytes);
  if (r.Unsigned() != kStateVersion) return {};
  const std::string_view member = r.View(static_cast<size_t>(r.Count(limits::kMemberIdBytesMax)));
  return r.ok() ? member : std::string_view();
}

}  // namespace onecard
