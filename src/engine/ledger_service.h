// The points ledger service: the ledger's state in memory (core/ledger.h), its log in a
// LedgerStore, and group commit. A batch of requests is planned and applied one after the other
// (each sees the ones before it), its records are encoded into one log row, and that row is
// appended durably — one transaction, one fsync — before any result is returned. If the append
// fails the service rebuilds its state from the log, so nothing of the batch stays behind.
//
// Every options.snapshot_every_batches batches, after the batch is durable, a snapshot of the
// state is written to the store (core/ledger_snapshot.cc). At open the state is restored from the
// latest snapshot and the log's transfers up to it, and only the log after it is applied
// (Ledger::Apply checks each record, so a damaged log is reported, not applied); without a
// snapshot, or if it cannot be read, the whole log is applied. One service per database at a
// time: the Store's process lock covers it. Used from one thread at a time.
#pragma once

#include <memory>
#include <variant>
#include <vector>

#include "core/ledger.h"
#include "core/ledger_codec.h"
#include "core/ledger_limits.h"
#include "core/ledger_ops.h"
#include "engine/member_standing_source.h"
#include "store/ledger_store.h"

namespace onecard {

using LedgerRequest = std::variant<TransferRequest, SettleRequest, EarnRequest, RefundRequest,
                                   LinkRequest, ExchangeRequest, StayRequest, ChallengeRequest>;

struct LedgerJobCounts {
  int64_t posted = 0;   // pending earnings posted as their return window closed
  int64_t voided = 0;   // holds and exchanges voided at their timeout
  int64_t settled = 0;  // debt paid from newly posted earnings
  int64_t expired_points = 0;
  int64_t expired_accounts = 0;
};

struct LedgerServiceOptions {
  // 0: never write a snapshot.
  int64_t snapshot_every_batches = limits::kLedgerSnapshotEveryBatches;
  // false: open by applying the whole log even when a snapshot exists (to check one).
  bool open_from_snapshot = true;
};

class LedgerService {
 public:
  // Rebuilds the ledger from the store's log. `standing` answers the tier and paid plan that
  // set earning multipliers; it must outlive the service.
  static Result<std::unique_ptr<LedgerService>> Open(std::unique_ptr<LedgerStore> store,
                                                     PointsConfig config,
                                                     MemberStandingSource* standing,
                                                     LedgerServiceOptions options = {});

  const Ledger& ledger() const { return *ledger_; }
  const PointsConfig& config() const { return config_; }
  int64_t last_batch() const { return last_batch_; }
  // The batch the state was restored from at the last open or rebuild (0: the whole log was
  // applied), and the batch of the latest snapshot written or read.
  int64_t restored_from_batch() const { return restored_from_batch_; }
  int64_t snapshot_batch() const { return snapshot_batch_; }

  // Carries out the requests in order and commits them as one batch (at most
  // limits::kLedgerBatchRequestsMax). The results answer the requests one for one; an error
  // return means nothing of the batch was kept.
  Result<std::vector<Result<LedgerOutcome>>> Submit(const std::vector<LedgerRequest>& requests,
                                                    Instant now);
  Result<LedgerOutcome> SubmitOne(const LedgerRequest& request, Instant now);

  // The ledger's job at `now`: settles pending transfers past their timeout and expires lots
  // past their expiry, committing every limits::kLedgerBatchRequestsMax records.
  Result<LedgerJobCounts> RunJob(Instant now);

 private:
  LedgerService(std::unique_ptr<LedgerStore> store, PointsConfig config,
                MemberStandingSource* standing, LedgerServiceOptions options);
  Status Rebuild();
  // A new ledger from `snapshot` and the log; *unusable when the snapshot does not fit the log.
  Status RestoreAndApply(const LedgerStore::Snapshot& snapshot, bool* unusable);
  // Reads the log: batches up to `restored_to` only give back their transfers (a snapshot holds
  // their effect; *unusable if they do not fit it), the later ones are applied.
  Status ApplyBatches(int64_t restored_to, bool* unusable);
  void MaybeWriteSnapshot();
  Result<LedgerPlan> Plan(const LedgerRequest& request, Instant now);
  void ApplyPlan(LedgerPlan& plan);
  Status Commit();

  std::unique_ptr<LedgerStore> store_;
  PointsConfig config_;
  MemberStandingSource* standing_;
  LedgerServiceOptions options_;
  std::unique_ptr<Ledger> ledger_;
  LedgerBatchWriter writer_;
  int64_t last_batch_ = 0;
  int64_t restored_from_batch_ = 0;
  int64_t snapshot_batch_ = 0;
};

}  // namespace onecard
