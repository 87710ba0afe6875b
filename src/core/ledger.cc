#include "core/ledger.h"

#include <algorithm>

#include "core/assert.h"
#include "core/ledger_limits.h"

namespace onecard {
namespace {

constexpr size_t kAccountKinds = 4;

Error Corrupt(const std::string& what) {
  return MakeError(ErrorCode::kCorruptState, "ledger", what);
}

bool LotBefore(const Lot& a, const Lot& b) {
  return std::tie(a.expires.us, a.origin) < std::tie(b.expires.us, b.origin);
}

// The account kinds each kind of transfer moves points between (debit → credit).
bool KindsFit(TransferKind kind, AccountKind debit, AccountKind credit) {
  switch (kind) {
    case TransferKind::kEarn:
      return debit == AccountKind::kIssuing && credit == AccountKind::kMember;
    case TransferKind::kRedeem:
    case TransferKind::kReverse:
    case TransferKind::kSettle:
      return debit == AccountKind::kMember && credit == AccountKind::kIssuing;
    case TransferKind::kTransfer:
      return debit == AccountKind::kMember && credit == AccountKind::kMember;
    case TransferKind::kExpire:
      return debit == AccountKind::kMember && credit == AccountKind::kExpiry;
    case TransferKind::kExchange:
      return debit == AccountKind::kMember && credit == AccountKind::kPartner;
  }
  return false;
}

// The account index's hash: the owner's, mixed with the program and kind it is unique in.
uint32_t AccountHash(uint16_t program, AccountKind kind, std::string_view owner) {
  const auto slot = static_cast<uint32_t>(program * kAccountKinds + static_cast<size_t>(kind));
  return HashIndex::Hash(owner) ^ (slot * 0x9E3779B9u);
}

}  // namespace

std::string OrderKey(uint16_t program, std::string_view order) {
  std::string key;
  key.reserve(order.size() + 3);
  key.push_back(static_cast<char>(program >> 8));
  key.push_back(static_cast<char>(program & 0xFF));
  key.push_back('\0');
  key.append(order);
  return key;
}

Ledger::Ledger(const PointsConfig& config) : config_(&config) {}

std::optional<AccountIndex> Ledger::FindAccount(uint16_t program, AccountKind kind,
                                                std::string_view owner) const {
  return accounts_by_owner_.Find(AccountHash(program, kind, owner), [&](uint32_t index) {
    const Account& a = accounts_[index];
    return a.program == program && a.kind == kind && a.owner == owner;
  });
}

std::optional<TransferIndex> Ledger::FindTransfer(std::string_view id) const {
  return transfers_by_id_.Find(HashIndex::Hash(id),
                               [&](uint32_t index) { return transfers_[index].id == id; });
}

const PendingState* Ledger::Pending(TransferIndex transfer) const {
  auto it = pending_.find(transfer);
  return it == pending_.end() ? nullptr : &it->second;
}

const PointsOrderState* Ledger::FindOrder(uint16_t program, std::string_view order) const {
  auto it = orders_.find(OrderKey(program, order));
  return it == orders_.end() ? nullptr : &it->second;
}

const PointsRefundRecord* Ledger::FindRefund(std::string_view id) const {
  auto it = refunds_.find(std::string(id));
  return it == refunds_.end() ? nullptr : &it->second;
}

const LinkRecord* Ledger::FindLink(uint16_t program, std::string_view member,
                                   std::string_view partner) const {
  auto it = links_.find({program, std::string(member), std::string(partner)});
  return it == links_.end() ? nullptr : &it->second.record;
}

const StayRecord* Ledger::FindStay(std::string_view id) const {
  auto it = stays_.find(std::string(id));
  return it == stays_.end() ? nullptr : &it->second;
}

const PartnerActivity* Ledger::FindActivity(uint16_t program, std::string_view member,
                                            std::string_view partner) const {
  auto it = activity_.find({program, std::string(member), std::string(partner)});
  return it == activity_.end() ? nullptr : &it->second;
}

Status Ledger::Apply(LedgerRecord record) {
  if (restoring_transfers_ >= 0) return Corrupt("a record applied before the restore finished");
  return std::visit(
      [this](auto& r) -> Status {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, AccountRecord>) return ApplyAccount(r);
        if constexpr (std::is_same_v<T, Transfer>) return ApplyTransfer(std::move(r));
        if constexpr (std::is_same_v<T, PointsOrderRecord>) return ApplyOrder(r);
        if constexpr (std::is_same_v<T, PointsRefundRecord>) return ApplyRefund(r);
        if constexpr (std::is_same_v<T, LinkRecord>) return ApplyLink(r);
        if constexpr (std::is_same_v<T, StayRecord>) return ApplyStay(r);
        if constexpr (std::is_same_v<T, ChallengeRecord>) return ApplyChallenge(r);
      },
      record);
}

