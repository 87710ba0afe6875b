// The checkout service (PRODUCT §4): quote, commit and reverse of orders that use benefits, the
// activation of subscription grants, the benefit listing, and the log of benefit use the paid plan
// reads (BenefitUseLog). Safe to call from many threads.
//
// Concurrency. Each member's state (counters, commits by key and by order) lives in a cache entry
// with its own lock; a commit holds it from reading the counters to queueing its writes, so two
// commits of one member are decided one after the other and never both spend the same cap room or
// voucher. Budgets are shared: a commit that uses a budgeted benefit decides and takes under the
// budget ledger's lock. The writes go to one committer thread (group commit: one transaction and
// one fsync for everything queued); the request returns after its batch is durable.
//
// A write that fails in the store (a check another process broke, a row the store refused) fails
// only its own request and the member's requests decided after it; the rest of its batch commits.
// The service then restores what the failed writes had changed in memory: the member is reloaded
// from the store (its epoch moves on, so that its requests still queued fail instead of being
// written) and the failed budget takes are given back.
//
// Several processes on one database (PostgreSQL later): process memory is then not the truth, so
// each batch also writes, in its transaction, a bump of every member's version conditional on the
// version this process read, and each budget shard's addition conditional on its allowance (see
// store/benefit_store.h). A write that lost a race fails with kConcurrentUpdate, the member's
// cached state (and the budgets) are reloaded from the database, and the caller retries with the
// same key.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/benefit_catalog.h"
#include "core/benefit_eligibility.h"
#include "core/checkout_quote.h"
#include "core/checkout_request.h"
#include "core/program_config.h"
#include "engine/benefit_use_log.h"
#include "engine/member_standing_source.h"
#include "store/benefit_store.h"

namespace onecard {

class BudgetLedger;
struct BudgetTake;
class CommitTicket;
class GroupCommitter;
struct CommitJob;
struct CommitMember;
class CheckoutMemberCache;
struct CheckoutMemberEntry;

// How the partner activates a subscription. Activate is called with a fulfilment whose member,
// benefit and term identify it for good: a partner must treat a repeat as the same activation
// (that is how a retry never activates twice). It returns the partner's confirmation id, or an
// error when the partner could not be reached or refused for now (the job retries).
class PartnerGateway {
 public:
  virtual ~PartnerGateway() = default;
  virtual Result<std::string> Activate(const Fulfilment& fulfilment) = 0;
};

struct CheckoutOptions {
  int32_t budget_shards = 16;
  int64_t batch_jobs_max = 8'192;   // commits and reversals per transaction
  int64_t queue_jobs_max = 65'536;  // waiting for the committer; Begin waits beyond this
  int64_t member_cache_max = 1'000'000;
};

// A quote or a commit's answer.
struct CheckoutOutcome {
  std::string member;
  std::string order;
  Instant at;
  Quote quote;
  bool replayed = false;  // a commit retry answered from the stored commit
};

struct ReturnedUse {
  int32_t benefit = 0;
  int64_t units = 0;
  Money discount;              // cap room given back (when the month is still the order's)
  Money cost;                  // budget given back
  bool units_returned = true;  // false for vouchers whose month has ended
};

struct ReverseOutcome {
  std::string member;
  std::string order;
  Instant reversed_at;
  std::vector<ReturnedUse> returned;
  bool replayed = false;  // the order was reversed before
};

// One benefit as a member (or the catalogue) sees it.
struct BenefitListing {
  int32_t benefit = 0;
  Availability availability = Availability::kAvailable;    // for a member only
  std::optional<int64_t> vouchers_left;                    // monthly vouchers, this month
  std::optional<Money> cap_left;                           // percent discounts, this month
  std::optional<int64_t> day_left, month_left, term_left;  // quotas
  std::optional<Fulfilment> fulfilment;                    // subscriptions, this term
};

// A commit that is decided and queued but perhaps not yet durable (CheckoutService::Begin).
class PendingCommit {
 public:
  PendingCommit() = default;
  PendingCommit(PendingCommit&&) = default;
  PendingCommit& operator=(PendingCommit&&) = default;
  // A commit that was begun is waited for even when nobody asks for its outcome, so that the
  // member's count of writes in flight stays right.
  ~PendingCommit() {
    if (ticket_ != nullptr) (void)Wait();
  }

  // Waits until the commit's batch is durable; its outcome, or the batch's error.
  Result<CheckoutOutcome> Wait();

 private:
  friend class CheckoutService;
  std::shared_ptr<CheckoutMemberEntry> entry_;
  std::shared_ptr<CommitTicket> ticket_;  // null: the outcome is final already
  std::string key_;
  bool owner_ = false;  // this request queued the write (not a retry waiting for it)
  CheckoutOutcome outcome_;
};

class CheckoutService : public BenefitUseLog {
 public:
  // `standing` and `gateway` must outlive the service and be safe to call from several threads;
  // `gateway` may be null (partners confirm later through ConfirmFulfilment).
  static Result<std::unique_ptr<CheckoutService>> Open(const ProgramConfig& config,
                                                       std::unique_ptr<BenefitStore> store,
                                                       MemberStandingSource* standing,
                                                       PartnerGateway* gateway,
                                                       CheckoutOptions options = {});
  ~CheckoutService() override;  // writes what is queued
  CheckoutService(const CheckoutService&) = delete;
  CheckoutService& operator=(const CheckoutService&) = delete;

