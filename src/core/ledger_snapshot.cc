// Ledger snapshots: the state built by applying the log up to a batch, so that opening the ledger
// applies only the log after it. Everything Apply keeps is here except what follows from the
// transfers alone: the transfers themselves and their id index (read back from the log, which
// holds them anyway), each member account's history (the transfers touching it, in order), and
// the two queues (open pending transfers by timeout, accounts by their earliest lot), which
// FinishRestore rebuilds. Hash maps are written in key order, so one state has one encoding.
#include <algorithm>

#include "core/ledger.h"
#include "core/ledger_limits.h"
#include "core/varint.h"

namespace onecard {
namespace {

constexpr uint64_t kSnapshotVersion = 1;
constexpr uint64_t kTextBytesMax = 1024;

Error Corrupt(const std::string& what) {
  return MakeError(ErrorCode::kCorruptState, "ledger", "snapshot: " + what);
}

void PutLots(ByteWriter& w, const auto& lots) {
  w.U64(lots.size());
  for (const Lot& lot : lots) {
    w.I64(lot.expires.us);
    w.U64(lot.origin);
    w.I64(lot.remaining);
  }
}

void PutOrder(ByteWriter& w, const PointsOrderRecord& r) {
  w.U64(r.program);
  w.Bytes(r.member);
  w.Bytes(r.order);
  w.Bytes(r.channel);
  w.Bytes(r.category);
  w.I64(r.amount.minor);
  w.I64(r.at.us);
  w.I64(r.rate_ppm);
  w.I64(r.tier_permille);
  w.I64(r.paid_permille);
  w.I64(r.campaign_permille);
  w.I64(r.points);
}

// Reads fields in order and remembers whether any failed (the input is never trusted).
class Reader {
 public:
  explicit Reader(std::string_view bytes) : r_(bytes) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return r_.AtEnd(); }
  uint64_t U64() {
    uint64_t v = 0;
    ok_ = ok_ && r_.U64(&v);
    return v;
  }
  uint32_t U32() {
    const uint64_t v = U64();
    ok_ = ok_ && v <= UINT32_MAX;
    return static_cast<uint32_t>(v);
  }
  uint16_t U16() {
    const uint64_t v = U64();
    ok_ = ok_ && v <= UINT16_MAX;
    return static_cast<uint16_t>(v);
  }
  int64_t I64() {
    int64_t v = 0;
    ok_ = ok_ && r_.I64(&v);
    return v;
  }
  bool Bool() {
    bool v = false;
    ok_ = ok_ && r_.Bool(&v);
    return v;
  }
  std::string Text() {
    std::string v;
    ok_ = ok_ && r_.Bytes(&v, kTextBytesMax);
    return v;
  }
  // A count of items that take at least one byte each: never more than the bytes left, so a
  // damaged count cannot make the reader reserve memory it will never fill.
  size_t Count(size_t bytes_left_bound) {
    const uint64_t v = U64();
    ok_ = ok_ && v <= bytes_left_bound;
    return ok_ ? static_cast<size_t>(v) : 0;
  }
  template <typename E>
  E Enum(uint64_t count) {
    const uint64_t v = U64();
    ok_ = ok_ && v < count;
    return static_cast<E>(v);
  }
  template <typename Lots>
  void GetLots(Lots& lots, size_t bound) {
    const size_t n = Count(bound);
    for (size_t i = 0; i < n && ok_; ++i) {
      Lot lot;
      lot.expires.us = I64();
      lot.origin = U32();
      lot.remaining = I64();
      lots.insert(lots.end(), lot);
    }
  }

 private:
  ByteReader r_;
  bool ok_ = true;
};

PointsOrderRecord GetOrder(Reader& r) {
  PointsOrderRecord o;
  o.program = r.U16();
  o.member = r.Text();
  o.order = r.Text();
  o.channel = r.Text();
  o.category = r.Text();
  o.amount.minor = r.I64();
  o.at.us = r.I64();
  o.rate_ppm = r.I64();
  o.tier_permille = r.I64();
  o.paid_permille = r.I64();
  o.campaign_permille = r.I64();
  o.points = r.I64();
  return o;
}

template <typename Map>
std::vector<typename Map::const_iterator> InKeyOrder(const Map& map) {
  std::vector<typename Map::const_iterator> out;
  out.reserve(map.size());
  for (auto it = map.begin(); it != map.end(); ++it) out.push_back(it);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a->first < b->first; });
  return out;
}

}  // namespace

