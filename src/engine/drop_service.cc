#include "engine/drop_service.h"

#include <algorithm>

#include "core/drop_limits.h"
#include "core/drop_schedule.h"
#include "core/limits.h"

namespace onecard {

DropService::DropService(std::unique_ptr<DropStore> store, const ProgramConfig& config,
                         MemberStandingSource* standing, DropServiceOptions options)
    : store_(std::move(store)),
      tiers_(config.tiers),
      time_(config.utc_offset_seconds),
      standing_(standing),
      options_(options),
      queue_(store_.get(), &store_mu_) {
  for (const DropRules& rules : config.drops.drops) drops_.push_back(rules);
}

Result<std::unique_ptr<DropService>> DropService::Open(std::unique_ptr<DropStore> store,
                                                       const ProgramConfig& config,
                                                       MemberStandingSource* standing,
                                                       DropServiceOptions options) {
  auto operator_drops = store->LoadOperatorDrops();
  if (!operator_drops.ok()) return operator_drops.error();
  std::unique_ptr<DropService> service(
      new DropService(std::move(store), config, standing, options));
  for (DropRules& rules : *operator_drops) {
    if (service->Find(rules.id).ok()) {
      return MakeError(ErrorCode::kDropExists, "id",
                       "operator drop " + rules.id + " has the id of a drop of the config");
    }
    service->drops_.push_back(std::move(rules));
  }
  return service;
}

std::vector<DropRules> DropService::Drops() {
  std::shared_lock<std::shared_mutex> lock(drops_mu_);
  return std::vector<DropRules>(drops_.begin(), drops_.end());
}

Result<const DropRules*> DropService::Find(std::string_view id) {
  std::shared_lock<std::shared_mutex> lock(drops_mu_);
  for (const DropRules& rules : drops_) {
    if (rules.id == id) return &rules;
  }
  return MakeError(ErrorCode::kUnknownDrop, "drop", "there is no drop " + QuoteInput(id));
}

Result<DropRules> DropService::FindDrop(std::string_view id) {
  auto rules = Find(id);
  if (!rules.ok()) return rules.error();
  return **rules;
}

Result<DropRules> DropService::OpenDrop(const DropRules& rules, Instant now) {
  if (Status valid = ValidateDropRules(rules, tiers_); !valid.ok()) return valid.error();
  std::unique_lock<std::shared_mutex> lock(drops_mu_);
  for (const DropRules& existing : drops_) {
    if (existing.id == rules.id) {
      return MakeError(ErrorCode::kDropExists, "id", "there is a drop " + rules.id + " already");
    }
  }
  if (static_cast<int64_t>(drops_.size()) >= limits::kDropsMax) {
    return MakeError(
        ErrorCode::kLimitExceeded, "id",
        "the program has the most drops it may (" + std::to_string(limits::kDropsMax) + ")");
  }
  {
    std::lock_guard<std::mutex> store_lock(store_mu_);
    if (Status saved = store_->SaveOperatorDrop(rules, now); !saved.ok()) return saved.error();
  }
  drops_.push_back(rules);
  return rules;
}

Result<DropSlot*> DropService::SlotFor(const DropRules& rules, Instant slot) {
  const DropSlotKey key{rules.id, slot};
  {
    std::shared_lock<std::shared_mutex> lock(slots_mu_);
    auto it = slots_.find(key);
    if (it != slots_.end()) return it->second.get();
  }
  std::unique_lock<std::shared_mutex> lock(slots_mu_);
  auto it = slots_.find(key);
  if (it != slots_.end()) return it->second.get();
  std::lock_guard<std::mutex> store_lock(store_mu_);
  auto claims = store_->LoadClaims(key);
  if (!claims.ok()) return claims.error();
  auto registrations = store_->LoadRegistrations(key);
  if (!registrations.ok()) return registrations.error();
  auto draw = store_->LoadDraw(key);
  if (!draw.ok()) return draw.error();
  auto state = std::make_unique<DropSlot>(rules, slot, &queue_, *claims, *registrations, *draw);
  DropSlot* pointer = state.get();
  slots_.emplace(key, std::move(state));
  return pointer;
}

Status DropService::CheckMember(std::string_view member) {
  const bool printable = std::all_of(member.begin(), member.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7F;
  });
  if (member.empty() || static_cast<int64_t>(member.size()) > limits::kMemberIdBytesMax ||
      !printable) {
    return MakeError(ErrorCode::kInvalidMember, "member",
                     "member " + QuoteInput(member) + " must be 1 to " +
                         std::to_string(limits::kMemberIdBytesMax) + " bytes of printable text");
  }
  return Status::Ok();
}

