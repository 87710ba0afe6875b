// A ledger service over an in-memory log with a fixed standing table, for the ledger tests:
// submit requests one at a time, read balances, verify, reopen from the log.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/ledger_verify.h"
#include "engine/ledger_service.h"
#include "support/fixed_standing_source.h"
#include "support/ledger_test_config.h"
#include "support/memory_ledger_store.h"

namespace onecard::test_support {

class LedgerHarness {
 public:
  explicit LedgerHarness(PointsConfig config = LedgerTestConfig()) : config_(std::move(config)) {
    Reopen();
  }

  // Rebuilds the service from the log (as after a restart).
  void Reopen() {
    auto store = std::make_unique<MemoryLedgerStore>(&batches_);
    store_ = store.get();
    auto service = LedgerService::Open(std::move(store), config_, &standing_);
    ASSERT_TRUE(service.ok()) << service.error().ToString();
    service_ = std::move(service).value();
  }

  FixedStandingSource& standing() { return standing_; }
  LedgerService& service() { return *service_; }
  const Ledger& ledger() const { return service_->ledger(); }
  MemoryLedgerStore& store() { return *store_; }

  Result<LedgerOutcome> Do(const LedgerRequest& request, Instant now) {
    return service_->SubmitOne(request, now);
  }
  // "ok", "duplicate" or the error code's name.
  std::string Code(const LedgerRequest& request, Instant now) {
    auto outcome = Do(request, now);
    if (!outcome.ok()) return std::string(ErrorCodeName(outcome.error().code));
    return outcome->duplicate ? "duplicate" : "ok";
  }

  const Account* MemberAccount(const std::string& member, uint16_t program = 0) const {
    auto index = ledger().FindAccount(program, AccountKind::kMember, member);
    return index.has_value() ? &ledger().accounts()[*index] : nullptr;
  }
  int64_t Available(const std::string& member, uint16_t program = 0) const {
    const Account* a = MemberAccount(member, program);
    return a == nullptr ? 0 : a->available();
  }
  int64_t Pending(const std::string& member, uint16_t program = 0) const {
    const Account* a = MemberAccount(member, program);
    return a == nullptr ? 0 : a->credits_pending;
  }
  int64_t Debt(const std::string& member, uint16_t program = 0) const {
    const Account* a = MemberAccount(member, program);
    return a == nullptr ? 0 : a->debt;
  }
  // The member's lots as "points@day" with days counted from 2025-01-01.
  std::string Lots(const std::string& member, uint16_t program = 0) const {
    const Account* a = MemberAccount(member, program);
    std::string out;
    if (a == nullptr) return out;
    for (const Lot& lot : a->lots) {
      if (!out.empty()) out += " ";
      out += std::to_string(lot.remaining) + "@" +
             std::to_string((lot.expires.us - kJan1.us) / kDayUs);
    }
    return out;
  }

  void ExpectSound() const {
    const std::vector<std::string> violations = VerifyLedger(ledger());
    for (const std::string& v : violations) ADD_FAILURE() << v;
  }

 private:
  PointsConfig config_;
  FixedStandingSource standing_;
  std::vector<std::string> batches_;
  MemoryLedgerStore* store_ = nullptr;
  std::unique_ptr<LedgerService> service_;
};

// Requests, short.
inline EarnRequest Earn(std::string member, std::string order, std::string amount, Instant at,
                        std::string channel = "online", std::string category = "misc",
                        std::string program = "shop") {
  EarnRequest r;
  r.program = std::move(program);
  r.member = std::move(member);
  r.order = std::move(order);
  r.channel = std::move(channel);
  r.category = std::move(category);
  r.amount = ParseMoney(amount).value();
  r.at = at;
  return r;
}
inline RefundRequest Refund(std::string id, std::string order, std::string amount, Instant at,
                            std::string program = "shop") {
  return RefundRequest{std::move(id), std::move(program), std::move(order),
                       ParseMoney(amount).value(), at};
}
inline TransferRequest Redeem(std::string id, std::string member, int64_t points, bool hold = false,
                              std::string program = "shop") {
  return TransferRequest{
      std::move(id), std::move(program), TransferKind::kRedeem, std::move(member), "", points,
      hold};
}
inline TransferRequest Move(std::string id, std::string from, std::string to, int64_t points,
                            std::string program = "shop") {
  return TransferRequest{std::move(id),
                         std::move(program),
                         TransferKind::kTransfer,
                         std::move(from),
                         std::move(to),
                         points,
                         false};
}

}  // namespace onecard::test_support
