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
#include "core/ledger_types.h"
#include "core/result.h"

namespace onecard {

// Points of one credit that expire together. Spending takes lots in (expires, origin) order:
// earliest-expiring first, first-in first-out among equals.
struct Lot {
  Instant expires;
  TransferIndex origin = kNoIndex;  // the transfer that made the lot
  int64_t remaining = 0;

  friend bool operator==(const Lot&, const Lot&) = default;
};

struct Account {
  uint16_t program = 0;
  AccountKind kind = AccountKind::kMember;
  std::string owner;
  int64_t debits_posted = 0;
  int64_t credits_posted = 0;
  int64_t debits_pending = 0;          // reserved by pending debits (holds, exchanges)
  int64_t credits_pending = 0;         // pending credits (earnings inside the return window)
  int64_t debt = 0;                    // points reversed after they were spent; settled by earnings
  std::deque<Lot> lots;                // member accounts: the available points, in spending order
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

  // Takes `amount` from the account's lots (one lot only when `only` is set), earliest first;
  // REQUIRES: they hold enough (checked by CheckTransfer).
  std::vector<Lot> TakeLots(AccountIndex account, int64_t amount, TransferIndex only);
  void AddLot(AccountIndex account, Lot lot);
  void NoteLotQueue(AccountIndex account, const std::optional<Instant>& before);
  void NoteTransferOnOrder(const Transfer& transfer, TransferIndex index);

  const PointsConfig* config_;
  std::vector<Account> accounts_;
  // A deque: growing it never moves (and so never touches again) the transfers already held.
  std::deque<Transfer> transfers_;
  // Accounts by (program, kind) then owner. Heterogeneous look-up: no string is built per call.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  using Index = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;
  std::vector<Index> accounts_by_owner_;  // [program * 4 + kind]
  Index transfers_by_id_;
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