Status DropService::CheckEligible(const DropRules& rules, const std::string& member, Instant now) {
  Result<MemberStanding> standing = MakeError(ErrorCode::kStoreError, "", "");
  if (options_.standing_source_thread_safe) {
    standing = standing_->Standing(member, now);
  } else {
    std::lock_guard<std::mutex> lock(standing_mu_);
    standing = standing_->Standing(member, now);
  }
  if (!standing.ok()) return standing.error();
  return CheckEligibility(rules, tiers_, *standing);
}

PendingClaim DropService::BeginClaim(std::string_view drop, std::string_view member_view,
                                     int64_t quantity, Instant now) {
  auto rules = Find(drop);
  if (!rules.ok()) return PendingClaim::Ready(rules.error());
  if ((*rules)->mode != DropMode::kFirstCome) {
    return PendingClaim::Ready(
        MakeError(ErrorCode::kWrongDropMode, "drop",
                  "drop " + (*rules)->id + " is a lottery: register, then wait for the draw"));
  }
  if (Status valid = CheckMember(member_view); !valid.ok()) {
    return PendingClaim::Ready(valid.error());
  }
  if (Status valid = CheckQuantity(**rules, quantity); !valid.ok()) {
    return PendingClaim::Ready(valid.error());
  }
  const std::string member(member_view);
  const std::optional<Instant> open = OpenSlotAt(**rules, time_, now);
  if (!open.has_value()) {
    // A retry that arrives after the window closed still gets the stored claim.
    const std::optional<Instant> latest = LatestSlotAtOrBefore(**rules, time_, now);
    if (latest.has_value()) {
      auto slot = SlotFor(**rules, *latest);
      if (!slot.ok()) return PendingClaim::Ready(slot.error());
      if (std::optional<DropClaim> existing = (*slot)->FindClaim(member)) {
        if (Status repeat = CheckRepeat(existing->quantity, quantity); !repeat.ok()) {
          return PendingClaim::Ready(repeat.error());
        }
        return PendingClaim::Ready(DropClaimAnswer{std::move(*existing), true});
      }
    }
    return PendingClaim::Ready(MakeError(
        ErrorCode::kDropNotOpen, "drop",
        "no slot of drop " + (*rules)->id + " takes claims at " + time_.FormatLocal(now)));
  }
  auto slot = SlotFor(**rules, *open);
  if (!slot.ok()) return PendingClaim::Ready(slot.error());
  // A retry is answered with the stored claim, whatever the member's standing is now.
  if (std::optional<DropClaim> existing = (*slot)->FindClaim(member)) {
    if (Status repeat = CheckRepeat(existing->quantity, quantity); !repeat.ok()) {
      return PendingClaim::Ready(repeat.error());
    }
    return PendingClaim::Ready(DropClaimAnswer{std::move(*existing), true});
  }
  if (Status eligible = CheckEligible(**rules, member, now); !eligible.ok()) {
    return PendingClaim::Ready(eligible.error());
  }
  PendingClaim pending = (*slot)->BeginClaim(member, quantity, now);
  if (pending.sold_out() && (*slot)->HasHoldEndingBy(now)) {
    // Holds that ran out give their units back before anyone is told the drop is sold out.
    auto expired = (*slot)->ExpireHolds(now);
    if (!expired.ok()) return PendingClaim::Ready(expired.error());
    return (*slot)->BeginClaim(member, quantity, now);
  }
  return pending;
}

