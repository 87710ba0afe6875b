#include "core/ledger_plan_builder.h"

#include "core/ledger_limits.h"
#include "core/limits.h"

namespace onecard::ledger_internal {

std::optional<Error> CheckName(std::string_view value, const char* field, ErrorCode code,
                               int64_t max_bytes) {
  if (value.empty()) return MakeError(code, field, std::string(field) + " is empty");
  if (static_cast<int64_t>(value.size()) > max_bytes) {
    return MakeError(code, field,
                     std::string(field) + " " + QuoteInput(value) + " is longer than " +
                         std::to_string(max_bytes) + " bytes");
  }
  for (char c : value) {
    if (c < 0x21 || c > 0x7E) {
      return MakeError(code, field,
                       std::string(field) + " " + QuoteInput(value) +
                           " contains a character that is not visible ASCII");
    }
  }
  return std::nullopt;
}

std::optional<Error> CheckCallerId(std::string_view value, const char* field) {
  if (auto error = CheckName(value, field, ErrorCode::kInvalidId, limits::kTransferIdBytesMax)) {
    return error;
  }
  if (value.find(':') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidId, field,
                     std::string(field) + " " + QuoteInput(value) +
                         " contains ':', which only the ledger's own ids use");
  }
  return std::nullopt;
}

std::optional<Error> CheckLabel(std::string_view value, const char* field) {
  if (value.empty()) {
    return MakeError(ErrorCode::kInvalidText, field, std::string(field) + " is empty");
  }
  if (static_cast<int64_t>(value.size()) > limits::kTextBytesMax) {
    return MakeError(
        ErrorCode::kInvalidText, field,
        std::string(field) + " is longer than " + std::to_string(limits::kTextBytesMax) + " bytes");
  }
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      return MakeError(ErrorCode::kInvalidText, field,
                       std::string(field) + " contains a control character");
    }
  }
  return std::nullopt;
}

std::optional<Error> CheckPoints(int64_t points) {
  if (points <= 0 || points > limits::kTransferPointsMax) {
    return MakeError(ErrorCode::kInvalidPoints, "points",
                     "points must be a whole number from 1 to " +
                         std::to_string(limits::kTransferPointsMax) + ", not " +
                         std::to_string(points));
  }
  return std::nullopt;
}

AccountIndex PlanBuilder::Account(AccountKind kind, std::string_view owner) {
  if (auto found = ledger_.FindAccount(program_, kind, owner)) return *found;
  for (size_t i = 0; i < new_accounts_.size(); ++i) {
    if (new_accounts_[i].first == kind && new_accounts_[i].second == owner) {
      return static_cast<AccountIndex>(ledger_.accounts().size() + i);
    }
  }
  const auto index = static_cast<AccountIndex>(ledger_.accounts().size() + accounts_added_);
  ++accounts_added_;
  new_accounts_.emplace_back(kind, std::string(owner));
  plan_.records.push_back(AccountRecord{index, program_, kind, std::string(owner)});
  return index;
}

TransferIndex PlanBuilder::NextTransfer() const {
  return static_cast<TransferIndex>(ledger_.transfers().size() + transfers_added_);
}

TransferIndex PlanBuilder::Add(Transfer transfer, Instant now) {
  const TransferIndex index = NextTransfer();
  transfer.at = now;
  plan_.records.push_back(std::move(transfer));
  plan_.outcome.transfers.push_back(index);
  ++transfers_added_;
  return index;
}

std::string PlanBuilder::UniqueId(const std::string& base) const {
  auto taken = [&](const std::string& id) {
    if (ledger_.FindTransfer(id).has_value()) return true;
    for (const LedgerRecord& record : plan_.records) {
      const auto* transfer = std::get_if<Transfer>(&record);
      if (transfer != nullptr && transfer->id == id) return true;
    }
    return false;
  };
  if (!taken(base)) return base;
  for (int64_t n = 2;; ++n) {
    std::string id = base + "#" + std::to_string(n);
    if (!taken(id)) return id;
  }
}

LedgerPlan Duplicate(std::vector<TransferIndex> transfers) {
  LedgerPlan plan;
  plan.outcome.duplicate = true;
  plan.outcome.transfers = std::move(transfers);
  return plan;
}

}  // namespace onecard::ledger_internal
