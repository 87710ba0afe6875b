#include "core/ledger_types.h"

namespace onecard {

std::string_view AccountKindName(AccountKind kind) {
  switch (kind) {
    case AccountKind::kIssuing:
      return "issuing";
    case AccountKind::kExpiry:
      return "expiry";
    case AccountKind::kMember:
      return "member";
    case AccountKind::kPartner:
      return "partner";
  }
  return "unknown";
}

std::string_view TransferKindName(TransferKind kind) {
  switch (kind) {
    case TransferKind::kEarn:
      return "earn";
    case TransferKind::kRedeem:
      return "redeem";
    case TransferKind::kTransfer:
      return "transfer";
    case TransferKind::kExpire:
      return "expire";
    case TransferKind::kReverse:
      return "reverse";
    case TransferKind::kSettle:
      return "settle";
    case TransferKind::kExchange:
      return "exchange";
  }
  return "unknown";
}

std::string_view TransferPhaseName(TransferPhase phase) {
  switch (phase) {
    case TransferPhase::kPosted:
      return "posted";
    case TransferPhase::kPending:
      return "pending";
    case TransferPhase::kPost:
      return "post";
    case TransferPhase::kVoid:
      return "void";
  }
  return "unknown";
}

}  // namespace onecard
