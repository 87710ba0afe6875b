// Where checkout keeps what members used (store.h's contract holds: durable before return, atomic,
// member-scoped tables keyed by member first). The checkout service (engine/checkout_service.h)
// owns the decisions; this interface only writes them, and re-checks in the same transaction the
// facts that other processes could change on a shared PostgreSQL database:
//   - a member's version: every batch bumps the version of each member it writes, conditional on
//     the version the service read, so two processes never both extend one member's history;
//   - budget shards: each shard's used amount only grows while it stays within its allowance;
//   - a commit's key is new for its member, a reversal's order is committed and not reversed.
// A failed check fails only the write that broke it (and the later writes of its member in the
// batch, which were decided on state that included it); the other writes commit normally.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

// One committed order: its idempotency key, what it used and the encoded result (the engine's
// bytes: the quote and the windows of the use, core/checkout_record.h).
struct CheckoutCommitRecord {
  std::string member;
  std::string key;
  std::string order;
  uint64_t fingerprint = 0;  // of the request (core/checkout_request.h)
  Instant at;
  MonthKey month;    // program-local month of `at`
  int64_t uses = 0;  // benefit units used (0: no benefit applied)
  Money cost;        // the program's cost of those uses
  std::string record;
  std::optional<Instant> reversed_at;
};

struct MemberCheckoutData {
  int64_t version = 0;  // 0: the member has no row yet
  std::vector<CheckoutCommitRecord> commits;
};

struct ReversalWrite {
  std::string member;
  std::string key;
  Instant reversed_at;
};

// A change to one shard of a budget. period 0 is the benefit's total budget, otherwise a MonthKey
// value. A positive delta must keep the shard's used amount within allowance_minor.
struct BudgetShardDelta {
  std::string benefit;
  int32_t period = 0;
  int32_t shard = 0;
  int64_t delta_minor = 0;
  int64_t allowance_minor = 0;
};

struct BudgetShardUsed {
  std::string benefit;
  int32_t period = 0;
  int32_t shard = 0;
  int64_t used_minor = 0;
};

// What one request writes: an order's commit or a reversal (exactly one), and its budget deltas.
struct CheckoutWrite {
  std::optional<CheckoutCommitRecord> commit;
  std::optional<ReversalWrite> reversal;
  std::vector<BudgetShardDelta> budgets;

  const std::string& member() const {
    return commit.has_value() ? commit->member : reversal->member;
  }
};

// The member's version before the batch, as the service read it (0: the member has no row yet).
struct MemberVersionWrite {
  std::string member;
  int64_t expected_version = 0;
};

// What one group commit writes in one transaction (one fsync).
struct CheckoutBatch {
  std::vector<MemberVersionWrite> members;   // each member written by the batch, once
  std::vector<const CheckoutWrite*> writes;  // in the order they were decided
};

enum class FulfilmentStatus : uint8_t { kPending, kConfirmed, kFailed };

// A subscription grant's activation with the partner, one per member, benefit and paid term.
struct Fulfilment {
  std::string member;
  std::string benefit;
  int64_t term_start_us = 0;
  FulfilmentStatus status = FulfilmentStatus::kPending;
  std::string confirmation;  // the partner's id once confirmed
  int32_t attempts = 0;      // calls made to the partner
  std::string last_error;
  Instant requested_at;
  std::optional<Instant> confirmed_at;
  MonthKey month;  // of requested_at: the month its cost counts in
  Money cost;
};

struct BenefitUseTotals {
  int64_t uses = 0;
  int64_t members = 0;
  Money cost;
};

class BenefitStore {
 public:
  virtual ~BenefitStore() = default;

  // The member's version and every commit (at most checkout_limits::kCommitsPerMemberMax).
  virtual Result<MemberCheckoutData> LoadMember(std::string_view member) = 0;
  // Writes a group commit in one transaction. When it returns Ok, (*outcomes)[i] (resized to
  // writes.size()) is the outcome of writes[i]: Ok, durable; or that write's own error, with
  // nothing of it written — kConcurrentUpdate for a failed check (another writer changed the
  // member, the key, the order or the budget shard). A failed write also fails the later writes
  // of its member in the batch (kConcurrentUpdate; they were decided on state that included it);
  // the writes of other members do not notice. A member's version goes up by one when at least
  // one of its writes is written. A returned error (kStoreError) means the transaction itself
  // failed (begin, commit, I/O): nothing of the batch is written.
  virtual Status CommitBatch(const CheckoutBatch& batch, std::vector<Status>* outcomes) = 0;
  virtual Result<std::vector<BudgetShardUsed>> LoadBudgets() = 0;

  virtual Result<std::optional<Fulfilment>> LoadFulfilment(std::string_view member,
                                                           std::string_view benefit,
                                                           int64_t term_start_us) = 0;
  // Inserts a new pending fulfilment with its budget deltas in one transaction. Fails with
  // kConcurrentUpdate when one exists for the member, benefit and term.
  virtual Status InsertFulfilment(const Fulfilment& fulfilment,
                                  const std::vector<BudgetShardDelta>& budgets) = 0;
  // Replaces status, confirmation, attempts, last_error and confirmed_at of an existing one, with
  // budget deltas (a failed fulfilment gives its cost back) in the same transaction.
  virtual Status UpdateFulfilment(const Fulfilment& fulfilment,
                                  const std::vector<BudgetShardDelta>& budgets) = 0;
  virtual Result<std::vector<Fulfilment>> PendingFulfilments(int64_t limit) = 0;

  // Committed, not reversed uses (and fulfilments not failed) of the member at or after `since`.
  virtual Result<bool> AnyUseSince(std::string_view member, Instant since) = 0;
  virtual Result<BenefitUseTotals> UsesInMonth(MonthKey month) = 0;
};

}  // namespace onecard
