#include "engine/checkout_committer.h"

#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace onecard {

void CommitTicket::Finish(const Status& status) {
  {
    std::lock_guard lock(mu_);
    done_ = true;
    status_ = status;
  }
  cv_.notify_all();
}

Status CommitTicket::Wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return done_; });
  return status_;
}

bool CommitTicket::done() {
  std::lock_guard lock(mu_);
  return done_;
}

GroupCommitter::GroupCommitter(BenefitStore* store, int64_t batch_jobs_max, int64_t queue_jobs_max,
                               std::function<void(const Error&)> on_failure)
    : store_(store),
      batch_jobs_max_(batch_jobs_max),
      queue_jobs_max_(queue_jobs_max),
      on_failure_(std::move(on_failure)),
      thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
}

Status GroupCommitter::Submit(CommitJob job) {
  std::unique_lock lock(mu_);
  space_cv_.wait(lock, [&] {
    return broken_.has_value() || static_cast<int64_t>(queue_.size()) < queue_jobs_max_;
  });
  if (broken_.has_value()) return *broken_;
  queue_.push_back(std::move(job));
  lock.unlock();
  work_cv_.notify_one();
  return Status::Ok();
}

Status GroupCommitter::Write(std::vector<CommitJob>& jobs) {
  CheckoutBatch batch;
  // Each member once, expecting the version it had before the batch.
  std::unordered_map<CommitMember*, bool> members;
  std::map<std::tuple<std::string, int32_t, int32_t>, BudgetShardDelta> budgets;
  for (CommitJob& job : jobs) {
    if (members.emplace(job.member.get(), true).second) {
      batch.members.push_back({job.member->id, job.member->stored_version});
    }
    if (job.commit.has_value()) batch.commits.push_back(*job.commit);
    if (job.reversal.has_value()) batch.reversals.push_back(*job.reversal);
    for (const BudgetShardDelta& delta : job.budgets) {
      auto [at, inserted] = budgets.try_emplace({delta.benefit, delta.period, delta.shard}, delta);
      if (!inserted) at->second.delta_minor += delta.delta_minor;
    }
  }
  for (auto& [key, delta] : budgets) batch.budgets.push_back(delta);
  Status status = store_->CommitBatch(batch);
  if (status.ok()) {
    for (auto& [member, unused] : members) ++member->stored_version;
  }
  return status;
}

void GroupCommitter::Run() {
  std::vector<CommitJob> jobs;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left to write
      while (!queue_.empty() && static_cast<int64_t>(jobs.size()) < batch_jobs_max_) {
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    space_cv_.notify_all();
    Status status = Write(jobs);
    ++batches_;
    if (status.ok()) {
      for (CommitJob& job : jobs) job.ticket->Finish(status);
      jobs.clear();
      continue;
    }
    // The jobs still queued were decided on state that included the failed ones: fail them too,
    // refuse new ones until the service has reset its state from the store, then go on.
    std::deque<CommitJob> queued;
    {
      std::lock_guard lock(mu_);
      broken_ = status.error();
      queued.swap(queue_);
    }
    space_cv_.notify_all();
    for (CommitJob& job : jobs) job.ticket->Finish(status);
    for (CommitJob& job : queued) job.ticket->Finish(status);
    jobs.clear();
    queued.clear();
    on_failure_(status.error());
    {
      std::lock_guard lock(mu_);
      broken_.reset();
    }
  }
}

}  // namespace onecard