Result<DropSlot*> DropService::PastSlot(std::string_view drop, Instant slot, Instant now) {
  auto rules = Find(drop);
  if (!rules.ok()) return rules.error();
  if (!IsSlot(**rules, time_, slot)) {
    return MakeError(ErrorCode::kInvalidSlot, "slot",
                     time_.FormatLocal(slot) + " is not a slot of drop " + (*rules)->id);
  }
  if (slot > now) {
    return MakeError(
        ErrorCode::kDropNotOpen, "slot",
        "the slot " + time_.FormatLocal(slot) + " of drop " + (*rules)->id + " has not opened yet");
  }
  return SlotFor(**rules, slot);
}

Result<DropClaim> DropService::Decide(std::string_view drop, Instant slot, std::string_view member,
                                      DropClaimStatus to, Instant now) {
  if (Status valid = CheckMember(member); !valid.ok()) return valid.error();
  auto state = PastSlot(drop, slot, now);
  if (!state.ok()) return state.error();
  return (*state)->Decide(std::string(member), to, now);
}

Result<DropClaim> DropService::Confirm(std::string_view drop, Instant slot, std::string_view member,
                                       Instant now) {
  return Decide(drop, slot, member, DropClaimStatus::kConfirmed, now);
}

Result<DropClaim> DropService::Release(std::string_view drop, Instant slot, std::string_view member,
                                       Instant now) {
  return Decide(drop, slot, member, DropClaimStatus::kReleased, now);
}

Result<int64_t> DropService::ExpireHolds(Instant now) {
  // Slots with holds ending by now: those in memory and those only in the store (before a restart
  // nothing is in memory).
  Result<std::vector<DropSlotKey>> stored = std::vector<DropSlotKey>();
  {
    std::lock_guard<std::mutex> store_lock(store_mu_);
    stored = store_->SlotsWithHoldsEndingBy(now);
  }
  if (!stored.ok()) return stored.error();
  for (const DropSlotKey& key : *stored) {
    auto rules = Find(key.drop);
    if (!rules.ok()) continue;  // a drop no longer defined keeps its rows untouched
    if (auto slot = SlotFor(**rules, key.slot); !slot.ok()) return slot.error();
  }
  std::vector<DropSlot*> slots;
  {
    std::shared_lock<std::shared_mutex> lock(slots_mu_);
    for (const auto& [key, slot] : slots_) slots.push_back(slot.get());
  }
  int64_t expired = 0;
  for (DropSlot* slot : slots) {
    auto count = slot->ExpireHolds(now);
    if (!count.ok()) return count.error();
    expired += *count;
  }
  return expired;
}

Result<DropRegistrationAnswer> DropService::Register(std::string_view drop,
                                                     std::string_view member_view, int64_t quantity,
                                                     Instant now) {
  auto rules = Find(drop);
  if (!rules.ok()) return rules.error();
  if ((*rules)->mode != DropMode::kLottery) {
    return MakeError(ErrorCode::kWrongDropMode, "drop",
                     "drop " + (*rules)->id + " is first come, first served: claim instead");
  }
  if (Status valid = CheckMember(member_view); !valid.ok()) return valid.error();
  if (Status valid = CheckQuantity(**rules, quantity); !valid.ok()) return valid.error();
  const std::optional<Instant> open = OpenSlotAt(**rules, time_, now);
  if (!open.has_value()) {
    return MakeError(
        ErrorCode::kDropNotOpen, "drop",
        "no slot of drop " + (*rules)->id + " takes registrations at " + time_.FormatLocal(now));
  }
  auto slot = SlotFor(**rules, *open);
  if (!slot.ok()) return slot.error();
  const std::string member(member_view);
  if (Status eligible = CheckEligible(**rules, member, now); !eligible.ok()) {
    return eligible.error();
  }
  return (*slot)->Register(member, quantity, now);
}

