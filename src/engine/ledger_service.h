// The points ledger service: the ledger's state in memory (core/ledger.h), its log in a
// LedgerStore, and group commit. A batch of requests is planned and applied one after the other
// (each sees the ones before it), its records are encoded into one log row, and that row is
// appended durably — one transaction, one fsync — before any result is returned. If the append
// fails the service rebuilds its state from the log, so nothing of the batch stays behind.
//
// At open the state is rebuilt by applying the whole log again (Ledger::Apply checks each record,
// so a damaged log is reported, not applied). One service per database at a time: the Store's
// process lock covers it. Used from one thread at a time.
#pragma once

#include <memory>
#include <variant>
#include <vector>

#include "core/ledger.h"
#include "core/ledger_codec.h"
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

class LedgerService {
 public:
  // Rebuilds the ledger from the store's log. `standing` answers the tier and paid plan that
  // set earning multipliers; it must outlive the service.
  static Result<std::unique_ptr<LedgerService>> Open(std::unique_ptr<LedgerStore> store,
                                                     PointsConfig config,
                                                     MemberStandingSource* standing);

  const Ledger& ledger() const { return *ledger_; }
  const PointsConfig& config() const { return config_; }
  int64_t last_batch() const { return last_batch_; }

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
                MemberStandingSource* standing);
  Status Rebuild();
  Result<LedgerPlan> Plan(const LedgerRequest& request, Instant now);
  void ApplyPlan(LedgerPlan& plan);
  Status Commit();

  std::unique_ptr<LedgerStore> store_;
  PointsConfig config_;
  MemberStandingSource* standing_;
  std::unique_ptr<Ledger> ledger_;
  LedgerBatchWriter writer_;
  int64_t last_batch_ = 0;
};

}  // namespace onecard
