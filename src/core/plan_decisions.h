// The paid plan's rules as decisions: given a member's history, what their latest publication says
// and the moment, each function returns the entry to record — or the error that refuses the
// request, in which case nothing is recorded. The engine stores the entry (engine/plan_service.h).
//
// Every decision refuses a moment before the member's last entry (kInvalidArgument, field "now"):
// the history is kept in time order, so that a fold at any moment is well defined.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan_membership.h"
#include "core/program_config.h"
#include "core/result.h"

namespace onecard {

// What the member's latest publication at the moment says: the score and tier a price and the
// eligibility are based on. No publication: score 0 and an empty tier.
struct PlanBasis {
  std::optional<MonthKey> publication;
  int64_t score = 0;
  std::string tier;
};

// A purchase: from none, expired or refunded. Errors: kPlanActive, kPlanSuspended, kPlanRevoked,
// kNotEligible, kLimitExceeded.
Result<PlanEntry> DecidePurchase(const ProgramConfig& config, const std::vector<PlanEntry>& history,
                                 const PlanBasis& basis, Instant now);

// A renewal, manual or automatic (core/plan_term.h): from active or expired. Errors:
// kPlanNotActive (none or refunded: buy instead), kPlanSuspended, kPlanRevoked,
// kRenewalTooEarly, kNotEligible, kLimitExceeded.
Result<PlanEntry> DecideRenewal(const ProgramConfig& config, const std::vector<PlanEntry>& history,
                                const PlanBasis& basis, Instant now, bool automatic);

// A refund is decided in two steps, because whether a benefit was used is asked of the benefits
// service between them.
struct RefundTarget {
  const PlanEntry* charge = nullptr;  // the latest charge not refunded; points into the history
  // Benefit use at or after this moment blocks a full_if_unused refund: the start of the term the
  // charge paid for, or the charge itself if later (an automatic renewal continues an ended term).
  Instant uses_since;
};
// Errors: kPlanNotActive (nothing running to refund), kPlanSuspended, kPlanRevoked.
Result<RefundTarget> FindRefundTarget(const std::vector<PlanEntry>& history, Instant now);
// The refund entry under the policy. Errors: kRefundNotAllowed, kLimitExceeded.
Result<PlanEntry> DecideRefund(RefundPolicy policy, const std::vector<PlanEntry>& history,
                               const RefundTarget& target, bool benefit_used, Instant now);

// Operator actions. Suspension: from active (kPlanNotActive otherwise; kPlanSuspended,
// kPlanRevoked). Reinstatement: from suspended (kPlanNotSuspended; kPlanRevoked). Revocation:
// from active, expired or suspended (kPlanNotActive for none or refunded; kPlanRevoked).
Result<PlanEntry> DecideSuspension(const std::vector<PlanEntry>& history, std::string_view reason,
                                   Instant now);
Result<PlanEntry> DecideReinstatement(const std::vector<PlanEntry>& history,
                                      std::string_view reason, Instant now);
Result<PlanEntry> DecideRevocation(const std::vector<PlanEntry>& history, std::string_view reason,
                                   Instant now);

}  // namespace onecard
