// A BenefitStore that passes everything to another one, except the writes it is told to fail: the
// commit or reversal of one member's key, any write taking from one budget shard, or the next
// batch as a whole (the transaction itself). It keeps the store's contract (store/benefit_store.h):
// a failed write also fails its member's later writes in the batch, the other writes go to the
// inner store in the same transaction, and a member none of whose writes is left is not written.
// It can also hold the committer at the start of a batch, so that a test can fill the queue and
// know which jobs share the next batch. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store/benefit_store.h"

namespace onecard::test_support {

class FaultInjectingBenefitStore final : public BenefitStore {
 public:
  explicit FaultInjectingBenefitStore(std::unique_ptr<BenefitStore> inner)
      : inner_(std::move(inner)) {}

  // Fails every commit and reversal of `member` under `key` with `error` until Heal().
  void FailKey(const std::string& member, const std::string& key, Error error) {
    std::lock_guard lock(mu_);
    keys_.insert_or_assign({member, key}, std::move(error));
  }
  // Fails every write with a positive delta on the shard with `error` until Heal().
  void FailShard(const std::string& benefit, int32_t period, int32_t shard, Error error) {
    std::lock_guard lock(mu_);
    shards_.insert_or_assign({benefit, period, shard}, std::move(error));
  }
  // Fails the next batch to start as a whole, as an I/O error of its transaction would.
  void FailNextBatch(Error error) {
    std::lock_guard lock(mu_);
    next_batch_ = std::move(error);
    next_batch_number_ = batches_started_ + 1;
  }
  void Heal() {
    std::lock_guard lock(mu_);
    keys_.clear();
    shards_.clear();
    next_batch_.reset();
  }

  // Batches that start after Pause() wait at their start (counted as started) until Step() lets
  // the next one go or Resume() lets all go.
  void Pause() {
    std::lock_guard lock(mu_);
    pass_through_ = batches_started_;
  }
  void Step() {
    {
      std::lock_guard lock(mu_);
      ++pass_through_;
    }
    cv_.notify_all();
  }
  void Resume() {
    {
      std::lock_guard lock(mu_);
      pass_through_ = std::numeric_limits<int64_t>::max();
    }
    cv_.notify_all();
  }
  // Waits until `count` batches have started (and, when paused, are waiting).
  void AwaitBatchesStarted(int64_t count) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return batches_started_ >= count; });
  }

  int64_t batches_started() {
    std::lock_guard lock(mu_);
    return batches_started_;
  }
  // Writes failed by a fault (not counting the later writes of their members).
  int64_t injected() {
    std::lock_guard lock(mu_);
    return injected_;
  }
  // How many writes each batch had, in order.
  std::vector<int64_t> batch_sizes() {
    std::lock_guard lock(mu_);
    return batch_sizes_;
  }

  Result<MemberCheckoutData> LoadMember(std::string_view member) override {
    return inner_->LoadMember(member);
  }

  Status CommitBatch(const CheckoutBatch& batch, std::vector<Status>* outcomes) override {
    outcomes->assign(batch.writes.size(), Status::Ok());
    CheckoutBatch passed;
    std::vector<size_t> passed_index;  // passed.writes[k] is batch.writes[passed_index[k]]
    {
      std::unique_lock lock(mu_);
      const int64_t number = ++batches_started_;
      batch_sizes_.push_back(static_cast<int64_t>(batch.writes.size()));
      cv_.notify_all();
      cv_.wait(lock, [&] { return number <= pass_through_; });
      if (next_batch_.has_value() && number == next_batch_number_) {
        Error error = std::move(*next_batch_);
        next_batch_.reset();
        injected_ += static_cast<int64_t>(batch.writes.size());
        return error;
      }
      std::map<std::string, Error, std::less<>> failed;  // member → its first failed write's error
      std::set<std::string, std::less<>> members_passed;
      for (size_t i = 0; i < batch.writes.size(); ++i) {
        const CheckoutWrite& w = *batch.writes[i];
        const std::string& member = w.member();
        if (auto earlier = failed.find(member); earlier != failed.end()) {
          (*outcomes)[i] = MakeError(ErrorCode::kConcurrentUpdate, "",
                                     "not written: an earlier write of member " + member +
                                         " failed (" + earlier->second.ToString() + ")");
          continue;
        }
        if (std::optional<Error> fault = FaultOf(w); fault.has_value()) {
          ++injected_;
          (*outcomes)[i] = *fault;
          failed.emplace(member, *std::move(fault));
          continue;
        }
        passed.writes.push_back(&w);
        passed_index.push_back(i);
        members_passed.insert(member);
      }
      for (const MemberVersionWrite& m : batch.members) {
        if (members_passed.contains(m.member)) passed.members.push_back(m);
      }
    }
    if (passed.writes.empty()) return Status::Ok();
    std::vector<Status> inner_outcomes;
    if (Status s = inner_->CommitBatch(passed, &inner_outcomes); !s.ok()) {
      outcomes->assign(batch.writes.size(), Status::Ok());
      return s;
    }
    for (size_t k = 0; k < passed_index.size(); ++k) {
      (*outcomes)[passed_index[k]] = std::move(inner_outcomes[k]);
    }
    return Status::Ok();
  }

  Result<std::vector<BudgetShardUsed>> LoadBudgets() override { return inner_->LoadBudgets(); }
  Result<std::optional<Fulfilment>> LoadFulfilment(std::string_view member,
                                                   std::string_view benefit,
                                                   int64_t term_start_us) override {
    return inner_->LoadFulfilment(member, benefit, term_start_us);
  }
  Status InsertFulfilment(const Fulfilment& fulfilment,
                          const std::vector<BudgetShardDelta>& budgets) override {
    return inner_->InsertFulfilment(fulfilment, budgets);
  }
  Status UpdateFulfilment(const Fulfilment& fulfilment,
                          const std::vector<BudgetShardDelta>& budgets) override {
    return inner_->UpdateFulfilment(fulfilment, budgets);
  }
  Result<std::vector<Fulfilment>> PendingFulfilments(int64_t limit) override {
    return inner_->PendingFulfilments(limit);
  }
  Result<bool> AnyUseSince(std::string_view member, Instant since) override {
    return inner_->AnyUseSince(member, since);
  }
  Result<BenefitUseTotals> UsesInMonth(MonthKey month) override {
    return inner_->UsesInMonth(month);
  }

 private:
  // REQUIRES: mu_ held.
  std::optional<Error> FaultOf(const CheckoutWrite& w) const {
    const std::string& key = w.commit.has_value() ? w.commit->key : w.reversal->key;
    if (auto found = keys_.find({w.member(), key}); found != keys_.end()) return found->second;
    for (const BudgetShardDelta& delta : w.budgets) {
      if (delta.delta_minor <= 0) continue;
      auto found = shards_.find({delta.benefit, delta.period, delta.shard});
      if (found != shards_.end()) return found->second;
    }
    return std::nullopt;
  }

  std::unique_ptr<BenefitStore> inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::pair<std::string, std::string>, Error> keys_;
  std::map<std::tuple<std::string, int32_t, int32_t>, Error> shards_;
  std::optional<Error> next_batch_;
  int64_t next_batch_number_ = 0;
  int64_t pass_through_ = std::numeric_limits<int64_t>::max();  // batches up to it go
  int64_t batches_started_ = 0;
  int64_t injected_ = 0;
  std::vector<int64_t> batch_sizes_;
};

}  // namespace onecard::test_support