Status Ledger::ApplyAccount(const AccountRecord& record) {
  if (record.index != accounts_.size()) {
    return Corrupt("account " + std::to_string(record.index) + " is not the next number " +
                   std::to_string(accounts_.size()));
  }
  if (record.program >= config_->programs.size()) {
    return Corrupt("account " + std::to_string(record.index) + " names an unknown program");
  }
  const bool system = record.kind == AccountKind::kIssuing || record.kind == AccountKind::kExpiry;
  if (system != record.owner.empty()) {
    return Corrupt("account " + std::to_string(record.index) + " has the wrong owner for its kind");
  }
  if (FindAccount(record.program, record.kind, record.owner).has_value()) {
    return Corrupt("account " + std::to_string(record.index) + " exists already");
  }
  accounts_by_owner_.Insert(AccountHash(record.program, record.kind, record.owner), record.index);
  Account account;
  account.program = record.program;
  account.kind = record.kind;
  account.owner = record.owner;
  accounts_.push_back(std::move(account));
  return Status::Ok();
}

Status Ledger::CheckTransfer(const Transfer& t) const {
  // Built only on the error path: this runs for every transfer.
  const auto name = [&t] { return "transfer " + QuoteInput(t.id); };
  if (t.id.empty()) return Corrupt(name() + " has no id");
  if (t.debit >= accounts_.size() || t.credit >= accounts_.size() || t.debit == t.credit) {
    return Corrupt(name() + " names unknown or equal accounts");
  }
  const Account& debit = accounts_[t.debit];
  const Account& credit = accounts_[t.credit];
  if (debit.program != credit.program || !KindsFit(t.kind, debit.kind, credit.kind)) {
    return Corrupt(name() + " moves points between accounts its kind does not allow");
  }
  if (t.amount <= 0 || t.amount > limits::kTransferPointsMax) {
    return Corrupt(name() + " has an amount out of range");
  }
  if (t.phase == TransferPhase::kPost || t.phase == TransferPhase::kVoid) {
    if (t.pending >= transfers_.size()) return Corrupt(name() + " settles an unknown transfer");
    const Transfer& p = transfers_[t.pending];
    const PendingState* state = Pending(t.pending);
    if (state == nullptr || state->status != PendingStatus::kPending) {
      return Corrupt(name() + " settles a transfer that is not pending");
    }
    if (p.debit != t.debit || p.credit != t.credit || p.amount != t.amount || p.kind != t.kind) {
      return Corrupt(name() + " does not match the pending transfer it settles");
    }
    return Status::Ok();
  }
  if (t.pending != kNoIndex) return Corrupt(name() + " names a pending transfer but settles none");
  if (debit.kind != AccountKind::kIssuing && debit.available() < t.amount) {
    return Corrupt(name() + " takes more than the account has");
  }
  if (credit.kind != AccountKind::kIssuing &&
      credit.balance() + credit.credits_pending > limits::kAccountPointsMax - t.amount) {
    return Corrupt(name() + " makes a balance larger than the limit");
  }
  if (t.lot != kNoIndex) {
    if (t.phase != TransferPhase::kPosted) return Corrupt(name() + " holds one lot");
    const auto it = std::find_if(debit.lots.begin(), debit.lots.end(),
                                 [&](const Lot& lot) { return lot.origin == t.lot; });
    if (it == debit.lots.end() || it->remaining < t.amount) {
      return Corrupt(name() + " takes more than its lot holds");
    }
  }
  if (t.kind == TransferKind::kSettle && debit.debt < t.amount) {
    return Corrupt(name() + " settles more than the debt");
  }
  return Status::Ok();
}

Status Ledger::ApplyTransfer(Transfer transfer) {
  if (static_cast<int64_t>(transfers_.size()) >= limits::kLedgerTransfersMax) {
    return Corrupt("the ledger holds its most transfers");
  }
  if (Status checked = CheckTransfer(transfer); !checked.ok()) return checked;
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
  switch (t.phase) {
    case TransferPhase::kPosted:
      return ApplyPosted(t, index);
    case TransferPhase::kPending:
      return ApplyPending(t, index);
    case TransferPhase::kPost:
    case TransferPhase::kVoid:
      return ApplySettle(t, index);
  }
  return Status::Ok();
}

