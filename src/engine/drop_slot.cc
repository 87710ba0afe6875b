#include "engine/drop_slot.h"

#include <algorithm>
#include <functional>
#include <thread>

#include "core/assert.h"
#include "core/drop_limits.h"
#include "core/drop_lottery.h"
#include "core/drop_schedule.h"

namespace onecard {

DropSlot::DropSlot(const DropRules& rules, Instant slot, DropCommitQueue* queue,
                   const std::vector<DropClaim>& claims,
                   const std::vector<DropRegistration>& registrations, std::optional<DropDraw> draw)
    : rules_(rules),
      slot_(slot),
      queue_(queue),
      sold_out_one_("drop " + rules.id + " has no unit left in this slot"),
      sold_out_many_("drop " + rules.id + " has no units left in this slot"),
      draw_(std::move(draw)) {
  std::vector<bool> taken(static_cast<size_t>(rules_.units_per_slot), false);
  for (const DropClaim& claim : claims) {
    size_t hash = 0;
    Entry& entry = ShardOf(claim.member, &hash).entries[claim.member];
    entry.claim = claim;
    entry.durable = true;
    if (claim.counts_against_stock()) {
      for (int32_t unit : claim.units) {
        if (unit >= 0 && unit < rules_.units_per_slot) taken[static_cast<size_t>(unit)] = true;
      }
    }
    if (claim.status == DropClaimStatus::kHeld) AddHold(claim);
  }
  for (const DropRegistration& registration : registrations) {
    size_t hash = 0;
    Entry& entry = ShardOf(registration.member, &hash).entries[registration.member];
    entry.registration = registration;
    entry.durable = true;
  }
  int64_t free = 0;
  for (int64_t unit = rules_.units_per_slot - 1; unit >= 0; --unit) {
    if (taken[static_cast<size_t>(unit)]) continue;
    stock_[static_cast<size_t>(unit) % kStockShards].free.push_back(static_cast<int32_t>(unit));
    ++free;
  }
  available_.store(free, std::memory_order_release);
  drawing_.store(draw_.has_value());
  int64_t count = 0;
  for (MemberShard& shard : members_) count += static_cast<int64_t>(shard.entries.size());
  entries_.store(count);
}

DropSlot::MemberShard& DropSlot::ShardOf(const std::string& member, size_t* hash) {
  *hash = std::hash<std::string>{}(member);
  return members_[*hash % kMemberShards];
}

DropSlot::Entry* DropSlot::WaitIdle(MemberShard& shard, std::unique_lock<std::mutex>& lock,
                                    const std::string& member) {
  for (;;) {
    auto it = shard.entries.find(member);
    if (it == shard.entries.end()) return nullptr;
    if (!it->second.busy) return &it->second;
    shard.cv.wait(lock);
  }
}

bool DropSlot::Reserve(int64_t count) {
  int64_t free = available_.load(std::memory_order_acquire);
  while (free >= count) {
    if (available_.compare_exchange_weak(free, free - count, std::memory_order_acq_rel)) {
      return true;
    }
  }
  return false;
}

std::vector<int32_t> DropSlot::TakeTokens(int64_t count, size_t hash) {
  // The reservation guarantees `count` tokens across the shards: tokens are pushed before the
  // count is raised and the count is lowered before tokens are popped.
  std::vector<int32_t> units;
  for (size_t i = 0; static_cast<int64_t>(units.size()) < count; ++i) {
    StockShard& shard = stock_[(hash + i) % kStockShards];
    std::lock_guard<std::mutex> lock(shard.mu);
    while (!shard.free.empty() && static_cast<int64_t>(units.size()) < count) {
      units.push_back(shard.free.back());
      shard.free.pop_back();
    }
  }
  std::sort(units.begin(), units.end());
  return units;
}

void DropSlot::ReturnTokens(const std::vector<int32_t>& units) {
  for (int32_t unit : units) {
    StockShard& shard = stock_[static_cast<size_t>(unit) % kStockShards];
    std::lock_guard<std::mutex> lock(shard.mu);
    // Keep the shard descending so that returned low units are taken again first.
    shard.free.insert(
        std::upper_bound(shard.free.begin(), shard.free.end(), unit, std::greater<int32_t>()),
        unit);
  }
  available_.fetch_add(static_cast<int64_t>(units.size()), std::memory_order_acq_rel);
}

void DropSlot::AddHold(const DropClaim& claim) {
  std::lock_guard<std::mutex> lock(holds_mu_);
  holds_.emplace(claim.hold_until, claim.member);
  earliest_hold_end_us_.store(holds_.begin()->first.us, std::memory_order_release);
}

void DropSlot::RemoveHold(const DropClaim& claim) {
  std::lock_guard<std::mutex> lock(holds_mu_);
  holds_.erase({claim.hold_until, claim.member});
  earliest_hold_end_us_.store(holds_.empty() ? INT64_MAX : holds_.begin()->first.us,
                              std::memory_order_release);
}

std::optional<DropClaim> DropSlot::FindClaim(const std::string& member) {
  size_t hash = 0;
  MemberShard& shard = ShardOf(member, &hash);
  std::unique_lock<std::mutex> lock(shard.mu);
  Entry* entry = WaitIdle(shard, lock, member);
  if (entry == nullptr || !entry->claim.has_value()) return std::nullopt;
  return entry->claim;
}

PendingClaim PendingClaim::Ready(Result<DropClaimAnswer> answer) {
  PendingClaim pending;
  pending.now_ = std::move(answer);
  return pending;
}

PendingClaim PendingClaim::Later() {
  PendingClaim pending;
  pending.later_ = std::make_shared<const State>();
  return pending;
}

void PendingClaim::Finish(Result<DropClaimAnswer> answer) const {
  std::function<void(Result<DropClaimAnswer>)> then;
  {
    std::lock_guard<std::mutex> lock(later_->mu);
    later_->answer = std::move(answer);
    then = std::move(later_->then);
  }
  later_->cv.notify_all();
  if (then) then(*later_->answer);  // the answer is never changed again once set
}

void PendingClaim::Then(std::function<void(Result<DropClaimAnswer>)> then) const {
  if (now_.has_value()) return then(*now_);
  std::unique_lock<std::mutex> lock(later_->mu);
  if (!later_->answer.has_value()) {
    later_->then = std::move(then);
    return;
  }
  lock.unlock();
  then(*later_->answer);
}

bool PendingClaim::ready() const {
  if (now_.has_value()) return true;
  std::lock_guard<std::mutex> lock(later_->mu);
  return later_->answer.has_value();
}

Result<DropClaimAnswer> PendingClaim::Wait() {
  if (now_.has_value()) return *now_;
  std::unique_lock<std::mutex> lock(later_->mu);
  later_->cv.wait(lock, [this] { return later_->answer.has_value(); });
  return *later_->answer;  // a copy: copies of this PendingClaim share the answer
}

PendingClaim DropSlot::BeginClaim(const std::string& member, int64_t quantity, Instant now) {
  size_t hash = 0;
  MemberShard& shard = ShardOf(member, &hash);
  std::unique_lock<std::mutex> lock(shard.mu);
  if (Entry* existing = WaitIdle(shard, lock, member); existing != nullptr) {
    if (!existing->claim.has_value()) {
      return PendingClaim::Ready(
          MakeError(ErrorCode::kWrongDropMode, "drop", "this slot is drawn by lottery"));
    }
    if (Status repeat = CheckRepeat(existing->claim->quantity, quantity); !repeat.ok()) {
      return PendingClaim::Ready(repeat.error());
    }
    return PendingClaim::Ready(DropClaimAnswer{*existing->claim, true});
  }
  if (entries_.load(std::memory_order_relaxed) >= limits::kDropClaimsPerSlotMax) {
    return PendingClaim::Ready(
        MakeError(ErrorCode::kLimitExceeded, "member",
                  "the slot holds the most claims it may (limits::kDropClaimsPerSlotMax)"));
  }
  if (!Reserve(quantity)) {
    return PendingClaim::Ready(
        MakeError(ErrorCode::kSoldOut, "drop", quantity == 1 ? sold_out_one_ : sold_out_many_));
  }
  DropClaim claim;
  claim.drop = rules_.id;
  claim.slot = slot_;
  claim.member = member;
  claim.quantity = quantity;
  claim.units = TakeTokens(quantity, hash);
  claim.status = DropClaimStatus::kHeld;
  claim.claimed_at = now;
  claim.hold_until = HoldEnd(rules_, now);
  Entry& entry = shard.entries[member];
  entry.claim = claim;
  entry.busy = true;
  entries_.fetch_add(1, std::memory_order_relaxed);
  lock.unlock();

  // The grant is answered from the committer thread once durable; until then the member's entry
  // is busy, so a retry waits for the same answer.
  PendingClaim pending = PendingClaim::Later();
  DropBatch change;
  change.new_claims.push_back(claim);
  queue_->Submit(std::move(change),
                 [this, claim = std::move(claim), pending](const Status& committed) {
                   FinishClaim(claim, committed, pending);
                 });
  return pending;
}

void DropSlot::FinishClaim(const DropClaim& claim, const Status& committed,
                           const PendingClaim& pending) {
  size_t hash = 0;
  MemberShard& shard = ShardOf(claim.member, &hash);
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    if (!committed.ok()) {
      shard.entries.erase(claim.member);
      entries_.fetch_sub(1, std::memory_order_relaxed);
    } else {
      Entry& entry = shard.entries[claim.member];
      entry.busy = false;
      entry.durable = true;
    }
    shard.cv.notify_all();
  }
  if (!committed.ok()) {
    ReturnTokens(claim.units);
    pending.Finish(committed.error());
    return;
  }
  AddHold(claim);
  pending.Finish(DropClaimAnswer{claim, false});
}

