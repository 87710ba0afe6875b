// Exclusive drops (PRODUCT §6): the service that operators, apps and (later) the HTTP server call
// to open drops, claim, confirm and release units, register for lotteries and draw them.
//
// Thread-safe: every method may be called from many threads at once. Time comes in as `now`
// (never read from a clock here). Every answer that changes something is durable before it is
// returned (group commit through the drop store); a refusal changes nothing. Errors are closed
// ErrorCodes (core/error.h, the drops section) naming the field at fault:
//   unknown_drop, drop_exists, drop_not_open, invalid_slot, wrong_drop_mode, invalid_member,
//   invalid_argument (quantity, seed), paid_plan_required, tier_too_low, over_member_limit,
//   sold_out, claim_conflict, no_claim, claim_not_held, hold_expired, draw_not_ready,
//   already_drawn, not_drawn, limit_exceeded, store_error, corrupt_state.
//
// Invariants it keeps: held + confirmed units never exceed a slot's stock; a member has at most
// one claim per slot, of at most per_member_limit units; a repeated claim gets the stored answer;
// held units whose hold ran out return to stock (ExpireHolds, and before a claim is refused as
// sold out).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/drop_allocation.h"
#include "core/drop_lottery.h"
#include "core/drop_rules.h"
#include "core/program_config.h"
#include "core/result.h"
#include "engine/drop_commit_queue.h"
#include "engine/drop_slot.h"
#include "engine/member_standing_source.h"
#include "store/drop_store.h"

namespace onecard {

struct DropServiceOptions {
  // Set when the standing source may be called from many threads at once; otherwise the service
  // calls it under a lock of its own.
  bool standing_source_thread_safe = false;
};

// A slot's units by state, and its claims and registrations counted.
struct DropSlotStatus {
  const DropRules* rules = nullptr;
  Instant slot;
  bool open = false;  // the window contains `now`
  SlotTally tally;
  int64_t registrations = 0;
  std::optional<DropDraw> draw;
};

// What verify-draw found: the stored draw, the draw recomputed from its seed and the stored
// registrations, and whether the winners (members and units) are the same.
struct DropDrawCheck {
  DropDraw draw;
  std::vector<LotteryWinner> recomputed;
  std::vector<DropClaim> stored;  // the claims the draw made, in ranking order of `recomputed`
  bool matches = false;
  std::string mismatch;  // the first difference, for people
};

class DropService {
 public:
  // `standing` must outlive the service. Loads operator drops from the store.
  static Result<std::unique_ptr<DropService>> Open(std::unique_ptr<DropStore> store,
                                                   const ProgramConfig& config,
                                                   MemberStandingSource* standing,
                                                   DropServiceOptions options = {});

  // Every drop: the config's, then the operators', by id.
  std::vector<DropRules> Drops();
  Result<DropRules> FindDrop(std::string_view id);
  // An operator creates a drop; it is durable before this returns. Errors: invalid_argument
  // (naming the field), drop_exists, limit_exceeded (limits::kDropsMax).
  Result<DropRules> OpenDrop(const DropRules& rules, Instant now);

  // A first-come claim on the slot open at `now`. BeginClaim decides in memory and returns at
  // once; a grant's answer is ready once it is durable (group commit), so that one thread can keep
  // many claims in flight. Claim is BeginClaim and Wait.
  PendingClaim BeginClaim(std::string_view drop, std::string_view member, int64_t quantity,
                          Instant now);
  Result<DropClaimAnswer> Claim(std::string_view drop, std::string_view member, int64_t quantity,
                                Instant now) {
    return BeginClaim(drop, member, quantity, now).Wait();
  }
  // Confirm (the purchase) or release a held claim of a slot that opened at or before now.
  Result<DropClaim> Confirm(std::string_view drop, Instant slot, std::string_view member,
                            Instant now);
  Result<DropClaim> Release(std::string_view drop, Instant slot, std::string_view member,
                            Instant now);
  // Returns to stock every hold that ran out at or before `now`, in every drop; returns how many
  // claims expired.
  Result<int64_t> ExpireHolds(Instant now);

  // Lottery: a registration in the slot open at `now`, and the draw once its window closed.
  Result<DropRegistrationAnswer> Register(std::string_view drop, std::string_view member,
                                          int64_t quantity, Instant now);
  Result<DropDraw> Draw(std::string_view drop, Instant slot, std::string_view seed, Instant now);
  Result<DropDrawCheck> VerifyDraw(std::string_view drop, Instant slot);

  Result<DropSlotStatus> SlotStatus(std::string_view drop, Instant slot, Instant now);
  Result<std::vector<DropClaim>> Results(std::string_view drop, Instant slot);
  Result<std::vector<DropRegistration>> Registrations(std::string_view drop, Instant slot);

  const ProgramTime& time() const { return time_; }
  // Transactions committed by this service so far (group commits).
  int64_t transactions() const { return queue_.transactions(); }

 private:
  DropService(std::unique_ptr<DropStore> store, const ProgramConfig& config,
              MemberStandingSource* standing, DropServiceOptions options);
  Result<const DropRules*> Find(std::string_view id);
  // The slot's state, loaded from the store the first time.
  Result<DropSlot*> SlotFor(const DropRules& rules, Instant slot);
  // A slot named by a caller: one of the drop's slots, opened at or before now.
  Result<DropSlot*> PastSlot(std::string_view drop, Instant slot, Instant now);
  Status CheckMember(std::string_view member);
  Status CheckEligible(const DropRules& rules, const std::string& member, Instant now);
  Result<DropClaim> Decide(std::string_view drop, Instant slot, std::string_view member,
                           DropClaimStatus to, Instant now);

  std::unique_ptr<DropStore> store_;
  std::mutex store_mu_;
  const TierRules tiers_;
  const ProgramTime time_;
  MemberStandingSource* standing_;
  DropServiceOptions options_;
  std::mutex standing_mu_;

  std::shared_mutex drops_mu_;
  std::deque<DropRules> drops_;  // a deque: pointers stay valid as operators add drops
  std::shared_mutex slots_mu_;
  std::map<DropSlotKey, std::unique_ptr<DropSlot>> slots_;
  // Last, so that it is destroyed first: its committer writes what is queued and runs the
  // completions, which touch the slots, before the slots go.
  DropCommitQueue queue_;
};

}  // namespace onecard
