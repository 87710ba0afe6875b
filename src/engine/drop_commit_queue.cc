#include "engine/drop_commit_queue.h"

#include <utility>

namespace onecard {
namespace {

template <typename T>
void Append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

Status DropCommitQueue::Commit(const DropBatch& change) {
  std::unique_lock<std::mutex> lock(mu_);
  if (open_ == nullptr) open_ = std::make_shared<Group>();
  const std::shared_ptr<Group> mine = open_;
  Append(mine->batch.new_claims, change.new_claims);
  Append(mine->batch.decided_claims, change.decided_claims);
  Append(mine->batch.registrations, change.registrations);
  Append(mine->batch.draws, change.draws);
  while (!mine->done) {
    if (committing_) {
      cv_.wait(lock);
      continue;
    }
    // Lead: take the open group (it holds our change, or ours is already done) and write it.
    committing_ = true;
    const std::shared_ptr<Group> group = std::exchange(open_, nullptr);
    lock.unlock();
    Status status;
    {
      std::lock_guard<std::mutex> store_lock(*store_mu_);
      status = store_->Apply(group->batch);
    }
    lock.lock();
    group->status = std::move(status);
    group->done = true;
    if (group->status.ok()) ++transactions_;
    committing_ = false;
    cv_.notify_all();
  }
  return mine->status;
}

int64_t DropCommitQueue::transactions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return transactions_;
}

}  // namespace onecard