Result<DropClaim> DropSlot::Decide(const std::string& member, DropClaimStatus to, Instant now) {
  size_t hash = 0;
  MemberShard& shard = ShardOf(member, &hash);
  std::unique_lock<std::mutex> lock(shard.mu);
  Entry* entry = WaitIdle(shard, lock, member);
  if (entry == nullptr || !entry->claim.has_value()) {
    return MakeError(ErrorCode::kNoClaim, "member",
                     "member " + QuoteInput(member) + " has no claim on this slot of " + rules_.id);
  }
  const Status allowed = to == DropClaimStatus::kConfirmed ? CheckConfirm(*entry->claim, now)
                                                           : CheckRelease(*entry->claim);
  if (!allowed.ok()) return allowed.error();
  DropClaim decided = *entry->claim;
  decided.status = to;
  decided.decided_at = now;
  entry->busy = true;
  lock.unlock();

  DropBatch change;
  change.decided_claims.push_back(decided);
  Status committed = queue_->Commit(change);

  lock.lock();
  entry->busy = false;
  if (committed.ok()) entry->claim = decided;
  shard.cv.notify_all();
  lock.unlock();
  if (!committed.ok()) return committed.error();
  RemoveHold(decided);
  if (to != DropClaimStatus::kConfirmed) ReturnTokens(decided.units);
  return decided;
}

