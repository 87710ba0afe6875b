#include "engine/drop_commit_queue.h"

#include <future>
#include <utility>
#include <vector>

#include "core/drop_limits.h"

namespace onecard {
namespace {

template <typename T>
void Append(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

DropCommitQueue::DropCommitQueue(DropStore* store, std::mutex* store_mu)
    : store_(store), store_mu_(store_mu), thread_([this] { Run(); }) {}

DropCommitQueue::~DropCommitQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
}

int64_t DropCommitQueue::Size(const DropBatch& change) {
  return static_cast<int64_t>(change.new_claims.size() + change.decided_claims.size() +
                              change.registrations.size() + change.draws.size());
}

void DropCommitQueue::Submit(DropBatch change, Completion done) {
  const int64_t size = Size(change);
  {
    std::unique_lock<std::mutex> lock(mu_);
    // A change larger than the whole queue (a big draw) waits for an empty queue instead.
    space_cv_.wait(lock, [&] {
      return queued_changes_ == 0 || queued_changes_ + size <= limits::kDropChangesQueuedMax;
    });
    queued_changes_ += size;
    queue_.push_back(Pending{std::move(change), std::move(done)});
  }
  work_cv_.notify_one();
}

Status DropCommitQueue::Commit(DropBatch change) {
  std::promise<Status> outcome;
  std::future<Status> result = outcome.get_future();
  Submit(std::move(change), [&outcome](const Status& status) { outcome.set_value(status); });
  return result.get();
}

void DropCommitQueue::Run() {
  std::vector<Pending> group;
  for (;;) {
    DropBatch batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, with nothing left to write
      int64_t taken = 0;
      // At least one change, however large (a draw writes all its winners at once).
      while (!queue_.empty() && (taken == 0 || taken + Size(queue_.front().change) <=
                                                   limits::kDropChangesPerCommitMax)) {
        taken += Size(queue_.front().change);
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queued_changes_ -= taken;
    }
    space_cv_.notify_all();
    for (Pending& pending : group) {
      Append(batch.new_claims, pending.change.new_claims);
      Append(batch.decided_claims, pending.change.decided_claims);
      Append(batch.registrations, pending.change.registrations);
      Append(batch.draws, pending.change.draws);
    }
    Status status;
    {
      std::lock_guard<std::mutex> store_lock(*store_mu_);
      status = store_->Apply(batch);
    }
    if (status.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      ++transactions_;
    }
    for (Pending& pending : group) pending.done(status);
    group.clear();
  }
}

int64_t DropCommitQueue::transactions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return transactions_;
}

}  // namespace onecard
