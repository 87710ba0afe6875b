// Where exclusive drops are kept durably: operator-created drops, claims (keyed by drop, slot and
// member) with the unit rows they hold, lottery registrations and draws. The drop service
// (engine/drop_service.h) decides in memory and writes each decision here before it answers,
// many decisions per transaction (group commit).
//
// Contract for every implementation (as for Store):
// - Apply returns only after its whole batch is durable, and is atomic: on error nothing of it is
//   visible.
// - A unit row (drop, slot, unit) exists at most once: a second claim of the same unit fails the
//   batch instead of overselling, whatever the caller believed.
// - A status change applies only to a claim that is still held; otherwise the batch fails.
// - Reads see every batch that returned successfully before them.
// Used from one thread at a time (the service serialises its calls).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/drop_allocation.h"
#include "core/drop_rules.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

struct DropRegistration {
  std::string drop;
  Instant slot;
  std::string member;
  int64_t quantity = 0;
  Instant registered_at;
};

// A lottery draw as published: the seed, when it ran, and what it decided.
struct DropDraw {
  std::string drop;
  Instant slot;
  std::string seed;
  Instant drawn_at;
  int64_t registrants = 0;
  int64_t winners = 0;
  int64_t units_won = 0;
};

// The decisions of one group commit, written in one transaction in this order.
struct DropBatch {
  std::vector<DropClaim> new_claims;  // held claims, with a unit row for each of their units
  // Held claims that became confirmed, released or expired (status and decided_at set); released
  // and expired ones give their unit rows back.
  std::vector<DropClaim> decided_claims;
  std::vector<DropRegistration> registrations;
  std::vector<DropDraw> draws;
  bool empty() const {
    return new_claims.empty() && decided_claims.empty() && registrations.empty() && draws.empty();
  }
};

struct DropSlotKey {
  std::string drop;
  Instant slot;
  friend auto operator<=>(const DropSlotKey&, const DropSlotKey&) = default;
};

class DropStore {
 public:
  virtual ~DropStore() = default;

  virtual Status Apply(const DropBatch& batch) = 0;

  // Every claim of one slot (every status), in member order.
  virtual Result<std::vector<DropClaim>> LoadClaims(const DropSlotKey& slot) = 0;
  virtual Result<std::vector<DropRegistration>> LoadRegistrations(const DropSlotKey& slot) = 0;
  virtual Result<std::optional<DropDraw>> LoadDraw(const DropSlotKey& slot) = 0;
  // Slots that have a held claim whose hold ends at or before `by`.
  virtual Result<std::vector<DropSlotKey>> SlotsWithHoldsEndingBy(Instant by) = 0;

  // Drops created by operators. Save fails with kDropExists when the id is taken.
  virtual Result<std::vector<DropRules>> LoadOperatorDrops() = 0;
  virtual Status SaveOperatorDrop(const DropRules& rules, Instant created_at) = 0;
};

}  // namespace onecard
