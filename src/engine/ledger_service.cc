#include "engine/ledger_service.h"

#include <utility>

#include "core/assert.h"
#include "core/ledger_limits.h"

namespace onecard {

LedgerService::LedgerService(std::unique_ptr<LedgerStore> store, PointsConfig config,
                             MemberStandingSource* standing, LedgerServiceOptions options)
    : store_(std::move(store)),
      config_(std::move(config)),
      standing_(standing),
      options_(options) {}

Result<std::unique_ptr<LedgerService>> LedgerService::Open(std::unique_ptr<LedgerStore> store,
                                                           PointsConfig config,
                                                           MemberStandingSource* standing,
                                                           LedgerServiceOptions options) {
  std::unique_ptr<LedgerService> service(
      new LedgerService(std::move(store), std::move(config), standing, options));
  if (Status rebuilt = service->Rebuild(); !rebuilt.ok()) return rebuilt.error();
  return service;
}

Status LedgerService::Rebuild() {
  writer_.Take();
  if (options_.open_from_snapshot) {
    auto snapshot = store_->LatestSnapshot();
    if (!snapshot.ok()) return snapshot.error();
    if (snapshot->has_value()) {
      bool snapshot_unusable = false;
      Status restored = RestoreAndApply(**snapshot, &snapshot_unusable);
      // The snapshot is a shortcut, the log the truth: if the snapshot does not fit the log, open
      // by applying the whole log (which reports a damaged log itself).
      if (restored.ok() || !snapshot_unusable) return restored;
    }
  }
  ledger_ = std::make_unique<Ledger>(config_);
  last_batch_ = 0;
  restored_from_batch_ = 0;
  snapshot_batch_ = 0;
  return ApplyBatches(0, nullptr);
}

Status LedgerService::RestoreAndApply(const LedgerStore::Snapshot& snapshot, bool* unusable) {
  ledger_ = std::make_unique<Ledger>(config_);
  last_batch_ = 0;
  restored_from_batch_ = snapshot.batch;
  snapshot_batch_ = snapshot.batch;
  if (Status restored = ledger_->RestoreSnapshot(snapshot.bytes); !restored.ok()) {
    *unusable = true;
    return restored;
  }
  return ApplyBatches(snapshot.batch, unusable);
}

Status LedgerService::ApplyBatches(int64_t restored_to, bool* unusable) {
  Status status = store_->ForEachBatch([&](int64_t batch, std::string_view bytes) -> Status {
    last_batch_ = batch;
    if (batch <= restored_to) {
      // Covered by the snapshot: its transfers are kept, not applied.
      Status kept = DecodeLedgerBatch(bytes, [this](LedgerRecord& record) {
        auto* transfer = std::get_if<Transfer>(&record);
        return transfer == nullptr ? Status::Ok() : ledger_->RestoreTransfer(std::move(*transfer));
      });
      if (kept.ok() && batch == restored_to) kept = ledger_->FinishRestore();
      if (!kept.ok()) *unusable = true;
      return kept;
    }
    return DecodeLedgerBatch(bytes, [this, batch](LedgerRecord& record) -> Status {
      Status applied = ledger_->Apply(std::move(record));
      if (!applied.ok()) {
        return MakeError(ErrorCode::kCorruptState, "ledger",
                         "batch " + std::to_string(batch) + ": " + applied.error().message);
      }
      return Status::Ok();
    });
  });
  if (status.ok() && last_batch_ < restored_to) {
    *unusable = true;
    return MakeError(ErrorCode::kCorruptState, "ledger",
                     "the snapshot covers batch " + std::to_string(restored_to) +
                         " but the log ends at " + std::to_string(last_batch_));
  }
  return status;
}

void LedgerService::MaybeWriteSnapshot() {
  if (options_.snapshot_every_batches <= 0 ||
      last_batch_ - snapshot_batch_ < options_.snapshot_every_batches) {
    return;
  }
  // The batch is durable already, so a failed snapshot fails nothing: the next open applies more
  // of the log. The next attempt comes after another snapshot_every_batches batches.
  (void)store_->WriteSnapshot(last_batch_, ledger_->EncodeSnapshot());
  snapshot_batch_ = last_batch_;
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
  MaybeWriteSnapshot();
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