std::string Ledger::EncodeSnapshot() const {
  ByteWriter w;
  w.U64(kSnapshotVersion);
  w.U64(accounts_.size());
  for (const Account& a : accounts_) {
    w.U64(a.program);
    w.U64(static_cast<uint64_t>(a.kind));
    w.Bytes(a.owner);
    w.I64(a.debits_posted);
    w.I64(a.credits_posted);
    w.I64(a.debits_pending);
    w.I64(a.credits_pending);
    w.I64(a.debt);
    PutLots(w, a.lots);
  }
  w.U64(transfers_.size());
  w.U64(pending_.size());
  for (const auto& it : InKeyOrder(pending_)) {
    w.U64(it->first);
    w.U64(static_cast<uint64_t>(it->second.status));
    w.U64(it->second.settled_by);
    PutLots(w, it->second.held);
  }
  w.U64(orders_.size());
  for (const auto& it : InKeyOrder(orders_)) {
    const PointsOrderState& o = it->second;
    PutOrder(w, o.record);
    w.I64(o.refunded.minor);
    w.U64(o.earn);
    w.I64(o.reversed_points);
    w.I64(o.debt_points);
    w.I64(o.expired_points);
    w.I64(o.written_off_points);
  }
  w.U64(refunds_.size());
  for (const auto& it : InKeyOrder(refunds_)) {
    const PointsRefundRecord& r = it->second;
    w.Bytes(r.id);
    w.U64(r.program);
    w.Bytes(r.order);
    w.I64(r.amount.minor);
    w.I64(r.at.us);
    w.I64(r.debt_added);
    w.I64(r.written_off);
  }
  w.U64(links_.size());
  for (const auto& [key, link] : links_) {
    w.U64(link.record.program);
    w.Bytes(link.record.member);
    w.Bytes(link.record.partner);
    w.Bytes(link.record.partner_account);
    w.I64(link.record.at.us);
  }
  w.U64(stays_.size());
  for (const auto& it : InKeyOrder(stays_)) {
    const StayRecord& s = it->second;
    w.Bytes(s.id);
    w.U64(s.program);
    w.Bytes(s.member);
    w.Bytes(s.partner);
    w.I64(s.at.us);
  }
  w.U64(activity_.size());
  for (const auto& [key, activity] : activity_) {
    w.U64(std::get<0>(key));
    w.Bytes(std::get<1>(key));
    w.Bytes(std::get<2>(key));
    w.Bool(activity.challenge_started.has_value());
    if (activity.challenge_started.has_value()) w.I64(activity.challenge_started->us);
    w.U64(activity.stays.size());
    for (Instant at : activity.stays) w.I64(at.us);
  }
  return w.Take();
}

