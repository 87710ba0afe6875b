#include "core/plan_membership.h"

#include "core/assert.h"

namespace onecard {

std::string_view PlanEntryKindName(PlanEntryKind kind) {
  switch (kind) {
    case PlanEntryKind::kPurchase:
      return "purchase";
    case PlanEntryKind::kRenewal:
      return "renewal";
    case PlanEntryKind::kRefund:
      return "refund";
    case PlanEntryKind::kSuspension:
      return "suspension";
    case PlanEntryKind::kReinstatement:
      return "reinstatement";
    case PlanEntryKind::kRevocation:
      return "revocation";
  }
  return "purchase";
}

std::optional<PlanEntryKind> ParsePlanEntryKind(std::string_view name) {
  for (PlanEntryKind kind :
       {PlanEntryKind::kPurchase, PlanEntryKind::kRenewal, PlanEntryKind::kRefund,
        PlanEntryKind::kSuspension, PlanEntryKind::kReinstatement, PlanEntryKind::kRevocation}) {
    if (PlanEntryKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

bool IsPlanCharge(PlanEntryKind kind) {
  return kind == PlanEntryKind::kPurchase || kind == PlanEntryKind::kRenewal;
}

std::string_view PlanStatusName(PlanStatus status) {
  switch (status) {
    case PlanStatus::kNone:
      return "none";
    case PlanStatus::kActive:
      return "active";
    case PlanStatus::kExpired:
      return "expired";
    case PlanStatus::kRefunded:
      return "refunded";
    case PlanStatus::kSuspended:
      return "suspended";
    case PlanStatus::kRevoked:
      return "revoked";
  }
  return "none";
}

namespace {

// The standing of the plan apart from its terms: what the last purchase, refund, suspension,
// reinstatement or revocation made of it.
enum class Standing : uint8_t { kNone, kInForce, kRefunded, kSuspended, kRevoked };

struct Fold {
  Standing standing = Standing::kNone;
  std::vector<PlanTermRecord> terms;  // one per charge, in order; cancelled ones removed
};

void ApplyRefund(const PlanEntry& refund, Fold* fold) {
  for (size_t i = 0; i < fold->terms.size(); ++i) {
    PlanTermRecord& record = fold->terms[i];
    if (record.charge->seq != refund.refunded_seq) continue;
    if (record.term.start > refund.at) {
      // A renewal paid ahead and refunded before its term began: as if never bought; the
      // current term runs on. (A term refunded at its first instant has begun: it is cut.)
      fold->terms.erase(fold->terms.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      if (refund.at < record.term.end) record.term.end = refund.at;
      record.refunded = true;
      fold->standing = Standing::kRefunded;
    }
    return;
  }
  ONECARD_ASSERT(false && "a refund names a charge the history does not hold");
}

void Apply(const PlanEntry& entry, Fold* fold) {
  switch (entry.kind) {
    case PlanEntryKind::kPurchase:
    case PlanEntryKind::kRenewal:
      fold->terms.push_back(PlanTermRecord{&entry, entry.term, false});
      fold->standing = Standing::kInForce;
      break;
    case PlanEntryKind::kRefund:
      ApplyRefund(entry, fold);
      break;
    case PlanEntryKind::kSuspension:
      fold->standing = Standing::kSuspended;
      break;
    case PlanEntryKind::kReinstatement:
      fold->standing = Standing::kInForce;
      break;
    case PlanEntryKind::kRevocation:
      fold->standing = Standing::kRevoked;
      break;
  }
}

}  // namespace

PlanView ViewPlan(const std::vector<PlanEntry>& history, Instant at) {
  Fold fold;
  PlanView view;
  for (const PlanEntry& entry : history) {
    if (entry.at > at) break;  // entries are recorded in time order
    ONECARD_ASSERT(entry.seq == view.entries + 1);
    Apply(entry, &fold);
    ++view.entries;
  }
  const PlanTermRecord* covering = nullptr;
  const PlanTermRecord* latest_begun = nullptr;
  for (const PlanTermRecord& record : fold.terms) {
    if (record.term.start <= at) latest_begun = &record;
    if (record.term.start <= at && at < record.term.end) covering = &record;
    if (record.term.end > view.paid_until) view.paid_until = record.term.end;
    if (!record.refunded) {
      view.last_charge = record.charge;
      view.last_charge_term = record.term;
    }
  }
  if (covering != nullptr) {
    view.term = *covering;
  } else if (latest_begun != nullptr) {
    view.term = *latest_begun;
  }
  switch (fold.standing) {
    case Standing::kNone:
      view.status = PlanStatus::kNone;
      break;
    case Standing::kInForce:
      view.status = covering != nullptr ? PlanStatus::kActive : PlanStatus::kExpired;
      break;
    case Standing::kRefunded:
      view.status = PlanStatus::kRefunded;
      break;
    case Standing::kSuspended:
      view.status = PlanStatus::kSuspended;
      break;
    case Standing::kRevoked:
      view.status = PlanStatus::kRevoked;
      break;
  }
  view.paid = view.status == PlanStatus::kActive;
  return view;
}

}  // namespace onecard
