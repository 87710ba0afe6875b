// One slot of one drop in memory: the admission in front of the durable claim rows. Stock is a
// set of pre-cut unit tokens (0 … units-1) spread over shards, each with its own lock, with one
// atomic count of free tokens in front, so that a claim takes a token without a lock that every
// claim shares, and a claim that comes too late is refused by reading one number. Claims and
// registrations live in member shards (a member's shard is fixed by a hash of its id).
//
// Every change goes through the commit queue before the caller is answered; while it is in flight
// the member's entry is `busy`, and anything else for that member waits for the outcome. Tokens
// of a new claim are taken before the commit (and put back if it fails); tokens of a released or
// expired claim return to stock only after that change is durable, so the durable unit rows never
// name a unit twice.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/drop_allocation.h"
#include "core/drop_rules.h"
#include "engine/drop_commit_queue.h"
#include "store/drop_store.h"

namespace onecard {

struct DropClaimAnswer {
  DropClaim claim;
  bool repeated = false;  // the member already had this claim (a retry)
};

// A first-come claim being decided: ready at once when it was refused or repeated, or once the
// grant's transaction is durable (or failed). Copies share the answer; Wait from any thread.
class PendingClaim {
 public:
  static PendingClaim Ready(Result<DropClaimAnswer> answer);
  // A claim answered later, by Finish on the committer thread.
  static PendingClaim Later();
  Result<DropClaimAnswer> Wait();
  // Calls `then` once with the answer: at once when it is ready, else on the committer thread as
  // soon as it is — for a server that answers without a thread waiting per claim. `then` must not
  // block on the drops' commits.
  void Then(std::function<void(Result<DropClaimAnswer>)> then) const;
  bool ready() const;
  // Refused at once as sold out (the service then looks for holds that ran out).
  bool sold_out() const {
    return now_.has_value() && !now_->ok() && now_->error().code == ErrorCode::kSoldOut;
  }
  void Finish(Result<DropClaimAnswer> answer) const;

 private:
  struct State {
    mutable std::mutex mu;
    mutable std::condition_variable cv;
    mutable std::optional<Result<DropClaimAnswer>> answer;
    mutable std::function<void(Result<DropClaimAnswer>)> then;
  };
  std::optional<Result<DropClaimAnswer>> now_;  // answered without a commit: no shared state
  std::shared_ptr<const State> later_;
};

struct DropRegistrationAnswer {
  DropRegistration registration;
  bool repeated = false;
};

class DropSlot {
 public:
  // `claims`, `registrations` and `draw`: the slot's durable state as loaded from the store.
  DropSlot(const DropRules& rules, Instant slot, DropCommitQueue* queue,
           const std::vector<DropClaim>& claims, const std::vector<DropRegistration>& registrations,
           std::optional<DropDraw> draw);
  DropSlot(const DropSlot&) = delete;
  DropSlot& operator=(const DropSlot&) = delete;

  const DropRules& rules() const { return rules_; }
  Instant slot() const { return slot_; }

  // The member's claim if it has one (waiting while a change of it is in flight).
  std::optional<DropClaim> FindClaim(const std::string& member);
  // A first-come claim; a grant is answered once it is durable. Errors: kClaimConflict,
  // kSoldOut, kLimitExceeded, store errors.
  PendingClaim BeginClaim(const std::string& member, int64_t quantity, Instant now);
  Result<DropClaimAnswer> Claim(const std::string& member, int64_t quantity, Instant now) {
    return BeginClaim(member, quantity, now).Wait();
  }
  // Confirms or releases a held claim. Errors: kNoClaim, kClaimNotHeld, kHoldExpired, store.
  Result<DropClaim> Decide(const std::string& member, DropClaimStatus to, Instant now);
  // Expires every hold that ended at or before `now`, in one commit; returns how many.
  Result<int64_t> ExpireHolds(Instant now);
  bool HasHoldEndingBy(Instant now);

  // Lottery. Errors: kClaimConflict, kAlreadyDrawn, kLimitExceeded, store errors.
  Result<DropRegistrationAnswer> Register(const std::string& member, int64_t quantity, Instant now);
  // Draws the winners from `seed` (core/drop_lottery.h) and holds their units until
  // now + hold_minutes, with the draw record, in one commit. `slot_text` is the slot as written
  // into tickets. Errors: kAlreadyDrawn, store errors.
  Result<DropDraw> Draw(const std::string& seed, const std::string& slot_text, Instant now);
  std::optional<DropDraw> draw();

  int64_t available() const { return available_.load(std::memory_order_acquire); }
  // Every durable claim or registration, in member order.
  std::vector<DropClaim> Claims();
  std::vector<DropRegistration> Registrations();

 private:
  static constexpr size_t kStockShards = 16;
  static constexpr size_t kMemberShards = 64;

  struct Entry {
    std::optional<DropClaim> claim;
    std::optional<DropRegistration> registration;
    bool busy = false;     // a change of this member is being committed
    bool durable = false;  // the claim or registration is stored (false while its insert is)
  };
  struct alignas(64) StockShard {
    std::mutex mu;
    std::vector<int32_t> free;  // descending, so that the lowest unit is taken first
  };
  struct alignas(64) MemberShard {
    std::mutex mu;
    std::condition_variable cv;
    std::unordered_map<std::string, Entry> entries;
  };

  MemberShard& ShardOf(const std::string& member, size_t* hash);
  // Waits (with the shard locked) until the member's entry is not busy; null when there is none.
  Entry* WaitIdle(MemberShard& shard, std::unique_lock<std::mutex>& lock,
                  const std::string& member);
  bool Reserve(int64_t count);
  std::vector<int32_t> TakeTokens(int64_t count, size_t hash);
  void ReturnTokens(const std::vector<int32_t>& units);
  void AddHold(const DropClaim& claim);
  void RemoveHold(const DropClaim& claim);

  const DropRules rules_;
  const Instant slot_;
  DropCommitQueue* queue_;
  std::atomic<int64_t> available_{0};
  std::atomic<int64_t> entries_{0};
  StockShard stock_[kStockShards];
  MemberShard members_[kMemberShards];
  // Runs on the committer thread once a new claim's transaction is durable or failed.
  void FinishClaim(const DropClaim& claim, const Status& committed, const PendingClaim& pending);

  // Built once: a stampede is mostly refusals. For a claim of one unit, and of more.
  std::string sold_out_one_;
  std::string sold_out_many_;
  std::mutex holds_mu_;
  std::set<std::pair<Instant, std::string>> holds_;  // (hold_until, member) of held claims
  // holds_'s earliest end, read without the lock on the sold-out path (INT64_MAX: none).
  std::atomic<int64_t> earliest_hold_end_us_{INT64_MAX};
  std::mutex draw_mu_;
  std::optional<DropDraw> draw_;
  std::atomic<bool> drawing_{false};
};

}  // namespace onecard