Status Ledger::RestoreSnapshot(std::string_view bytes) {
  if (!accounts_.empty() || !transfers_.empty() || restoring_transfers_ >= 0) {
    return Corrupt("restored into a ledger that is not new");
  }
  const size_t bound = bytes.size();
  Reader r(bytes);
  if (r.U64() != kSnapshotVersion || !r.ok()) return Corrupt("unknown format");
  const size_t accounts = r.Count(bound);
  accounts_.reserve(accounts);
  accounts_by_owner_.Reserve(accounts);
  for (size_t i = 0; i < accounts && r.ok(); ++i) {
    AccountRecord record;
    record.index = static_cast<AccountIndex>(i);
    record.program = r.U16();
    record.kind = r.Enum<AccountKind>(4);
    record.owner = r.Text();
    if (!r.ok()) break;
    if (Status added = ApplyAccount(record); !added.ok()) return added;
    Account& a = accounts_.back();
    a.debits_posted = r.I64();
    a.credits_posted = r.I64();
    a.debits_pending = r.I64();
    a.credits_pending = r.I64();
    a.debt = r.I64();
    r.GetLots(a.lots, bound);
  }
  const uint64_t transfers = r.U64();
  if (!r.ok() || transfers > static_cast<uint64_t>(limits::kLedgerTransfersMax)) {
    return Corrupt("malformed accounts or transfer count");
  }
  const size_t pendings = r.Count(bound);
  for (size_t i = 0; i < pendings && r.ok(); ++i) {
    const TransferIndex index = r.U32();
    PendingState state;
    state.status = r.Enum<PendingStatus>(3);
    state.settled_by = r.U32();
    r.GetLots(state.held, bound);
    if (r.ok() && (index >= transfers || !pending_.emplace(index, std::move(state)).second)) {
      return Corrupt("a pending transfer out of range or listed twice");
    }
  }
  const size_t orders = r.Count(bound);
  for (size_t i = 0; i < orders && r.ok(); ++i) {
    PointsOrderState o;
    o.record = GetOrder(r);
    o.refunded.minor = r.I64();
    o.earn = r.U32();
    o.reversed_points = r.I64();
    o.debt_points = r.I64();
    o.expired_points = r.I64();
    o.written_off_points = r.I64();
    if (!r.ok()) break;
    std::string key = OrderKey(o.record.program, o.record.order);
    if (!orders_.emplace(std::move(key), std::move(o)).second) return Corrupt("an order twice");
  }
  const size_t refunds = r.Count(bound);
  for (size_t i = 0; i < refunds && r.ok(); ++i) {
    PointsRefundRecord f;
    f.id = r.Text();
    f.program = r.U16();
    f.order = r.Text();
    f.amount.minor = r.I64();
    f.at.us = r.I64();
    f.debt_added = r.I64();
    f.written_off = r.I64();
    if (r.ok() && !refunds_.emplace(f.id, f).second) return Corrupt("a refund twice");
  }
  const size_t links = r.Count(bound);
  for (size_t i = 0; i < links && r.ok(); ++i) {
    LinkRecord l;
    l.program = r.U16();
    l.member = r.Text();
    l.partner = r.Text();
    l.partner_account = r.Text();
    l.at.us = r.I64();
    if (!r.ok()) break;
    auto key = std::make_tuple(l.program, l.member, l.partner);
    if (!links_.emplace(std::move(key), LinkState{std::move(l)}).second) {
      return Corrupt("a link twice");
    }
  }
  const size_t stays = r.Count(bound);
  for (size_t i = 0; i < stays && r.ok(); ++i) {
    StayRecord s;
    s.id = r.Text();
    s.program = r.U16();
    s.member = r.Text();
    s.partner = r.Text();
    s.at.us = r.I64();
    if (r.ok() && !stays_.emplace(s.id, s).second) return Corrupt("a stay twice");
  }
  const size_t activities = r.Count(bound);
  for (size_t i = 0; i < activities && r.ok(); ++i) {
    const uint16_t program = r.U16();
    std::string member = r.Text();
    std::string partner = r.Text();
    PartnerActivity activity;
    if (r.Bool()) activity.challenge_started = Instant{r.I64()};
    const size_t count = r.Count(bound);
    for (size_t j = 0; j < count && r.ok(); ++j) activity.stays.push_back(Instant{r.I64()});
    if (!r.ok()) break;
    auto key = std::make_tuple(program, std::move(member), std::move(partner));
    if (!activity_.emplace(std::move(key), std::move(activity)).second) {
      return Corrupt("partner activity twice");
    }
  }
  if (!r.ok() || !r.AtEnd()) return Corrupt("malformed");
  restoring_transfers_ = static_cast<int64_t>(transfers);
  transfers_by_id_.Reserve(static_cast<size_t>(transfers));
  return Status::Ok();
}

Status Ledger::RestoreTransfer(Transfer transfer) {
  if (static_cast<int64_t>(transfers_.size()) >= restoring_transfers_) {
    return Corrupt("the log holds more transfers than the snapshot covers");
  }
  if (transfer.id.empty() || transfer.debit >= accounts_.size() ||
      transfer.credit >= accounts_.size() || transfer.debit == transfer.credit) {
    return Corrupt("transfer " + QuoteInput(transfer.id) + " names unknown accounts");
  }
  const auto index = static_cast<TransferIndex>(transfers_.size());
  const uint32_t id_hash = HashIndex::Hash(transfer.id);
  if (transfers_by_id_.Find(id_hash, [&](uint32_t i) { return transfers_[i].id == transfer.id; })) {
    return Corrupt("transfer " + QuoteInput(transfer.id) + " repeats an id");
  }
  transfers_by_id_.Insert(id_hash, index);
  transfers_.push_back(std::move(transfer));
  const Transfer& t = transfers_.back();
  for (AccountIndex a : {t.debit, t.credit}) {
    if (accounts_[a].kind == AccountKind::kMember) accounts_[a].history.push_back(index);
  }
  return Status::Ok();
}

Status Ledger::FinishRestore() {
  if (static_cast<int64_t>(transfers_.size()) != restoring_transfers_) {
    return Corrupt("covers " + std::to_string(restoring_transfers_) + " transfers, the log holds " +
                   std::to_string(transfers_.size()));
  }
  for (const auto& [index, state] : pending_) {
    if (transfers_[index].phase != TransferPhase::kPending) {
      return Corrupt("transfer " + std::to_string(index) + " is listed pending but is not");
    }
    if (state.status == PendingStatus::kPending) {
      open_pendings_.emplace(std::make_pair(transfers_[index].timeout.us, index), index);
    }
  }
  for (AccountIndex a = 0; a < accounts_.size(); ++a) {
    if (!accounts_[a].lots.empty()) {
      lot_queue_.emplace(std::make_pair(accounts_[a].lots.front().expires.us, a), a);
    }
  }
  restoring_transfers_ = -1;
  return Status::Ok();
}

}  // namespace onecard
