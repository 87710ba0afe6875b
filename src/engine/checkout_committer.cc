#include "engine/checkout_committer.h"

#include <pthread.h>

#include <utility>

namespace onecard {

void CommitTicket::Finish(const Status& status) {
  if (!status.ok()) error_ = status.error();
  done_.store(1, std::memory_order_release);
  done_.notify_all();
}

Status CommitTicket::Wait() {
  done_.wait(0, std::memory_order_acquire);
  if (error_.has_value()) return *error_;
  return Status::Ok();
}

GroupCommitter::GroupCommitter(BenefitStore* store, int64_t batch_jobs_max, int64_t queue_jobs_max,
                               AfterBatch after_batch)
    : store_(store),
      batch_jobs_max_(batch_jobs_max),
      queue_jobs_max_(queue_jobs_max),
      after_batch_(std::move(after_batch)),
      thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
}

void GroupCommitter::WaitForRoom() {
  if (queued_.load(std::memory_order_relaxed) < queue_jobs_max_) return;
  std::unique_lock lock(mu_);
  space_cv_.wait(lock, [&] { return static_cast<int64_t>(queue_.size()) < queue_jobs_max_; });
}

void GroupCommitter::Submit(CommitJob job) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(job));
    queued_.store(static_cast<int64_t>(queue_.size()), std::memory_order_relaxed);
  }
  work_cv_.notify_one();
}

void GroupCommitter::Write(std::vector<CommitJob>& jobs, std::vector<Status>* outcomes) {
  const uint64_t number = ++batch_number_;
  outcomes->assign(jobs.size(), Status::Ok());
  CheckoutBatch batch;
  std::vector<size_t> written_jobs;  // batch.writes[k] is jobs[written_jobs[k]]'s
  for (size_t i = 0; i < jobs.size(); ++i) {
    CommitJob& job = jobs[i];
    CommitMember& member = *job.member;
    if (job.epoch != member.epoch) {
      (*outcomes)[i] =
          MakeError(ErrorCode::kConcurrentUpdate, "",
                    "not written: it was decided on a state of member " + QuoteInput(member.id) +
                        " that included a write which failed; retry");
      continue;
    }
    if (member.batch_seen != number) {
      member.batch_seen = number;
      batch.members.push_back({member.id, member.stored_version});
    }
    batch.writes.push_back(&job.write);
    written_jobs.push_back(i);
  }
  if (batch.writes.empty()) return;
  std::vector<Status> written;
  const Status status = store_->CommitBatch(batch, &written);
  batches_.fetch_add(1, std::memory_order_relaxed);
  if (!status.ok()) {
    for (size_t i : written_jobs) (*outcomes)[i] = status;
    return;
  }
  for (size_t k = 0; k < written_jobs.size(); ++k) {
    CommitJob& job = jobs[written_jobs[k]];
    if (!written[k].ok()) {
      (*outcomes)[written_jobs[k]] = std::move(written[k]);
      continue;
    }
    // The store bumped the version of each member with a write written, once.
    if (job.member->batch_written != number) {
      job.member->batch_written = number;
      ++job.member->stored_version;
    }
  }
}

void GroupCommitter::Run() {
  pthread_setname_np(pthread_self(), "checkout-commit");  // for top and perf
  std::vector<CommitJob> jobs;
  std::vector<Status> outcomes;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left to write
      while (!queue_.empty() && static_cast<int64_t>(jobs.size()) < batch_jobs_max_) {
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queued_.store(static_cast<int64_t>(queue_.size()), std::memory_order_relaxed);
    }
    space_cv_.notify_all();
    Write(jobs, &outcomes);
    after_batch_(jobs, outcomes);
    for (size_t i = 0; i < jobs.size(); ++i) jobs[i].ticket->Finish(outcomes[i]);
    jobs.clear();
  }
}

}  // namespace onecard