  const BenefitCatalog& catalog() const { return config_.benefits; }
  const ProgramConfig& config() const { return config_; }

  // Prices the request for the member at `now`; uses nothing up. Errors: the request's
  // validation errors, store errors.
  Result<CheckoutOutcome> Quote(const CheckoutRequest& request, Instant now);
  // Prices and commits under an idempotency key (scoped per member). A retry with the same key and
  // the same request returns the first result (replayed); another request under the key fails
  // with kIdempotencyConflict; an order committed under another key with kDuplicateOrder.
  Result<CheckoutOutcome> Commit(std::string_view key, const CheckoutRequest& request, Instant now);
  // Commit in two steps, so that one thread (an event loop, a pipelined client) can keep many
  // commits in flight: Begin decides and queues (it returns at once; the counters already count
  // the commit), PendingCommit::Wait returns once the batch is durable. Acknowledge only then.
  Result<PendingCommit> Begin(std::string_view key, const CheckoutRequest& request, Instant now);
  // Gives back what the order used: quota units and cap room, vouchers while their month lasts,
  // budget. Reversing twice answers the first reversal (replayed). Errors: kUnknownOrder.
  Result<ReverseOutcome> Reverse(std::string_view member, std::string_view order, Instant now);

  // Subscriptions: one activation per member, benefit and paid term. Creates the pending
  // fulfilment (durably) and asks the partner; a confirmed one is returned as it is, a pending
  // one is asked again with the same identity. Errors: kUnknownBenefit, kNotCheckoutBenefit
  // (not a subscription), kNotEligible.
  Result<Fulfilment> ActivateSubscription(std::string_view member, std::string_view benefit,
                                          Instant now);
  // The partner's answer arriving later (a callback). Confirming again with the same id is a
  // no-op; with another id, kIdempotencyConflict.
  Result<Fulfilment> ConfirmFulfilment(std::string_view member, std::string_view benefit,
                                       std::string_view confirmation, Instant now);
  // The retry job: asks the partner again for up to `limit` pending fulfilments (oldest first);
  // one that failed kFulfilmentAttemptsMax times is marked failed and its budget given back.
  // Returns how many were confirmed.
  Result<int64_t> RetryPendingFulfilments(int64_t limit, Instant now);

  // The catalogue (member empty) or what one member has of it at `now`.
  Result<std::vector<BenefitListing>> ListBenefits(std::string_view member, Instant now);

  // BenefitUseLog.
  Result<bool> AnyUseSince(std::string_view member, Instant since) override;
  Result<BenefitCostSummary> CostInMonth(MonthKey month) override;

  int64_t batches_written() const;

 private:
  CheckoutService(const ProgramConfig& config, std::unique_ptr<BenefitStore> store,
                  MemberStandingSource* standing, PartnerGateway* gateway, CheckoutOptions options);

  struct Prepared;  // a validated request with its standing and windows
  Result<Prepared> Prepare(const CheckoutRequest& request, Instant now);
  // The member's entry, locked and loaded.
  Result<std::shared_ptr<CheckoutMemberEntry>> LockedMember(std::string_view member,
                                                            std::unique_lock<std::mutex>* lock);
  Status LoadMember(CheckoutMemberEntry& entry);
  // Prices with the budget left (under the ledger's lock when a choice has a budget) and, when
  // `takes` is given, takes the costs from the budgets.
  void PriceAndTake(const Prepared& prepared, const CheckoutMemberEntry& entry,
                    ::onecard::Quote* quote, std::vector<BudgetTake>* takes);
  Result<CheckoutOutcome> Replay(const CheckoutMemberEntry& entry, std::string_view key,
                                 uint64_t fingerprint, const CheckoutRequest& request);
  // The committer's report after each batch (GroupCommitter::AfterBatch): settles the budget
  // deltas and restores the members of failed jobs.
  void AfterBatch(const std::vector<CommitJob>& jobs, const std::vector<Status>& outcomes);
  // The outcome of budget deltas written directly through the store (subscriptions).
  void SettleBudgets(const std::vector<BudgetShardDelta>& deltas, bool written);
  // Reloads a member whose write failed and voids its jobs still queued (committer thread).
  void RestoreMember(CommitMember& writer);
  int32_t HomeShard(std::string_view member) const;
  Result<Fulfilment> AskPartner(Fulfilment fulfilment, Instant now);
  // Budget takes of one use of a benefit, or the same amounts given back (negative deltas).
  std::vector<BudgetShardDelta> GiveBack(int32_t benefit, MonthKey month, std::string_view member,
                                         Money cost);

  ProgramConfig config_;
  ProgramTime time_;
  std::unique_ptr<BenefitStore> store_;
  MemberStandingSource* standing_;
  PartnerGateway* gateway_;
  CheckoutOptions options_;
  std::unique_ptr<BudgetLedger> budgets_;
  std::unique_ptr<CheckoutMemberCache> members_;
  std::mutex fulfilment_mu_;                   // activations are rare: one at a time
  std::unique_ptr<GroupCommitter> committer_;  // last: stopped first
};

}  // namespace onecard