bool DropSlot::HasHoldEndingBy(Instant now) {
  return earliest_hold_end_us_.load(std::memory_order_acquire) <= now.us;
}

Result<int64_t> DropSlot::ExpireHolds(Instant now) {
  std::vector<std::string> due;
  {
    std::lock_guard<std::mutex> lock(holds_mu_);
    for (auto it = holds_.begin(); it != holds_.end() && it->first <= now; ++it) {
      due.push_back(it->second);
    }
  }
  // Mark each still-held, expired claim busy, then commit their expiry together.
  DropBatch change;
  std::vector<Entry*> marked;
  for (const std::string& member : due) {
    size_t hash = 0;
    MemberShard& shard = ShardOf(member, &hash);
    std::unique_lock<std::mutex> lock(shard.mu);
    Entry* entry = WaitIdle(shard, lock, member);
    if (entry == nullptr || !entry->claim || !HoldExpired(*entry->claim, now)) continue;
    DropClaim expired = *entry->claim;
    expired.status = DropClaimStatus::kExpired;
    expired.decided_at = now;
    entry->busy = true;
    change.decided_claims.push_back(std::move(expired));
    marked.push_back(entry);
  }
  if (change.empty()) return int64_t{0};
  Status committed = queue_->Commit(change);
  for (size_t i = 0; i < marked.size(); ++i) {
    const DropClaim& expired = change.decided_claims[i];
    size_t hash = 0;
    MemberShard& shard = ShardOf(expired.member, &hash);
    {
      std::lock_guard<std::mutex> lock(shard.mu);
      marked[i]->busy = false;
      if (committed.ok()) marked[i]->claim = expired;
      shard.cv.notify_all();
    }
    if (committed.ok()) {
      RemoveHold(expired);
      ReturnTokens(expired.units);
    }
  }
  if (!committed.ok()) return committed.error();
  return static_cast<int64_t>(marked.size());
}

