// A member's paid plan as a history of entries (purchases, renewals, refunds, suspensions,
// reinstatements, revocations), and what that history says at one moment: the state machine of
// PRODUCT §3,
//
//   none ─buy→ active ─renew→ active          (a renewal continues or restarts the term)
//                 │ ├─term ends→ expired ─buy|renew→ active
//                 │ ├─refund→ refunded ─buy→ active
//                 │ ├─suspend→ suspended ─reinstate→ active (or expired, if the term ended)
//                 │ └─revoke→ revoked              (final: nothing more is sold to the member)
//                 suspended ─revoke→ revoked;  expired ─revoke→ revoked
//
// Entries are immutable and numbered 1, 2, … per member; the state at a moment is a fold of the
// entries recorded at or before it, so that a standing asked for a past moment is answered as it
// was then. Suspension and revocation end the paid plan at once without touching the terms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/plan_term.h"
#include "core/program_time.h"

namespace onecard {

enum class PlanEntryKind : uint8_t {
  kPurchase,
  kRenewal,
  kRefund,
  kSuspension,
  kReinstatement,
  kRevocation,
};

std::string_view PlanEntryKindName(PlanEntryKind kind);  // "purchase", "renewal", ...
std::optional<PlanEntryKind> ParsePlanEntryKind(std::string_view name);
bool IsPlanCharge(PlanEntryKind kind);  // a purchase or a renewal

struct PlanEntry {
  int64_t seq = 0;  // 1, 2, … per member, in the order recorded
  PlanEntryKind kind = PlanEntryKind::kPurchase;
  Instant at;  // when it was recorded
  // A charge: the price paid; a refund: the amount returned; otherwise zero.
  Money amount;
  // A charge: what the price was based on — the latest published score at `at` (0 when the member
  // was never published), that publication, and the program's rule version. A refund repeats
  // those of the charge it refunds.
  int64_t score = 0;
  std::optional<MonthKey> publication;
  std::string rule_version;
  PlanTerm term;             // a charge: the term it paid for; a refund: that of the charge
  int64_t refunded_seq = 0;  // a refund: the charge it refunds
  std::string reason;        // a suspension, reinstatement or revocation: the operator's reason
  // An automatic renewal (made by the renewal job).
  bool automatic = false;

  friend bool operator==(const PlanEntry&, const PlanEntry&) = default;
};

enum class PlanStatus : uint8_t { kNone, kActive, kExpired, kRefunded, kSuspended, kRevoked };
std::string_view PlanStatusName(PlanStatus status);  // "none", "active", ...

// A charge's term as it stands: cut short by a refund, or cancelled (a refunded renewal whose
// term had not begun).
struct PlanTermRecord {
  const PlanEntry* charge = nullptr;
  PlanTerm term;
  bool refunded = false;
};

// What a history says at one moment.
struct PlanView {
  PlanStatus status = PlanStatus::kNone;
  bool paid = false;  // status is active: a term covers the moment
  // The term covering the moment, else the latest that began before it (an ended or refunded
  // one); none before the first purchase.
  std::optional<PlanTermRecord> term;
  // The end of the last term still standing (the current one, or the renewal paid ahead); zero
  // when there is none.
  Instant paid_until;
  // The latest charge not refunded (what a refund would return), if any.
  const PlanEntry* last_charge = nullptr;
  // The term of last_charge as it stands.
  PlanTerm last_charge_term;
  int64_t entries = 0;  // entries recorded at or before the moment
};

// Folds the entries recorded at or before `at`. REQUIRES: history is sorted by seq (1, 2, …) and
// was made by the decisions of core/plan_decisions.h. The view points into `history`.
PlanView ViewPlan(const std::vector<PlanEntry>& history, Instant at);

}  // namespace onecard