Result<DropDraw> DropService::Draw(std::string_view drop, Instant slot, std::string_view seed,
                                   Instant now) {
  auto rules = Find(drop);
  if (!rules.ok()) return rules.error();
  if ((*rules)->mode != DropMode::kLottery) {
    return MakeError(ErrorCode::kWrongDropMode, "drop",
                     "drop " + (*rules)->id + " is first come, first served: nothing to draw");
  }
  const bool printable = std::all_of(seed.begin(), seed.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7F;
  });
  if (seed.empty() || static_cast<int64_t>(seed.size()) > limits::kDropSeedBytesMax || !printable) {
    return MakeError(ErrorCode::kInvalidArgument, "seed",
                     "the seed must be 1 to " + std::to_string(limits::kDropSeedBytesMax) +
                         " bytes of printable text");
  }
  auto state = PastSlot(drop, slot, now);
  if (!state.ok()) return state.error();
  if (now < WindowEnd(**rules, slot)) {
    return MakeError(
        ErrorCode::kDrawNotReady, "slot",
        "registration for this slot is open until " + time_.FormatLocal(WindowEnd(**rules, slot)));
  }
  return (*state)->Draw(std::string(seed), time_.FormatLocal(slot), now);
}

Result<DropDrawCheck> DropService::VerifyDraw(std::string_view drop, Instant slot) {
  auto rules = Find(drop);
  if (!rules.ok()) return rules.error();
  if (!IsSlot(**rules, time_, slot)) {
    return MakeError(ErrorCode::kInvalidSlot, "slot",
                     time_.FormatLocal(slot) + " is not a slot of drop " + (*rules)->id);
  }
  // From the store, not memory: the check is of what was made durable and published.
  const DropSlotKey key{(*rules)->id, slot};
  std::lock_guard<std::mutex> store_lock(store_mu_);
  auto draw = store_->LoadDraw(key);
  if (!draw.ok()) return draw.error();
  if (!draw->has_value()) {
    return MakeError(ErrorCode::kNotDrawn, "slot", "this slot of " + key.drop + " is not drawn");
  }
  auto registrations = store_->LoadRegistrations(key);
  if (!registrations.ok()) return registrations.error();
  auto claims = store_->LoadClaims(key);
  if (!claims.ok()) return claims.error();
  DropDrawCheck check;
  check.draw = **draw;
  std::vector<LotteryEntry> entries;
  for (const DropRegistration& r : *registrations) entries.push_back({r.member, r.quantity});
  check.recomputed = DrawLottery(check.draw.seed, key.drop, time_.FormatLocal(slot),
                                 (*rules)->units_per_slot, entries);
  std::map<std::string, const DropClaim*> drawn;
  for (const DropClaim& claim : *claims) {
    if (claim.from_draw) drawn[claim.member] = &claim;
  }
  check.matches = drawn.size() == check.recomputed.size();
  if (!check.matches) {
    check.mismatch = std::to_string(drawn.size()) + " stored winners, " +
                     std::to_string(check.recomputed.size()) + " recomputed";
  }
  for (const LotteryWinner& winner : check.recomputed) {
    auto it = drawn.find(winner.member);
    if (it == drawn.end() || it->second->units != winner.units) {
      if (check.matches) check.mismatch = "winner " + winner.member + " differs";
      check.matches = false;
      continue;
    }
    check.stored.push_back(*it->second);
  }
  return check;
}

Result<DropSlotStatus> DropService::SlotStatus(std::string_view drop, Instant slot, Instant now) {
  auto state = PastSlot(drop, slot, now);
  if (!state.ok()) return state.error();
  auto rules = Find(drop);
  DropSlotStatus status;
  status.rules = *rules;
  status.slot = slot;
  status.open = now < WindowEnd(**rules, slot);
  status.tally = TallyClaims((*rules)->units_per_slot, (*state)->Claims());
  status.registrations = static_cast<int64_t>((*state)->Registrations().size());
  status.draw = (*state)->draw();
  return status;
}

Result<std::vector<DropClaim>> DropService::Results(std::string_view drop, Instant slot) {
  auto state = PastSlot(drop, slot, Instant{slot.us});
  if (!state.ok()) return state.error();
  return (*state)->Claims();
}

Result<std::vector<DropRegistration>> DropService::Registrations(std::string_view drop,
                                                                 Instant slot) {
  auto state = PastSlot(drop, slot, Instant{slot.us});
  if (!state.ok()) return state.error();
  return (*state)->Registrations();
}

}  // namespace onecard
