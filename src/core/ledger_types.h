// The records of the points ledger (PRODUCT §5): what is appended to the ledger's log and applied
// to its state. Every movement of points is an immutable Transfer between two accounts of one
// program; the other records keep what earning, refunds and partner exchange need to remember
// (the order an earning came from, a member's link to a partner account, stays for a challenge).
// Accounts and transfers are numbered in the order they were first recorded, so the log refers
// to them by number and replaying it rebuilds the same numbering.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/money.h"
#include "core/program_time.h"

namespace onecard {

using AccountIndex = uint32_t;
using TransferIndex = uint32_t;
inline constexpr uint32_t kNoIndex = UINT32_MAX;

// Each program has one issuing account (points come from it and return to it when redeemed or
// reversed, so its balance is minus everything outstanding), one expiry account (expired points),
// one account per member and one per partner it exchanges with. Only the issuing account may go
// below zero; the balances of one program always sum to zero.
enum class AccountKind : uint8_t { kIssuing = 0, kExpiry = 1, kMember = 2, kPartner = 3 };
std::string_view AccountKindName(AccountKind kind);

enum class TransferKind : uint8_t {
  kEarn = 0,      // issuing → member, from an order
  kRedeem = 1,    // member → issuing (spent at checkout, possibly held first)
  kTransfer = 2,  // member → member of the same program
  kExpire = 3,    // member → expiry, a lot past its expiry
  kReverse = 4,   // member → issuing, what is left of a refunded order's points
  kSettle = 5,    // member → issuing, a new lot paying off debt from earlier reversals
  kExchange = 6,  // member → partner, moved out to a partner program
};
inline constexpr int kTransferKindCount = 7;
std::string_view TransferKindName(TransferKind kind);

// A transfer either posts at once, or is pending (two-phase: the amount is reserved, then a later
// transfer posts or voids it). A pending transfer that nobody settles by its timeout is settled by
// the ledger's job with its on_timeout action: pending earnings post when the return window
// closes, holds and exchanges are voided and the points return.
enum class TransferPhase : uint8_t { kPosted = 0, kPending = 1, kPost = 2, kVoid = 3 };
std::string_view TransferPhaseName(TransferPhase phase);
enum class TimeoutAction : uint8_t { kVoid = 0, kPost = 1 };

struct Transfer {
  std::string id;
  AccountIndex debit = kNoIndex;   // the account points leave
  AccountIndex credit = kNoIndex;  // the account points arrive at
  int64_t amount = 0;              // > 0; for kPost and kVoid the pending transfer's amount
  TransferKind kind = TransferKind::kTransfer;
  TransferPhase phase = TransferPhase::kPosted;
  TransferIndex pending = kNoIndex;  // kPost, kVoid: the pending transfer they settle
  Instant timeout;                   // kPending: when the job settles it with on_timeout
  TimeoutAction on_timeout = TimeoutAction::kVoid;
  // A credit from a non-member account to a member account makes a lot that expires then.
  Instant lot_expires;
  // Debits only this lot (named by the transfer that made it) instead of earliest-expiring
  // first: a reversal takes back what is left of its order's own points.
  TransferIndex lot = kNoIndex;
  std::string reference;  // the order (earn, reverse), the partner's confirmation (exchange post)
  Instant at;             // when it was recorded

  friend bool operator==(const Transfer&, const Transfer&) = default;
};

// A new account; `index` is the next free number.
struct AccountRecord {
  AccountIndex index = kNoIndex;
  uint16_t program = 0;  // index into PointsConfig::programs
  AccountKind kind = AccountKind::kMember;
  std::string owner;  // member id, partner id, empty for issuing and expiry

  friend bool operator==(const AccountRecord&, const AccountRecord&) = default;
};

// An order that earned (possibly 0 points): what it was and the factors used, so that a refund
// takes back exactly the points the refunded money earned.
struct PointsOrderRecord {
  uint16_t program = 0;
  std::string member;
  std::string order;
  std::string channel;
  std::string category;
  Money amount;
  Instant at;
  int64_t rate_ppm = 0;
  int64_t tier_permille = 1000;
  int64_t paid_permille = 1000;
  int64_t campaign_permille = 1000;
  int64_t points = 0;

  friend bool operator==(const PointsOrderRecord&, const PointsOrderRecord&) = default;
};

// A refund of (part of) an order. Of the points to take back, what is left of the order's lot
// is reversed by transfers recorded with it; debt_added is the part the member had already spent
// (the next earnings settle it) and written_off the part that had expired (it left through the
// expiry account already).
struct PointsRefundRecord {
  std::string id;
  uint16_t program = 0;
  std::string order;
  Money amount;
  Instant at;
  int64_t debt_added = 0;
  int64_t written_off = 0;

  friend bool operator==(const PointsRefundRecord&, const PointsRefundRecord&) = default;
};

// A member's link to their account with a partner program, made with the member's consent.
struct LinkRecord {
  uint16_t program = 0;
  std::string member;
  std::string partner;
  std::string partner_account;
  Instant at;

  friend bool operator==(const LinkRecord&, const LinkRecord&) = default;
};

// A qualifying stay with a partner (reported by the partner), and the start of a status challenge.
struct StayRecord {
  std::string id;
  uint16_t program = 0;
  std::string member;
  std::string partner;
  Instant at;

  friend bool operator==(const StayRecord&, const StayRecord&) = default;
};

struct ChallengeRecord {
  uint16_t program = 0;
  std::string member;
  std::string partner;
  Instant at;

  friend bool operator==(const ChallengeRecord&, const ChallengeRecord&) = default;
};

using LedgerRecord = std::variant<AccountRecord, Transfer, PointsOrderRecord, PointsRefundRecord,
                                  LinkRecord, StayRecord, ChallengeRecord>;

}  // namespace onecard
