// The points ledger's state and its mechanical rules: applying a record (ledger_types.h) changes
// balances, lots, pending transfers, orders and links exactly one way, whether the record was
// just planned (ledger_ops.h decides what to record) or is read back from the log at open.
// Apply checks what it must not break (no account but the issuing one below zero, a pending
// transfer settled once, lots covering the available balance) and refuses a record that would, so
// a damaged log is reported, never applied.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/ledger_config.h"
#include "core/ledger_hash_index.h"
#include "core/ledger_lot_list.h"
#include "core/ledger_types.h"
#include "core/result.h"

namespace onecard {

struct Account {
  uint16_t program = 0;
  AccountKind kind = AccountKind::kMember;
  std::string owner;
  int64_t debits_posted = 0;
  int64_t credits_posted = 0;
  int64_t debits_pending = 0;          // reserved by pending debits (holds, exchanges)
  int64_t credits_pending = 0;         // pending credits (earnings inside the return window)
  int64_t debt = 0;                    // points reversed after they were spent; settled by earnings
  LotList lots;                        // member accounts: the available points, in spending order
  std::vector<TransferIndex> history;  // member accounts: every transfer touching it

  int64_t balance() const { return credits_posted - debits_posted; }
  int64_t available() const { return balance() - debits_pending; }
};

enum class PendingStatus : uint8_t { kPending, kPosted, kVoided };

// What a pending transfer holds until it is settled: for a debit of a member account, the lots it
// took (returned as they were if it is voided).
struct PendingState {
  PendingStatus status = PendingStatus::kPending;
  TransferIndex settled_by = kNoIndex;
  std::vector<Lot> held;
};

struct PointsOrderState {
  PointsOrderRecord record;
  Money refunded;
  TransferIndex earn = kNoIndex;   // the current earn transfer (pending or posted), if any
  int64_t reversed_points = 0;     // taken back by reverse transfers
  int64_t debt_points = 0;         // taken back as debt
  int64_t expired_points = 0;      // of its lot, expired before the refund
  int64_t written_off_points = 0;  // refunded points that had already expired
};

struct LinkState {
  LinkRecord record;
};

// A member's activity with one partner: the qualifying stays the partner reported and the start
// of the latest status challenge, if any.
struct PartnerActivity {
  std::optional<Instant> challenge_started;
  std::vector<Instant> stays;
};

class Ledger {
 public:
  explicit Ledger(const PointsConfig& config);
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  const PointsConfig& config() const { return *config_; }

  // Applies one record; on error nothing changed (kCorruptState naming what the record breaks).
  // Taken by value: a caller that is done with the record moves it in (no copy of its strings).
  Status Apply(LedgerRecord record);

  // Snapshots (ledger_snapshot.cc) bound the work at open: the state but the transfers themselves
  // (they stay in the log) is encoded; a ledger is then restored from the latest snapshot, the
  // transfers of the log up to it (kept, not applied: their effect is in the snapshot), and the
  // records after it applied as usual. Restoring must go: RestoreSnapshot on a new ledger,
  // RestoreTransfer for each transfer the snapshot covers, FinishRestore, then Apply.
  std::string EncodeSnapshot() const;
  Status RestoreSnapshot(std::string_view bytes);
  Status RestoreTransfer(Transfer transfer);
  Status FinishRestore();

  // Look-ups. Account and transfer numbers are dense from 0.
  const std::vector<Account>& accounts() const { return accounts_; }
  const std::deque<Transfer>& transfers() const { return transfers_; }
  std::optional<AccountIndex> FindAccount(uint16_t program, AccountKind kind,
                                          std::string_view owner) const;
  std::optional<TransferIndex> FindTransfer(std::string_view id) const;
  const PendingState* Pending(TransferIndex transfer) const;
  const std::unordered_map<TransferIndex, PendingState>& pendings() const { return pending_; }
  const PointsOrderState* FindOrder(uint16_t program, std::string_view order) const;
  const std::unordered_map<std::string, PointsOrderState>& orders() const { return orders_; }
  const PointsRefundRecord* FindRefund(std::string_view id) const;
  const LinkRecord* FindLink(uint16_t program, std::string_view member,
                             std::string_view partner) const;
  const StayRecord* FindStay(std::string_view id) const;
  const PartnerActivity* FindActivity(uint16_t program, std::string_view member,
                                      std::string_view partner) const;
  // The pending transfers not yet settled, by timeout (then number).
  const std::map<std::pair<int64_t, TransferIndex>, TransferIndex>& open_pendings() const {
    return open_pendings_;
  }
  // Member accounts holding at least one lot, by their earliest lot's expiry.
  const std::map<std::pair<int64_t, AccountIndex>, AccountIndex>& lot_queue() const {
    return lot_queue_;
  }

 private:
  Status ApplyAccount(const AccountRecord& record);
  Status ApplyTransfer(Transfer transfer);
  Status CheckTransfer(const Transfer& transfer) const;
  Status ApplyPosted(const Transfer& transfer, TransferIndex index);
  Status ApplyPending(const Transfer& transfer, TransferIndex index);
  Status ApplySettle(const Transfer& transfer, TransferIndex index);
  Status ApplyOrder(const PointsOrderRecord& record);
  Status ApplyRefund(const PointsRefundRecord& record);
  Status ApplyLink(const LinkRecord& record);
  Status ApplyStay(const StayRecord& record);
  Status ApplyChallenge(const ChallengeRecord& record);

  // Takes `amount` from the account's lots (one lot only when `only` is set), earliest first,
  // into *taken (cleared first); REQUIRES: they hold enough (checked by CheckTransfer).
  void TakeLots(AccountIndex account, int64_t amount, TransferIndex only, std::vector<Lot>* taken);
  void AddLot(AccountIndex account, Lot lot);
  void NoteLotQueue(AccountIndex account, const std::optional<Instant>& before);
  void NoteTransferOnOrder(const Transfer& transfer, TransferIndex index);

  const PointsConfig* config_;
  // While restoring: how many transfers the snapshot covers (RestoreTransfer adds up to them).
  int64_t restoring_transfers_ = -1;
  std::vector<Account> accounts_;
  // A deque: growing it never moves (and so never touches again) the transfers already held.
  std::deque<Transfer> transfers_;
  // Accounts by (program, kind, owner) and transfers by id: the keys are kept once, by the
  // account or the transfer; the indexes hold their hashes and numbers (ledger_hash_index.h).
  HashIndex accounts_by_owner_;
  HashIndex transfers_by_id_;
  // Scratch for the lots a posted transfer takes (no allocation per transfer).
  std::vector<Lot> taken_;
  std::unordered_map<TransferIndex, PendingState> pending_;
  std::map<std::pair<int64_t, TransferIndex>, TransferIndex> open_pendings_;
  std::map<std::pair<int64_t, AccountIndex>, AccountIndex> lot_queue_;
  std::unordered_map<std::string, PointsOrderState> orders_;  // key: program, '\0', order
  std::unordered_map<std::string, PointsRefundRecord> refunds_;
  std::map<std::tuple<uint16_t, std::string, std::string>, LinkState> links_;
  std::unordered_map<std::string, StayRecord> stays_;
  std::map<std::tuple<uint16_t, std::string, std::string>, PartnerActivity> activity_;
};

// The key of an order in Ledger::orders(): its program and its id.
std::string OrderKey(uint16_t program, std::string_view order);

}  // namespace onecard
