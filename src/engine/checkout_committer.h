// Group commit for checkout: requests hand their writes (an order's commit or reversal, its
// member's version bump and its budget deltas) to one committer thread, which writes everything
// queued — up to a batch limit — in one transaction (one fsync) and then wakes each request with
// the outcome. A request is acknowledged only after its batch is durable.
#pragma once

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

// Where a request waits for its batch.
class CommitTicket {
 public:
  void Finish(const Status& status);
  Status Wait();
  bool done();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  Status status_;
};

// The member a job writes, as the committer sees it: the version last written (the store's
// conditional bump expects it) and the jobs still in flight.
struct CommitMember {
  std::string id;
  int64_t stored_version = 0;  // touched only by the committer thread (and at load)
  int64_t in_flight = 0;       // guarded by the member's own lock in the service
};

struct CommitJob {
  std::shared_ptr<CommitMember> member;
  std::optional<CheckoutCommitRecord> commit;
  std::optional<ReversalWrite> reversal;
  std::vector<BudgetShardDelta> budgets;
  std::shared_ptr<CommitTicket> ticket;
};

class GroupCommitter {
 public:
  // `on_failure` runs on the committer thread after a failed batch, once every job of the batch
  // and of the queue has been failed, and before the next batch: the service resets its state.
  GroupCommitter(BenefitStore* store, int64_t batch_jobs_max, int64_t queue_jobs_max,
                 std::function<void(const Error&)> on_failure);
  ~GroupCommitter();  // writes what is queued, then stops
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues a job (waiting while the queue is full). Fails at once while a failed batch is being
  // recovered from, with that batch's error.
  Status Submit(CommitJob job);

  int64_t batches() const { return batches_; }

 private:
  void Run();
  // Builds and writes one batch; returns its outcome.
  Status Write(std::vector<CommitJob>& jobs);

  BenefitStore* store_;
  int64_t batch_jobs_max_;
  int64_t queue_jobs_max_;
  std::function<void(const Error&)> on_failure_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable space_cv_;
  std::deque<CommitJob> queue_;
  bool stopping_ = false;
  std::optional<Error> broken_;
  int64_t batches_ = 0;
  std::thread thread_;
};

}  // namespace onecard
