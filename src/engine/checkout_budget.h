// The budgets of the catalogue in memory: for each benefit with a budget, its total and each
// month's, every one split into N shards. A shard's allowance is its share of the budget (the
// remainder to the first shards); a use takes from the member's home shard first and then from
// the others in order, so that the sum never passes the budget while, in the store, concurrent
// commits of different members mostly touch different rows (store/benefit_store.h re-checks each
// shard's allowance in the transaction). Not thread-safe: the checkout service holds mutex().
//
// Each shard counts two amounts: what the store holds (durable) and what the service decided,
// durable or still on its way (counted). Decisions read and change the counted amount; a write's
// outcome settles its deltas (written: the durable amount follows; failed: the counted one is
// undone); and a budget check that failed in the store (another process spent the shard) is
// answered by Resync, which takes the store's amounts and keeps what is still on its way.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "core/benefit_catalog.h"
#include "core/program_time.h"
#include "core/result.h"
#include "store/benefit_store.h"

namespace onecard {

// One shard's part of a use: what to add (or, to give back, subtract) in the store.
struct BudgetTake {
  int32_t benefit = 0;
  int32_t period = 0;  // 0: the total budget; else a MonthKey value
  int32_t shard = 0;
  int64_t amount = 0;
};

class BudgetLedger {
 public:
  BudgetLedger(const BenefitCatalog* catalog, int32_t shards);

  // Replaces every counter with the store's (nothing on its way).
  void Load(const std::vector<BudgetShardUsed>& used);
  // Takes the store's amounts as durable and keeps, on top of them, what is still on its way.
  void Resync(const std::vector<BudgetShardUsed>& used);

  // What is left of the benefit's budgets in `month`: the smaller of the total and the month's;
  // Money{INT64_MAX} when it has neither.
  Money Left(int32_t benefit, MonthKey month) const;
  // Takes `cost` from both budgets of the benefit (those it has), home shard first; appends the
  // parts to *takes. False (and nothing taken) when either has less than `cost` left.
  bool TryTake(int32_t benefit, MonthKey month, int32_t home_shard, int64_t cost,
               std::vector<BudgetTake>* takes);
  // Undoes a take, or gives `amount` back to a shard.
  void Give(const BudgetTake& take);
  // The outcome of a delta written through the store (Delta() of a take, or a give-back's
  // negative delta): the durable amount follows, or the counted amount is undone.
  void Settle(const BudgetShardDelta& delta, bool written);
  int64_t Allowance(int32_t benefit, int32_t period, int32_t shard) const;
  // The store's delta for a take (with the shard's allowance).
  BudgetShardDelta Delta(const BudgetTake& take) const;

  int32_t shards() const { return shards_; }
  std::mutex& mutex() { return mu_; }

 private:
  std::optional<Money> Budget(int32_t benefit, int32_t period) const;
  std::vector<int64_t>& Used(int32_t benefit, int32_t period);
  std::vector<int64_t>& Durable(int32_t benefit, int32_t period);
  int64_t LeftOf(int32_t benefit, int32_t period) const;

  const BenefitCatalog* catalog_;
  int32_t shards_;
  std::map<std::pair<int32_t, int32_t>, std::vector<int64_t>> used_;     // counted
  std::map<std::pair<int32_t, int32_t>, std::vector<int64_t>> durable_;  // in the store
  std::mutex mu_;
};

}  // namespace onecard
