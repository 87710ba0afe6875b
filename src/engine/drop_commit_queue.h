// Group commit for drop decisions. Callers hand in a change with a completion; one committer
// thread writes every change that queued up meanwhile (up to limits::kDropChangesPerCommitMax) in
// one DropStore::Apply — one transaction, one fsync — and then runs each change's completion with
// the outcome. No completion runs before its transaction is durable, and a failed transaction
// fails every change in it (each completion then undoes its own change in memory).
//
// Submit does not wait for the write, so that a few threads can keep thousands of claims in one
// transaction (DropService::BeginClaim); Commit is Submit and wait, for the rare changes
// (decisions, draws) whose caller has nothing else to do.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "store/drop_store.h"

namespace onecard {

class DropCommitQueue {
 public:
  using Completion = std::function<void(const Status&)>;

  // `store_mu` guards the store's connection: the committer holds it while it writes, and readers
  // of the store take it too. Starts the committer thread.
  DropCommitQueue(DropStore* store, std::mutex* store_mu);
  // Writes what is queued, runs its completions, then stops the committer.
  ~DropCommitQueue();
  DropCommitQueue(const DropCommitQueue&) = delete;
  DropCommitQueue& operator=(const DropCommitQueue&) = delete;

  // Queues `change`; `done` runs once on the committer thread after its transaction is durable
  // (ok) or failed. Waits while limits::kDropChangesQueuedMax changes are queued. The caller must
  // not hold a lock that `done` takes. Thread-safe.
  void Submit(DropBatch change, Completion done);
  // Submit, then wait for the outcome.
  Status Commit(DropBatch change);

  int64_t transactions() const;  // committed so far, for benchmarks and tests

 private:
  struct Pending {
    DropBatch change;
    Completion done;
  };
  static int64_t Size(const DropBatch& change);
  void Run();

  DropStore* store_;
  std::mutex* store_mu_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable space_cv_;
  std::deque<Pending> queue_;
  int64_t queued_changes_ = 0;
  bool stopping_ = false;
  int64_t transactions_ = 0;
  std::thread thread_;  // last: it starts once the rest is built
};

}  // namespace onecard
