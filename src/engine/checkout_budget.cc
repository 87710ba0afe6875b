#include "engine/checkout_budget.h"

#include <algorithm>
#include <limits>

namespace onecard {

BudgetLedger::BudgetLedger(const BenefitCatalog* catalog, int32_t shards)
    : catalog_(catalog), shards_(shards) {
  ONECARD_ASSERT(shards >= 1);
}

void BudgetLedger::Load(const std::vector<BudgetShardUsed>& used) {
  used_.clear();
  durable_.clear();
  Resync(used);
}

void BudgetLedger::Resync(const std::vector<BudgetShardUsed>& used) {
  // Rows of benefits no longer in the catalogue are skipped; rows of shards beyond the configured
  // count are kept in the sum through shard 0 so that nothing already spent is forgotten.
  std::map<std::pair<int32_t, int32_t>, std::vector<int64_t>> stored;
  for (const BudgetShardUsed& row : used) {
    const int32_t benefit = catalog_->FindBenefit(row.benefit);
    if (benefit < 0) continue;
    std::vector<int64_t>& shards = stored[{benefit, row.period}];
    if (shards.empty()) shards.assign(static_cast<size_t>(shards_), 0);
    shards[static_cast<size_t>(row.shard < shards_ ? row.shard : 0)] += row.used_minor;
  }
  for (auto& [budget, durable] : durable_) {
    if (!stored.contains(budget)) stored[budget].assign(static_cast<size_t>(shards_), 0);
  }
  for (auto& [budget, amounts] : stored) {
    std::vector<int64_t>& durable = Durable(budget.first, budget.second);
    std::vector<int64_t>& counted = Used(budget.first, budget.second);
    for (size_t shard = 0; shard < amounts.size(); ++shard) {
      counted[shard] += amounts[shard] - durable[shard];
      durable[shard] = amounts[shard];
    }
  }
}

std::optional<Money> BudgetLedger::Budget(int32_t benefit, int32_t period) const {
  const BenefitBudget& budget = catalog_->benefits[static_cast<size_t>(benefit)].budget;
  return period == 0 ? budget.total : budget.per_month;
}

std::vector<int64_t>& BudgetLedger::Used(int32_t benefit, int32_t period) {
  std::vector<int64_t>& used = used_[{benefit, period}];
  if (used.empty()) used.assign(static_cast<size_t>(shards_), 0);
  return used;
}

std::vector<int64_t>& BudgetLedger::Durable(int32_t benefit, int32_t period) {
  std::vector<int64_t>& durable = durable_[{benefit, period}];
  if (durable.empty()) durable.assign(static_cast<size_t>(shards_), 0);
  return durable;
}

int64_t BudgetLedger::Allowance(int32_t benefit, int32_t period, int32_t shard) const {
  const int64_t budget = Budget(benefit, period).value_or(Money{}).minor;
  return budget / shards_ + (shard < budget % shards_ ? 1 : 0);
}

int64_t BudgetLedger::LeftOf(int32_t benefit, int32_t period) const {
  const std::optional<Money> budget = Budget(benefit, period);
  if (!budget.has_value()) return std::numeric_limits<int64_t>::max();
  auto found = used_.find({benefit, period});
  int64_t left = 0;
  for (int32_t shard = 0; shard < shards_; ++shard) {
    const int64_t used = found == used_.end() ? 0 : found->second[static_cast<size_t>(shard)];
    left += std::max<int64_t>(0, Allowance(benefit, period, shard) - used);
  }
  return left;
}

Money BudgetLedger::Left(int32_t benefit, MonthKey month) const {
  return Money{std::min(LeftOf(benefit, 0), LeftOf(benefit, month.value))};
}

bool BudgetLedger::TryTake(int32_t benefit, MonthKey month, int32_t home_shard, int64_t cost,
                           std::vector<BudgetTake>* takes) {
  if (cost <= 0) return true;
  if (Left(benefit, month).minor < cost) return false;
  for (int32_t period : {0, month.value}) {
    if (!Budget(benefit, period).has_value()) continue;
    std::vector<int64_t>& used = Used(benefit, period);
    int64_t rest = cost;
    for (int32_t step = 0; step < shards_ && rest > 0; ++step) {
      const int32_t shard = (home_shard + step) % shards_;
      const int64_t room = std::max<int64_t>(
          0, Allowance(benefit, period, shard) - used[static_cast<size_t>(shard)]);
      const int64_t part = std::min(rest, room);
      if (part == 0) continue;
      used[static_cast<size_t>(shard)] += part;
      takes->push_back({benefit, period, shard, part});
      rest -= part;
    }
    ONECARD_ASSERT(rest == 0);  // Left() said there was room
  }
  return true;
}

void BudgetLedger::Give(const BudgetTake& take) {
  Used(take.benefit, take.period)[static_cast<size_t>(take.shard)] -= take.amount;
}

void BudgetLedger::Settle(const BudgetShardDelta& delta, bool written) {
  const int32_t benefit = catalog_->FindBenefit(delta.benefit);
  if (benefit < 0 || delta.shard < 0 || delta.shard >= shards_) return;
  const size_t shard = static_cast<size_t>(delta.shard);
  if (written) {
    Durable(benefit, delta.period)[shard] += delta.delta_minor;
  } else {
    Used(benefit, delta.period)[shard] -= delta.delta_minor;
  }
}

BudgetShardDelta BudgetLedger::Delta(const BudgetTake& take) const {
  return BudgetShardDelta{catalog_->benefits[static_cast<size_t>(take.benefit)].id, take.period,
                          take.shard, take.amount,
                          Allowance(take.benefit, take.period, take.shard)};
}

}  // namespace onecard