Status Ledger::ApplyPosted(const Transfer& t, TransferIndex index) {
  Account& debit = accounts_[t.debit];
  Account& credit = accounts_[t.credit];
  debit.debits_posted += t.amount;
  credit.credits_posted += t.amount;
  std::vector<Lot>& taken = taken_;
  taken.clear();
  if (debit.kind == AccountKind::kMember) TakeLots(t.debit, t.amount, t.lot, &taken);
  if (credit.kind == AccountKind::kMember) {
    if (debit.kind == AccountKind::kMember) {
      // Moved points keep their expiry: a transfer must not make old points young again.
      for (const Lot& lot : taken) AddLot(t.credit, Lot{lot.expires, index, lot.remaining});
    } else {
      AddLot(t.credit, Lot{t.lot_expires, index, t.amount});
    }
  }
  if (t.kind == TransferKind::kSettle) debit.debt -= t.amount;
  if (t.kind == TransferKind::kExpire) {
    for (const Lot& lot : taken) {
      const Transfer& origin = transfers_[lot.origin];
      if (origin.kind != TransferKind::kEarn || origin.reference.empty()) continue;
      auto order = orders_.find(OrderKey(debit.program, origin.reference));
      if (order != orders_.end()) order->second.expired_points += lot.remaining;
    }
  }
  NoteTransferOnOrder(t, index);
  return Status::Ok();
}

Status Ledger::ApplyPending(const Transfer& t, TransferIndex index) {
  Account& debit = accounts_[t.debit];
  debit.debits_pending += t.amount;
  accounts_[t.credit].credits_pending += t.amount;
  PendingState state;
  if (debit.kind == AccountKind::kMember) TakeLots(t.debit, t.amount, kNoIndex, &state.held);
  pending_.emplace(index, std::move(state));
  open_pendings_.emplace(std::make_pair(t.timeout.us, index), index);
  NoteTransferOnOrder(t, index);
  return Status::Ok();
}

Status Ledger::ApplySettle(const Transfer& t, TransferIndex index) {
  const Transfer& p = transfers_[t.pending];
  PendingState& state = pending_.at(t.pending);
  open_pendings_.erase({p.timeout.us, t.pending});
  Account& debit = accounts_[t.debit];
  Account& credit = accounts_[t.credit];
  debit.debits_pending -= t.amount;
  credit.credits_pending -= t.amount;
  state.settled_by = index;
  if (t.phase == TransferPhase::kVoid) {
    state.status = PendingStatus::kVoided;
    for (const Lot& lot : state.held) AddLot(t.debit, lot);
    state.held.clear();
    return Status::Ok();
  }
  state.status = PendingStatus::kPosted;
  debit.debits_posted += t.amount;
  credit.credits_posted += t.amount;
  if (credit.kind == AccountKind::kMember) {
    if (debit.kind == AccountKind::kMember) {
      for (const Lot& lot : state.held) AddLot(t.credit, Lot{lot.expires, index, lot.remaining});
    } else {
      // The lot of a pending earning is named by the earning, so a refund finds it.
      AddLot(t.credit, Lot{p.lot_expires, t.pending, t.amount});
    }
  }
  state.held.clear();
  return Status::Ok();
}

void Ledger::NoteTransferOnOrder(const Transfer& t, TransferIndex index) {
  if (t.reference.empty()) return;
  if (t.kind != TransferKind::kEarn && t.kind != TransferKind::kReverse) return;
  auto order = orders_.find(OrderKey(accounts_[t.debit].program, t.reference));
  if (order == orders_.end()) return;
  if (t.kind == TransferKind::kEarn) order->second.earn = index;
  if (t.kind == TransferKind::kReverse) order->second.reversed_points += t.amount;
}

