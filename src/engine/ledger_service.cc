#include "engine/ledger_service.h"

#include <utility>

#include "core/assert.h"
#include "core/ledger_limits.h"

namespace onecard {

LedgerService::LedgerService(std::unique_ptr<LedgerStore> store, PointsConfig config,
                             MemberStandingSource* standing)
    : store_(std::move(store)), config_(std::move(config)), standing_(standing) {}

Result<std::unique_ptr<LedgerService>> LedgerService::Open(std::unique_ptr<LedgerStore> store,
                                                           PointsConfig config,
                                                           MemberStandingSource* standing) {
  std::unique_ptr<LedgerService> service(
      new LedgerService(std::move(store), std::move(config), standing));
  if (Status rebuilt = service->Rebuild(); !rebuilt.ok()) return rebuilt.error();
  return service;
}

Status LedgerService::Rebuild() {
  ledger_ = std::make_unique<Ledger>(config_);
  writer_.Take();
  last_batch_ = 0;
  return store_->ForEachBatch([this](int64_t batch, std::string_view bytes) -> Status {
    Status decoded = DecodeLedgerBatch(bytes, [this, batch](const LedgerRecord& record) -> Status {
      Status applied = ledger_->Apply(record);
      if (!applied.ok()) {
        return MakeError(ErrorCode::kCorruptState, "ledger",
                         "batch " + std::to_string(batch) + ": " + applied.error().message);
      }
      return Status::Ok();
    });
    last_batch_ = batch;
    return decoded;
  });
}

Result<LedgerPlan> LedgerService::Plan(const LedgerRequest& request, Instant now) {
  const Ledger& ledger = *ledger_;
  return std::visit(
      [&](const auto& r) -> Result<LedgerPlan> {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, TransferRequest>) return PlanTransfer(ledger, r, now);
        if constexpr (std::is_same_v<T, SettleRequest>) return PlanSettle(ledger, r, now);
        if constexpr (std::is_same_v<T, EarnRequest>) {
          // The standing at the purchase sets the multipliers (a member paid when they bought).
          auto standing = standing_->Standing(r.member, r.at);
          if (!standing.ok()) return standing.error();
          return PlanEarn(ledger, r, *standing, now);
        }
        if constexpr (std::is_same_v<T, RefundRequest>) return PlanRefund(ledger, r, now);
        if constexpr (std::is_same_v<T, LinkRequest>) return PlanLink(ledger, r, now);
        if constexpr (std::is_same_v<T, ExchangeRequest>) return PlanExchange(ledger, r, now);
        if constexpr (std::is_same_v<T, StayRequest>) return PlanStay(ledger, r);
        if constexpr (std::is_same_v<T, ChallengeRequest>) return PlanChallenge(ledger, r, now);
      },
      request);
}

void LedgerService::ApplyPlan(LedgerPlan& plan) {
  for (LedgerRecord& record : plan.records) {
    writer_.Add(record);
    // A plan was checked against this very state, so applying it cannot fail; if it did, the
    // planner and Apply disagree — a programmer error.
    Status applied = ledger_->Apply(std::move(record));
    ONECARD_ASSERT(applied.ok());
  }
}

Status LedgerService::Commit() {
  if (writer_.empty()) return Status::Ok();
  const int64_t records = writer_.records();
  const std::string bytes = writer_.Take();
  Status appended = store_->AppendBatch(last_batch_ + 1, records, bytes);
  if (!appended.ok()) {
    // What was applied in memory is not durable: start again from the log.
    if (Status rebuilt = Rebuild(); !rebuilt.ok()) return rebuilt;
    return appended;
  }
  ++last_batch_;
  return Status::Ok();
}

Result<std::vector<Result<LedgerOutcome>>> LedgerService::Submit(
    const std::vector<LedgerRequest>& requests, Instant now) {
  if (static_cast<int64_t>(requests.size()) > limits::kLedgerBatchRequestsMax) {
    return MakeError(
        ErrorCode::kLimitExceeded, "batch",
        "a batch holds at most " + std::to_string(limits::kLedgerBatchRequestsMax) + " requests");
  }
  std::vector<Result<LedgerOutcome>> results;
  results.reserve(requests.size());
  for (const LedgerRequest& request : requests) {
    Result<LedgerPlan> plan = Plan(request, now);
    if (!plan.ok()) {
      if (plan.error().code == ErrorCode::kStoreError) {
        (void)Rebuild();  // the standing source failed: drop the batch, keep nothing half done
        return plan.error();
      }
      results.emplace_back(plan.error());
      continue;
    }
    ApplyPlan(*plan);
    results.emplace_back(std::move(plan->outcome));
  }
  if (Status committed = Commit(); !committed.ok()) return committed.error();
  return results;
}

Result<LedgerOutcome> LedgerService::SubmitOne(const LedgerRequest& request, Instant now) {
  auto results = Submit({request}, now);
  if (!results.ok()) return results.error();
  return std::move(results->front());
}

Result<LedgerJobCounts> LedgerService::RunJob(Instant now) {
  LedgerJobCounts counts;
  while (std::optional<LedgerPlan> step = PlanJobStep(*ledger_, now)) {
    for (const LedgerRecord& record : step->records) {
      const auto* t = std::get_if<Transfer>(&record);
      if (t == nullptr) continue;
      if (t->phase == TransferPhase::kPost) ++counts.posted;
      if (t->phase == TransferPhase::kVoid) ++counts.voided;
      if (t->kind == TransferKind::kSettle) counts.settled += t->amount;
      if (t->kind == TransferKind::kExpire) {
        counts.expired_points += t->amount;
        ++counts.expired_accounts;
      }
    }
    ApplyPlan(*step);
    if (writer_.records() >= limits::kLedgerBatchRequestsMax) {
      if (Status committed = Commit(); !committed.ok()) return committed.error();
    }
  }
  if (Status committed = Commit(); !committed.ok()) return committed.error();
  return counts;
}

}  // namespace onecard
