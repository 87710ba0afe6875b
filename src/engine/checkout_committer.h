// Group commit for checkout: requests hand their writes (an order's commit or reversal, its
// member's version bump and its budget deltas) to one committer thread, which writes everything
// queued — up to a batch limit — in one transaction (one fsync) and then wakes each request with
// the outcome. A request is acknowledged only after its batch is durable.
//
// Failure isolation: a write that fails in the store fails alone (with the later writes of its
// member, store/benefit_store.h), and the rest of the batch commits. The jobs of that member still
// queued were decided on state that included the failed write, so they are void: each member
// carries an epoch, which the service moves on (under the member's lock) when it restores the
// member after a failure; a job decided in an older epoch fails without being written.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/result.h"
#include "store/benefit_store.h"

namespace onecard {

// Where a request waits for its batch. An atomic flag (a futex underneath) rather than a mutex
// and a condition variable: the committer finishes thousands per batch, and finishing one that
// nobody waits for yet costs a store and no system call.
class CommitTicket {
 public:
  void Finish(const Status& status);
  Status Wait();

 private:
  std::atomic<uint32_t> done_{0};
  std::optional<Error> error_;  // written before done_ is set
};

// The member a job writes, as the committer sees it.
struct CommitMember {
  std::string id;
  int64_t stored_version = 0;  // the version last written: touched by the committer thread (and
                               // at load, when no job of the member is on its way)
  int64_t in_flight = 0;       // guarded by the member's own lock in the service
  int64_t epoch = 0;           // written under the member's lock on the committer thread only
  uint64_t batch_seen = 0;     // committer thread only: the last batch that wrote the member
  uint64_t batch_written = 0;  // committer thread only: ... in which one of its writes was written
};

struct CommitJob {
  std::shared_ptr<CommitMember> member;
  int64_t epoch = 0;  // the member's epoch when the job was decided
  CheckoutWrite write;
  std::shared_ptr<CommitTicket> ticket;
};

class GroupCommitter {
 public:
  // Runs on the committer thread after every batch, before the next one is written and before any
  // ticket of the batch is finished: outcomes[i] is jobs[i]'s (a failed transaction fails every
  // job of the batch). The service settles its budgets and restores the members of failed jobs.
  using AfterBatch =
      std::function<void(const std::vector<CommitJob>& jobs, const std::vector<Status>& outcomes)>;

  GroupCommitter(BenefitStore* store, int64_t batch_jobs_max, int64_t queue_jobs_max,
                 AfterBatch after_batch);
  ~GroupCommitter();  // writes what is queued, then stops
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Waits while the queue holds queue_jobs_max jobs or more. Called before a request takes any
  // lock: Submit itself never waits, so that the committer can always take a member's lock.
  void WaitForRoom();
  // Queues a job. The queue can pass its limit by the number of requests deciding at once.
  void Submit(CommitJob job);

  // Transactions written (batches whose every job was void are not).
  int64_t batches() const { return batches_.load(std::memory_order_relaxed); }

 private:
  void Run();
  // Writes one batch; outcomes[i] is jobs[i]'s.
  void Write(std::vector<CommitJob>& jobs, std::vector<Status>* outcomes);

  BenefitStore* store_;
  int64_t batch_jobs_max_;
  int64_t queue_jobs_max_;
  AfterBatch after_batch_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable space_cv_;
  std::deque<CommitJob> queue_;
  std::atomic<int64_t> queued_{0};
  bool stopping_ = false;
  std::atomic<int64_t> batches_{0};
  uint64_t batch_number_ = 0;  // committer thread only
  std::thread thread_;
};

}  // namespace onecard
