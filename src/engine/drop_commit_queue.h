// Group commit for drop decisions: callers hand in their change and wait; one of them (the leader)
// writes every change that queued up meanwhile in one DropStore::Apply (one transaction, one
// fsync) and wakes the others. No change is answered before its transaction is durable, and a
// failed transaction fails every change in it (each caller then undoes its own in memory).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>

#include "store/drop_store.h"

namespace onecard {

class DropCommitQueue {
 public:
  // `store_mu` guards the store's connection: the leader holds it while it writes, and readers
  // of the store take it too.
  DropCommitQueue(DropStore* store, std::mutex* store_mu) : store_(store), store_mu_(store_mu) {}

  // Adds `change` to the next transaction and returns once that transaction is durable (ok) or
  // has failed (its error). Thread-safe.
  Status Commit(const DropBatch& change);

  int64_t transactions() const;  // committed so far, for benchmarks and tests

 private:
  struct Group {
    DropBatch batch;
    Status status;
    bool done = false;
  };

  DropStore* store_;
  std::mutex* store_mu_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<Group> open_;  // the group new changes join
  bool committing_ = false;
  int64_t transactions_ = 0;
};

}  // namespace onecard