Result<DropRegistrationAnswer> DropSlot::Register(const std::string& member, int64_t quantity,
                                                  Instant now) {
  size_t hash = 0;
  MemberShard& shard = ShardOf(member, &hash);
  std::unique_lock<std::mutex> lock(shard.mu);
  if (Entry* existing = WaitIdle(shard, lock, member); existing != nullptr) {
    if (!existing->registration.has_value()) {
      return MakeError(ErrorCode::kWrongDropMode, "drop", "this slot is first come, first served");
    }
    if (Status repeat = CheckRepeat(existing->registration->quantity, quantity); !repeat.ok()) {
      return repeat.error();
    }
    return DropRegistrationAnswer{*existing->registration, true};
  }
  // Checked under the shard lock: a draw marks itself, then waits for every shard's busy entries,
  // so a registration either lands before the draw's snapshot or is refused.
  if (drawing_.load(std::memory_order_acquire)) {
    return MakeError(ErrorCode::kAlreadyDrawn, "drop",
                     "the draw of this slot of " + rules_.id + " has run; registration is closed");
  }
  if (entries_.load(std::memory_order_relaxed) >= limits::kDropClaimsPerSlotMax) {
    return MakeError(ErrorCode::kLimitExceeded, "member",
                     "the slot holds the most registrations it may");
  }
  const DropRegistration registration{rules_.id, slot_, member, quantity, now};
  Entry& entry = shard.entries[member];
  entry.registration = registration;
  entry.busy = true;
  entries_.fetch_add(1, std::memory_order_relaxed);
  lock.unlock();

  DropBatch change;
  change.registrations.push_back(registration);
  Status committed = queue_->Commit(change);

  lock.lock();
  if (!committed.ok()) {
    shard.entries.erase(member);
    entries_.fetch_sub(1, std::memory_order_relaxed);
    shard.cv.notify_all();
    return committed.error();
  }
  entry.busy = false;
  entry.durable = true;
  shard.cv.notify_all();
  return DropRegistrationAnswer{registration, false};
}

