// Shared by the ledger's Plan* functions (ledger_ops.h): field checks with the error each field
// gets, and a builder that numbers the accounts and transfers a plan adds the way Ledger::Apply
// will number them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger.h"
#include "core/ledger_ops.h"

namespace onecard::ledger_internal {

// Caller ids (transfers, refunds, stays): 1..kTransferIdBytesMax visible ASCII without ':'.
std::optional<Error> CheckCallerId(std::string_view value, const char* field);
// Members, partner accounts, orders: 1..max_bytes visible ASCII.
std::optional<Error> CheckName(std::string_view value, const char* field, ErrorCode code,
                               int64_t max_bytes);
// Channels and categories: 1..kTextBytesMax bytes without control characters.
std::optional<Error> CheckLabel(std::string_view value, const char* field);
std::optional<Error> CheckPoints(int64_t points);

class PlanBuilder {
 public:
  PlanBuilder(const Ledger& ledger, uint16_t program) : ledger_(ledger), program_(program) {}

  // The account's number, adding an AccountRecord for it when it does not exist yet.
  AccountIndex Account(AccountKind kind, std::string_view owner);
  // The number the next transfer added will get.
  TransferIndex NextTransfer() const;
  // Adds a transfer at `now` and notes it in the outcome.
  TransferIndex Add(Transfer transfer, Instant now);
  void AddRecord(LedgerRecord record) { plan_.records.push_back(std::move(record)); }
  // `base` if no transfer has it, else base#2, base#3 … (system ids only).
  std::string UniqueId(const std::string& base) const;
  LedgerOutcome& outcome() { return plan_.outcome; }
  LedgerPlan Take() { return std::move(plan_); }

 private:
  const Ledger& ledger_;
  uint16_t program_;
  LedgerPlan plan_;
  AccountIndex accounts_added_ = 0;
  TransferIndex transfers_added_ = 0;
  std::vector<std::pair<AccountKind, std::string>> new_accounts_;
};

// The outcome of a request seen before: the original transfers.
LedgerPlan Duplicate(std::vector<TransferIndex> transfers);

}  // namespace onecard::ledger_internal
