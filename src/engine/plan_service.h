// The paid plan (PRODUCT §3) as a service: purchases, renewals (manual, and the job that renews
// what is due), refunds, suspensions, reinstatements and revocations over a PlanStore, and the
// member standing that checkout, points and drops read (MemberStandingSource).
//
// - Prices come from the config's price table by the member's latest published score at the
//   moment: the latest publication covering the member whose job ran at or before it. A member
//   never published pays the price of score 0 if the config's min_tier lets them buy (an empty
//   min_tier sells to everybody); with a min_tier they are not eligible until published.
// - Purchases, renewals and refunds carry a caller's idempotency key (per member): the same key
//   with the same request returns the original result (replayed); with another request,
//   kIdempotencyConflict. A key is stored in the transaction of its entry; a refused request
//   stores nothing, so it may be retried with the same key.
// - Refunds follow the config's refund_policy; whether a benefit was used is asked of the
//   BenefitUseLog (the benefits service).
// - Every call takes the moment (`now`) explicitly. The service is thread-safe: one mutex
//   serialises its calls. Writes check the membership's version, so that another process on the
//   same database cannot interleave; a lost race is retried (kPlanCommitAttemptsMax).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/member_standing.h"
#include "core/plan_decisions.h"
#include "core/plan_economics.h"
#include "core/plan_membership.h"
#include "core/program_config.h"
#include "engine/benefit_use_log.h"
#include "engine/member_standing_source.h"
#include "store/plan_store.h"

namespace onecard {

inline constexpr int kPlanCommitAttemptsMax = 8;

// What a purchase, renewal or refund did.
struct PlanReceipt {
  std::string member;
  PlanEntry entry;        // the entry the request recorded (the first time, for a retry)
  bool replayed = false;  // a retry with the key of an earlier request
  PlanStatus status = PlanStatus::kNone;  // the plan's status just after the entry
  Instant paid_until;
};

// A member's plan at a moment, for people and operators.
struct PlanReport {
  std::string member;
  PlanStatus status = PlanStatus::kNone;
  bool paid = false;
  bool auto_renew = false;
  std::optional<PlanTerm> term;  // the covering term, else the latest begun
  Instant paid_until;
  std::optional<PlanEntry> last_charge;  // the latest charge not refunded
  PlanBasis basis;                       // the latest publication at the moment
  Money price_now;                       // what a purchase or renewal would cost at the moment
  std::optional<Error> not_eligible;     // why the member may not buy now, if so
  std::vector<PlanEntry> history;
};

struct RenewDueOutcome {
  std::string member;
  std::optional<PlanReceipt> receipt;  // renewed
  std::optional<Error> error;          // not renewed: auto renewal was turned off (lapsed)
};

struct RenewDueReport {
  std::vector<RenewDueOutcome> outcomes;
  int64_t renewed = 0;
  int64_t lapsed = 0;
  bool more = false;  // the limit was reached: run the job again
};

class PlanService final : public MemberStandingSource {
 public:
  // `use_log` must outlive the service.
  PlanService(std::unique_ptr<PlanStore> store, ProgramConfig config, BenefitUseLog* use_log);

  const ProgramConfig& config() const { return config_; }

  // A purchase priced by the latest published score; auto_renew sets the membership's flag.
  Result<PlanReceipt> Buy(std::string_view member, std::string_view key, bool auto_renew,
                          Instant now);
  Result<PlanReceipt> Renew(std::string_view member, std::string_view key, Instant now);
  // Refunds the latest charge not refunded (core/plan_decisions.h), ending its term at once.
  Result<PlanReceipt> Refund(std::string_view member, std::string_view key, Instant now);

  // Operator actions; a suspension or revocation ends the paid plan at once.
  Result<PlanReport> Suspend(std::string_view member, std::string_view reason, Instant now);
  Result<PlanReport> Reinstate(std::string_view member, std::string_view reason, Instant now);
  Result<PlanReport> Revoke(std::string_view member, std::string_view reason, Instant now);
  // Turns automatic renewal on or off. Errors: kPlanNotActive for a member who never bought.
  Result<PlanReport> SetAutoRenew(std::string_view member, bool auto_renew, Instant now);

  Result<PlanReport> Report(std::string_view member, Instant now);

  // The renewal job: renews (automatically, core/plan_term.h) every membership with auto renewal
  // whose paid term ended at or before `now`, at most `limit` (1..kPlanRenewDueMembersMax) of
  // them, each under the key "auto-renewal:<end of the term renewed>" so that a second run never
  // charges twice. A member the rules refuse (no longer eligible, say) has auto renewal turned
  // off and is reported as lapsed; a store error or a lost race stops the job (what it renewed
  // stays renewed; a second run carries on).
  Result<RenewDueReport> RenewDue(Instant now, int64_t limit);

  // The plan's money in a program-local month, and against it what benefits cost.
  Result<PlanFees> FeesInMonth(MonthKey month);
  Result<PlanEconomics> Economics(MonthKey month);

  // MemberStandingSource. MemberStanding::term_start is the moment the member bought or renewed
  // the term (the earlier of the charge and the term's start: a renewal paid ahead was made
  // before its term began, an automatic one continues the term it renews), because
  // grandfathering compares it with a benefit's withdrawal (PRODUCT §3).
  Result<MemberStanding> Standing(std::string_view member, Instant at) override;

 private:
  using Decide = std::function<Result<PlanEntry>(const PlanMemberRecord& record)>;

  // The common path of keyed requests: replay, decide, write with the key; retried on a lost race.
  Result<PlanReceipt> Keyed(std::string_view member, std::string_view key,
                            const std::string& request, Instant now, const Decide& decide,
                            std::optional<bool> auto_renew);
  // The common path of operator actions (no key).
  Result<PlanReport> Unkeyed(std::string_view member, Instant now, const Decide& decide);
  Result<PlanReceipt> ReplayLocked(std::string_view member, const PlanKeyRecord& stored,
                                   const std::string& request);
  Result<PlanBasis> BasisLocked(std::string_view member, Instant at);
  Result<PlanReport> ReportLocked(std::string_view member, Instant now);
  Result<PlanReceipt> RenewLocked(std::string_view member, std::string_view key, Instant now,
                                  bool automatic);
  Result<PlanEntry> DecideRefundLocked(std::string_view member, const PlanMemberRecord& record,
                                       Instant now);
  Status SetAutoRenewLocked(std::string_view member, bool auto_renew, Instant now);
  // The membership row after `history` (which ends with the new entry, if any).
  PlanMembershipRow RowAfter(std::string_view member, const PlanMemberRecord& record,
                             const std::vector<PlanEntry>& history, Instant now,
                             std::optional<bool> auto_renew) const;

  std::mutex mutex_;
  std::unique_ptr<PlanStore> store_;
  ProgramConfig config_;
  ProgramTime time_;
  BenefitUseLog* use_log_;
};

}  // namespace onecard