Result<DropDraw> DropSlot::Draw(const std::string& seed, const std::string& slot_text,
                                Instant now) {
  std::lock_guard<std::mutex> draw_lock(draw_mu_);
  if (draw_.has_value()) {
    return MakeError(
        ErrorCode::kAlreadyDrawn, "slot",
        "this slot of " + rules_.id + " was drawn with seed " + QuoteInput(draw_->seed));
  }
  drawing_.store(true, std::memory_order_release);
  // The snapshot: every registration, once none is in flight (new ones are refused from now on).
  std::vector<LotteryEntry> entries;
  for (MemberShard& shard : members_) {
    std::unique_lock<std::mutex> lock(shard.mu);
    shard.cv.wait(lock, [&shard] {
      return std::none_of(shard.entries.begin(), shard.entries.end(),
                          [](const auto& item) { return item.second.busy; });
    });
    for (const auto& [member, entry] : shard.entries) {
      if (entry.registration) entries.push_back({member, entry.registration->quantity});
    }
  }
  const std::vector<LotteryWinner> winners =
      DrawLottery(seed, rules_.id, slot_text, rules_.units_per_slot, entries);
  DropBatch change;
  int64_t units_won = 0;
  for (const LotteryWinner& winner : winners) {
    DropClaim claim;
    claim.drop = rules_.id;
    claim.slot = slot_;
    claim.member = winner.member;
    claim.quantity = static_cast<int64_t>(winner.units.size());
    claim.units = winner.units;
    claim.claimed_at = now;
    claim.hold_until = HoldEnd(rules_, now);
    claim.from_draw = true;
    units_won += claim.quantity;
    change.new_claims.push_back(std::move(claim));
  }
  // Before the draw no unit of a lottery slot is taken, so the winners' units are all free.
  if (!Reserve(units_won)) {
    drawing_.store(false, std::memory_order_release);
    return MakeError(ErrorCode::kCorruptState, "slot",
                     "units of a lottery slot were taken before "
                     "its draw");
  }
  for (const DropClaim& claim : change.new_claims) {
    for (int32_t unit : claim.units) {
      StockShard& shard = stock_[static_cast<size_t>(unit) % kStockShards];
      std::lock_guard<std::mutex> lock(shard.mu);
      const auto it = std::find(shard.free.begin(), shard.free.end(), unit);
      ONECARD_ASSERT(it != shard.free.end());  // reserved above, and no claim existed
      shard.free.erase(it);
    }
  }
  const DropDraw record{rules_.id,
                        slot_,
                        seed,
                        now,
                        static_cast<int64_t>(entries.size()),
                        static_cast<int64_t>(winners.size()),
                        units_won};
  change.draws.push_back(record);
  if (Status committed = queue_->Commit(change); !committed.ok()) {
    for (const DropClaim& claim : change.new_claims) ReturnTokens(claim.units);
    drawing_.store(false, std::memory_order_release);
    return committed.error();
  }
  for (const DropClaim& claim : change.new_claims) {
    size_t hash = 0;
    MemberShard& shard = ShardOf(claim.member, &hash);
    std::lock_guard<std::mutex> lock(shard.mu);
    shard.entries[claim.member].claim = claim;
    AddHold(claim);
  }
  draw_ = record;
  return record;
}

std::optional<DropDraw> DropSlot::draw() {
  std::lock_guard<std::mutex> lock(draw_mu_);
  return draw_;
}

std::vector<DropRegistration> DropSlot::Registrations() {
  std::vector<DropRegistration> out;
  for (MemberShard& shard : members_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    for (const auto& [member, entry] : shard.entries) {
      if (entry.registration && entry.durable) out.push_back(*entry.registration);
    }
  }
  std::sort(out.begin(), out.end(), [](const DropRegistration& a, const DropRegistration& b) {
    return a.member < b.member;
  });
  return out;
}

std::vector<DropClaim> DropSlot::Claims() {
  std::vector<DropClaim> out;
  for (MemberShard& shard : members_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    for (const auto& [member, entry] : shard.entries) {
      if (entry.claim && (entry.durable || !entry.busy)) out.push_back(*entry.claim);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const DropClaim& a, const DropClaim& b) { return a.member < b.member; });
  return out;
}

}  // namespace onecard
