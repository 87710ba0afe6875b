#include "core/plan_decisions.h"

#include "core/plan_limits.h"
#include "core/plan_pricing.h"

namespace onecard {
namespace {

// What every decision checks first: time does not run backwards, and the history has room.
std::optional<Error> CheckAppend(const std::vector<PlanEntry>& history, Instant now) {
  if (!history.empty() && now < history.back().at) {
    return MakeError(ErrorCode::kInvalidArgument, "now",
                     "the moment is before the member's last plan change; plan changes are "
                     "recorded in time order");
  }
  if (static_cast<int64_t>(history.size()) >= limits::kPlanEntriesPerMemberMax) {
    return MakeError(ErrorCode::kLimitExceeded, "member",
                     "the member's plan holds " + std::to_string(limits::kPlanEntriesPerMemberMax) +
                         " entries, the most kept");
  }
  return std::nullopt;
}

PlanEntry NewEntry(const std::vector<PlanEntry>& history, PlanEntryKind kind, Instant now) {
  PlanEntry entry;
  entry.seq = static_cast<int64_t>(history.size()) + 1;
  entry.kind = kind;
  entry.at = now;
  return entry;
}

Error Suspended() {
  return MakeError(ErrorCode::kPlanSuspended, "member",
                   "the member's plan is suspended; an operator must reinstate it first");
}

Error Revoked() {
  return MakeError(ErrorCode::kPlanRevoked, "member",
                   "the member's plan was revoked; it cannot be bought, renewed or refunded");
}

// The charge entry priced by `basis`, if the member is eligible.
Result<PlanEntry> Charge(const ProgramConfig& config, const std::vector<PlanEntry>& history,
                         const PlanBasis& basis, PlanEntryKind kind, PlanTerm term, Instant now) {
  if (Status eligible = CheckPlanEligibility(config, basis.tier); !eligible.ok()) {
    return eligible.error();
  }
  PlanEntry entry = NewEntry(history, kind, now);
  entry.amount = PlanPriceFor(config.plan, basis.score);
  entry.score = basis.score;
  entry.publication = basis.publication;
  entry.rule_version = config.rule_version;
  entry.term = term;
  return entry;
}

}  // namespace

Result<PlanEntry> DecidePurchase(const ProgramConfig& config, const std::vector<PlanEntry>& history,
                                 const PlanBasis& basis, Instant now) {
  if (auto error = CheckAppend(history, now)) return *error;
  const PlanView view = ViewPlan(history, now);
  switch (view.status) {
    case PlanStatus::kActive:
      return MakeError(ErrorCode::kPlanActive, "member",
                       "the member's plan runs until " +
                           ProgramTime(config.utc_offset_seconds).FormatLocal(view.paid_until) +
                           "; renew it instead of buying");
    case PlanStatus::kSuspended:
      return Suspended();
    case PlanStatus::kRevoked:
      return Revoked();
    case PlanStatus::kNone:
    case PlanStatus::kExpired:
    case PlanStatus::kRefunded:
      break;
  }
  return Charge(config, history, basis, PlanEntryKind::kPurchase,
                PurchaseTerm(now, config.plan.term_days), now);
}

Result<PlanEntry> DecideRenewal(const ProgramConfig& config, const std::vector<PlanEntry>& history,
                                const PlanBasis& basis, Instant now, bool automatic) {
  if (auto error = CheckAppend(history, now)) return *error;
  const PlanView view = ViewPlan(history, now);
  switch (view.status) {
    case PlanStatus::kNone:
    case PlanStatus::kRefunded:
      return MakeError(ErrorCode::kPlanNotActive, "member",
                       "the member has no plan to renew; buy one instead");
    case PlanStatus::kSuspended:
      return Suspended();
    case PlanStatus::kRevoked:
      return Revoked();
    case PlanStatus::kActive:
    case PlanStatus::kExpired:
      break;
  }
  const int32_t days = config.plan.term_days;
  if (RenewalTooEarly(view.paid_until, now, days)) {
    return MakeError(ErrorCode::kRenewalTooEarly, "member",
                     "a renewed term is already paid ahead of the current one");
  }
  const PlanTerm term = automatic ? AutoRenewalTerm(view.paid_until, now, days)
                                  : ManualRenewalTerm(view.paid_until, now, days);
  auto entry = Charge(config, history, basis, PlanEntryKind::kRenewal, term, now);
  if (entry.ok()) entry->automatic = automatic;
  return entry;
}

Result<RefundTarget> FindRefundTarget(const std::vector<PlanEntry>& history, Instant now) {
  if (auto error = CheckAppend(history, now)) return *error;
  const PlanView view = ViewPlan(history, now);
  switch (view.status) {
    case PlanStatus::kSuspended:
      return Suspended();
    case PlanStatus::kRevoked:
      return Revoked();
    case PlanStatus::kNone:
    case PlanStatus::kExpired:
    case PlanStatus::kRefunded:
      return MakeError(ErrorCode::kPlanNotActive, "member",
                       "the member has no running term to refund");
    case PlanStatus::kActive:
      break;
  }
  RefundTarget target;
  target.charge = view.last_charge;
  ONECARD_ASSERT(target.charge != nullptr);  // an active plan has a charge that is not refunded
  target.uses_since = view.last_charge_term.start > target.charge->at ? view.last_charge_term.start
                                                                      : target.charge->at;
  return target;
}

Result<PlanEntry> DecideRefund(RefundPolicy policy, const std::vector<PlanEntry>& history,
                               const RefundTarget& target, bool benefit_used, Instant now) {
  if (auto error = CheckAppend(history, now)) return *error;
  if (policy == RefundPolicy::kNone) {
    return MakeError(ErrorCode::kRefundNotAllowed, "member",
                     "the program's refund policy is none: charges are not refunded");
  }
  if (policy == RefundPolicy::kFullIfUnused && benefit_used) {
    return MakeError(ErrorCode::kRefundNotAllowed, "member",
                     "a benefit was used in the term the last charge paid for; the refund policy "
                     "full_if_unused refunds only unused terms");
  }
  PlanEntry entry = NewEntry(history, PlanEntryKind::kRefund, now);
  entry.amount = target.charge->amount;
  entry.refunded_seq = target.charge->seq;
  entry.score = target.charge->score;
  entry.publication = target.charge->publication;
  entry.rule_version = target.charge->rule_version;
  entry.term = target.charge->term;
  return entry;
}

Result<PlanEntry> DecideSuspension(const std::vector<PlanEntry>& history, std::string_view reason,
                                   Instant now) {
  if (auto error = CheckAppend(history, now)) return *error;
  const PlanStatus status = ViewPlan(history, now).status;
  if (status == PlanStatus::kSuspended) return Suspended();
  if (status == PlanStatus::kRevoked) return Revoked();
  if (status != PlanStatus::kActive) {
    return MakeError(ErrorCode::kPlanNotActive, "member",
                     "the member's plan is " + std::string(PlanStatusName(status)) +
                         "; only a running plan can be suspended");
  }
  PlanEntry entry = NewEntry(history, PlanEntryKind::kSuspension, now);
  entry.reason = std::string(reason);
  return entry;
}

Result<PlanEntry> DecideReinstatement(const std::vector<PlanEntry>& history,
                                      std::string_view reason, Instant now) {
  if (auto error = CheckAppend(history, now)) return *error;
  const PlanStatus status = ViewPlan(history, now).status;
  if (status == PlanStatus::kRevoked) return Revoked();
  if (status != PlanStatus::kSuspended) {
    return MakeError(
        ErrorCode::kPlanNotSuspended, "member",
        "the member's plan is " + std::string(PlanStatusName(status)) + ", not suspended");
  }
  PlanEntry entry = NewEntry(history, PlanEntryKind::kReinstatement, now);
  entry.reason = std::string(reason);
  return entry;
}

Result<PlanEntry> DecideRevocation(const std::vector<PlanEntry>& history, std::string_view reason,
                                   Instant now) {
  if (auto error = CheckAppend(history, now)) return *error;
  const PlanStatus status = ViewPlan(history, now).status;
  if (status == PlanStatus::kRevoked) return Revoked();
  if (status == PlanStatus::kNone || status == PlanStatus::kRefunded) {
    return MakeError(ErrorCode::kPlanNotActive, "member",
                     "the member's plan is " + std::string(PlanStatusName(status)) +
                         "; there is nothing to revoke");
  }
  PlanEntry entry = NewEntry(history, PlanEntryKind::kRevocation, now);
  entry.reason = std::string(reason);
  return entry;
}

}  // namespace onecard