void Ledger::TakeLots(AccountIndex account, int64_t amount, TransferIndex only,
                      std::vector<Lot>* taken_out) {
  Account& a = accounts_[account];
  const std::optional<Instant> before =
      a.lots.empty() ? std::nullopt : std::optional<Instant>(a.lots.front().expires);
  std::vector<Lot>& taken = *taken_out;
  taken.clear();
  if (only != kNoIndex) {
    auto it = std::find_if(a.lots.begin(), a.lots.end(),
                           [&](const Lot& lot) { return lot.origin == only; });
    ONECARD_ASSERT(it != a.lots.end() && it->remaining >= amount);
    taken.push_back(Lot{it->expires, it->origin, amount});
    it->remaining -= amount;
    if (it->remaining == 0) a.lots.erase(it);
  } else {
    while (amount > 0) {
      ONECARD_ASSERT(!a.lots.empty());
      Lot& front = a.lots.front();
      const int64_t take = std::min(amount, front.remaining);
      taken.push_back(Lot{front.expires, front.origin, take});
      front.remaining -= take;
      amount -= take;
      if (front.remaining == 0) a.lots.pop_front();
    }
  }
  NoteLotQueue(account, before);
}

void Ledger::AddLot(AccountIndex account, Lot lot) {
  Account& a = accounts_[account];
  const std::optional<Instant> before =
      a.lots.empty() ? std::nullopt : std::optional<Instant>(a.lots.front().expires);
  // Lots mostly arrive in expiry order, so the search starts from the back.
  auto it = a.lots.end();
  while (it != a.lots.begin() && LotBefore(lot, *(it - 1))) --it;
  if (it != a.lots.begin() && (it - 1)->origin == lot.origin && (it - 1)->expires == lot.expires) {
    (it - 1)->remaining += lot.remaining;  // a voided hold returns into the lot it came from
  } else {
    a.lots.insert(it, lot);
  }
  NoteLotQueue(account, before);
}

void Ledger::NoteLotQueue(AccountIndex account, const std::optional<Instant>& before) {
  const Account& a = accounts_[account];
  const std::optional<Instant> after =
      a.lots.empty() ? std::nullopt : std::optional<Instant>(a.lots.front().expires);
  if (before == after) return;
  if (before.has_value()) lot_queue_.erase({before->us, account});
  if (after.has_value()) lot_queue_.emplace(std::make_pair(after->us, account), account);
}

Status Ledger::ApplyOrder(const PointsOrderRecord& record) {
  if (record.program >= config_->programs.size()) return Corrupt("an order names no program");
  PointsOrderState state;
  state.record = record;
  if (!orders_.emplace(OrderKey(record.program, record.order), std::move(state)).second) {
    return Corrupt("order " + QuoteInput(record.order) + " earned twice");
  }
  return Status::Ok();
}

Status Ledger::ApplyRefund(const PointsRefundRecord& record) {
  auto order = orders_.find(OrderKey(record.program, record.order));
  if (order == orders_.end()) return Corrupt("refund " + QuoteInput(record.id) + " of no order");
  PointsOrderState& state = order->second;
  if (record.amount.minor <= 0 || state.refunded + record.amount > state.record.amount ||
      record.debt_added < 0 || record.written_off < 0) {
    return Corrupt("refund " + QuoteInput(record.id) + " is out of range");
  }
  std::optional<AccountIndex> account;
  if (record.debt_added > 0) {
    account = FindAccount(record.program, AccountKind::kMember, state.record.member);
    if (!account.has_value()) return Corrupt("refund " + QuoteInput(record.id) + " owes nobody");
  }
  if (!refunds_.emplace(record.id, record).second) {
    return Corrupt("refund " + QuoteInput(record.id) + " recorded twice");
  }
  state.refunded += record.amount;
  state.debt_points += record.debt_added;
  state.written_off_points += record.written_off;
  if (account.has_value()) accounts_[*account].debt += record.debt_added;
  return Status::Ok();
}

Status Ledger::ApplyLink(const LinkRecord& record) {
  auto key = std::make_tuple(record.program, record.member, record.partner);
  if (!links_.emplace(std::move(key), LinkState{record}).second) {
    return Corrupt("member " + QuoteInput(record.member) + " linked twice");
  }
  return Status::Ok();
}

Status Ledger::ApplyStay(const StayRecord& record) {
  if (!stays_.emplace(record.id, record).second) {
    return Corrupt("stay " + QuoteInput(record.id) + " recorded twice");
  }
  activity_[{record.program, record.member, record.partner}].stays.push_back(record.at);
  return Status::Ok();
}

Status Ledger::ApplyChallenge(const ChallengeRecord& record) {
  activity_[{record.program, record.member, record.partner}].challenge_started = record.at;
  return Status::Ok();
}

}  // namespace onecard
