#include "engine/plan_service.h"

#include <utility>

#include "core/plan_limits.h"
#include "core/plan_pricing.h"
#include "core/plan_request.h"

namespace onecard {
namespace {

// The request a key stands for: what was asked, not when (a retry comes later).
std::string PurchaseRequest(bool auto_renew) {
  return auto_renew ? "purchase auto_renew" : "purchase";
}
constexpr std::string_view kRenewalRequest = "renewal";
constexpr std::string_view kAutoRenewalRequest = "renewal automatic";
constexpr std::string_view kRefundRequest = "refund";

std::string AutoRenewalKey(Instant paid_until) {
  return "auto-renewal:" + std::to_string(paid_until.us);
}

// Errors that stop the renewal job instead of lapsing the member: the store failed, or other
// writers kept changing the membership. The next run meets the member again.
bool StopsTheJob(const Error& error) {
  return error.code == ErrorCode::kStoreError || error.code == ErrorCode::kCorruptState ||
         error.code == ErrorCode::kIoError || error.code == ErrorCode::kConcurrentUpdate;
}

}  // namespace

PlanService::PlanService(std::unique_ptr<PlanStore> store, ProgramConfig config,
                         BenefitUseLog* use_log)
    : store_(std::move(store)),
      config_(std::move(config)),
      time_(config_.utc_offset_seconds),
      use_log_(use_log) {}

Result<PlanBasis> PlanService::BasisLocked(std::string_view member, Instant at) {
  auto published = store_->LatestPublishedScore(member, at);
  if (!published.ok()) return published.error();
  PlanBasis basis;
  if (published->has_value()) {
    basis.publication = (*published)->month;
    basis.score = (*published)->score;
    basis.tier = (*published)->tier;
  }
  return basis;
}

PlanMembershipRow PlanService::RowAfter(std::string_view member, const PlanMemberRecord& record,
                                        const std::vector<PlanEntry>& history, Instant now,
                                        std::optional<bool> auto_renew) const {
  const PlanView view = ViewPlan(history, now);
  PlanMembershipRow row;
  row.member = std::string(member);
  row.status = view.status;
  row.paid_until = view.paid_until;
  row.auto_renew = auto_renew.value_or(record.membership && record.membership->auto_renew);
  row.entries = static_cast<int64_t>(history.size());
  row.updated_at = now;
  return row;
}

Result<PlanReceipt> PlanService::ReplayLocked(std::string_view member, const PlanKeyRecord& stored,
                                              const std::string& request) {
  if (stored.request != request) {
    return MakeError(ErrorCode::kIdempotencyConflict, "key",
                     "this key was used for another request (" + stored.request + ")");
  }
  auto record = store_->LoadMember(member);
  if (!record.ok()) return record.error();
  const std::vector<PlanEntry>& history = record->history;
  if (stored.seq < 1 || stored.seq > static_cast<int64_t>(history.size())) {
    return MakeError(ErrorCode::kCorruptState, "key",
                     "a stored key names an entry that is missing");
  }
  PlanReceipt receipt;
  receipt.member = std::string(member);
  receipt.entry = history[static_cast<size_t>(stored.seq - 1)];
  receipt.replayed = true;
  // The status the entry left, as the first answer gave it.
  const PlanView view = ViewPlan(
      std::vector<PlanEntry>(history.begin(), history.begin() + stored.seq), receipt.entry.at);
  receipt.status = view.status;
  receipt.paid_until = view.paid_until;
  return receipt;
}

Result<PlanReceipt> PlanService::Keyed(std::string_view member, std::string_view key,
                                       const std::string& request, Instant now,
                                       const Decide& decide, std::optional<bool> auto_renew) {
  if (auto error = CheckPlanMember(member)) return *error;
  if (auto error = CheckPlanKey(key)) return *error;
  for (int attempt = 0; attempt < kPlanCommitAttemptsMax; ++attempt) {
    auto stored = store_->FindKey(member, key);
    if (!stored.ok()) return stored.error();
    if (stored->has_value()) return ReplayLocked(member, **stored, request);
    auto record = store_->LoadMember(member);
    if (!record.ok()) return record.error();
    auto entry = decide(*record);
    if (!entry.ok()) return entry.error();
    std::vector<PlanEntry> history = record->history;
    history.push_back(*entry);
    PlanWrite write;
    write.expected_version = record->membership ? record->membership->version : 0;
    write.membership = RowAfter(member, *record, history, now, auto_renew);
    write.entry = *entry;
    write.key = std::string(key);
    write.request = request;
    Status committed = store_->Commit(write);
    if (committed.ok()) {
      return PlanReceipt{std::string(member), *entry, false, write.membership.status,
                         write.membership.paid_until};
    }
    if (committed.error().code != ErrorCode::kConcurrentUpdate) return committed.error();
  }
  return MakeError(ErrorCode::kConcurrentUpdate, "member",
                   "the member's plan kept changing under the request; retry it");
}

Result<PlanReport> PlanService::Unkeyed(std::string_view member, Instant now,
                                        const Decide& decide) {
  if (auto error = CheckPlanMember(member)) return *error;
  for (int attempt = 0; attempt < kPlanCommitAttemptsMax; ++attempt) {
    auto record = store_->LoadMember(member);
    if (!record.ok()) return record.error();
    auto entry = decide(*record);
    if (!entry.ok()) return entry.error();
    std::vector<PlanEntry> history = record->history;
    history.push_back(*entry);
    PlanWrite write;
    write.expected_version = record->membership ? record->membership->version : 0;
    write.membership = RowAfter(member, *record, history, now, std::nullopt);
    write.entry = *entry;
    Status committed = store_->Commit(write);
    if (committed.ok()) return ReportLocked(member, now);
    if (committed.error().code != ErrorCode::kConcurrentUpdate) return committed.error();
  }
  return MakeError(ErrorCode::kConcurrentUpdate, "member",
                   "the member's plan kept changing under the request; retry it");
}

Result<PlanReceipt> PlanService::Buy(std::string_view member, std::string_view key, bool auto_renew,
                                     Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return Keyed(
      member, key, PurchaseRequest(auto_renew), now,
      [&](const PlanMemberRecord& record) -> Result<PlanEntry> {
        auto basis = BasisLocked(member, now);
        if (!basis.ok()) return basis.error();
        return DecidePurchase(config_, record.history, *basis, now);
      },
      auto_renew);
}

Result<PlanReceipt> PlanService::RenewLocked(std::string_view member, std::string_view key,
                                             Instant now, bool automatic) {
  const std::string request(automatic ? kAutoRenewalRequest : kRenewalRequest);
  return Keyed(
      member, key, request, now,
      [&](const PlanMemberRecord& record) -> Result<PlanEntry> {
        auto basis = BasisLocked(member, now);
        if (!basis.ok()) return basis.error();
        return DecideRenewal(config_, record.history, *basis, now, automatic);
      },
      std::nullopt);
}

Result<PlanReceipt> PlanService::Renew(std::string_view member, std::string_view key, Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return RenewLocked(member, key, now, /*automatic=*/false);
}

Result<PlanEntry> PlanService::DecideRefundLocked(std::string_view member,
                                                  const PlanMemberRecord& record, Instant now) {
  auto target = FindRefundTarget(record.history, now);
  if (!target.ok()) return target.error();
  bool used = false;
  if (config_.plan.refund_policy == RefundPolicy::kFullIfUnused) {
    auto any = use_log_->AnyUseSince(member, target->uses_since);
    if (!any.ok()) return any.error();
    used = *any;
  }
  return DecideRefund(config_.plan.refund_policy, record.history, *target, used, now);
}

Result<PlanReceipt> PlanService::Refund(std::string_view member, std::string_view key,
                                        Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return Keyed(
      member, key, std::string(kRefundRequest), now,
      [&](const PlanMemberRecord& record) { return DecideRefundLocked(member, record, now); },
      std::nullopt);
}

Result<PlanReport> PlanService::Suspend(std::string_view member, std::string_view reason,
                                        Instant now) {
  if (auto error = CheckPlanReason(reason)) return *error;
  std::lock_guard<std::mutex> lock(mutex_);
  return Unkeyed(member, now, [&](const PlanMemberRecord& record) {
    return DecideSuspension(record.history, reason, now);
  });
}

Result<PlanReport> PlanService::Reinstate(std::string_view member, std::string_view reason,
                                          Instant now) {
  if (auto error = CheckPlanReason(reason)) return *error;
  std::lock_guard<std::mutex> lock(mutex_);
  return Unkeyed(member, now, [&](const PlanMemberRecord& record) {
    return DecideReinstatement(record.history, reason, now);
  });
}

Result<PlanReport> PlanService::Revoke(std::string_view member, std::string_view reason,
                                       Instant now) {
  if (auto error = CheckPlanReason(reason)) return *error;
  std::lock_guard<std::mutex> lock(mutex_);
  return Unkeyed(member, now, [&](const PlanMemberRecord& record) {
    return DecideRevocation(record.history, reason, now);
  });
}

Status PlanService::SetAutoRenewLocked(std::string_view member, bool auto_renew, Instant now) {
  for (int attempt = 0; attempt < kPlanCommitAttemptsMax; ++attempt) {
    auto record = store_->LoadMember(member);
    if (!record.ok()) return record.error();
    if (!record->membership.has_value()) {
      return MakeError(ErrorCode::kPlanNotActive, "member", "the member has never bought the plan");
    }
    if (!record->history.empty() && now < record->history.back().at) {
      return MakeError(ErrorCode::kInvalidArgument, "now",
                       "the moment is before the member's last plan change");
    }
    PlanWrite write;
    write.expected_version = record->membership->version;
    write.membership = RowAfter(member, *record, record->history, now, auto_renew);
    Status committed = store_->Commit(write);
    if (committed.ok() || committed.error().code != ErrorCode::kConcurrentUpdate) {
      return committed;
    }
  }
  return MakeError(ErrorCode::kConcurrentUpdate, "member",
                   "the member's plan kept changing under the request; retry it");
}

Result<PlanReport> PlanService::SetAutoRenew(std::string_view member, bool auto_renew,
                                             Instant now) {
  if (auto error = CheckPlanMember(member)) return *error;
  std::lock_guard<std::mutex> lock(mutex_);
  if (Status set = SetAutoRenewLocked(member, auto_renew, now); !set.ok()) return set.error();
  return ReportLocked(member, now);
}

Result<PlanReport> PlanService::ReportLocked(std::string_view member, Instant now) {
  auto record = store_->LoadMember(member);
  if (!record.ok()) return record.error();
  auto basis = BasisLocked(member, now);
  if (!basis.ok()) return basis.error();
  PlanReport report;
  report.member = std::string(member);
  report.history = std::move(record->history);
  const PlanView view = ViewPlan(report.history, now);
  report.status = view.status;
  report.paid = view.paid;
  report.auto_renew = record->membership && record->membership->auto_renew;
  if (view.term.has_value()) report.term = view.term->term;
  report.paid_until = view.paid_until;
  if (view.last_charge != nullptr) report.last_charge = *view.last_charge;
  report.basis = *basis;
  report.price_now = PlanPriceFor(config_.plan, basis->score);
  if (Status eligible = CheckPlanEligibility(config_, basis->tier); !eligible.ok()) {
    report.not_eligible = eligible.error();
  }
  return report;
}

Result<PlanReport> PlanService::Report(std::string_view member, Instant now) {
  if (auto error = CheckPlanMember(member)) return *error;
  std::lock_guard<std::mutex> lock(mutex_);
  return ReportLocked(member, now);
}

Result<RenewDueReport> PlanService::RenewDue(Instant now, int64_t limit) {
  if (limit < 1 || limit > limits::kPlanRenewDueMembersMax) {
    return MakeError(ErrorCode::kInvalidArgument, "limit",
                     "limit must be from 1 to " + std::to_string(limits::kPlanRenewDueMembersMax));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto due = store_->MembersDueForRenewal(now, limit);
  if (!due.ok()) return due.error();
  RenewDueReport report;
  report.more = static_cast<int64_t>(due->size()) == limit;
  for (const std::string& member : *due) {
    auto record = store_->LoadMember(member);
    if (!record.ok()) return record.error();
    const Instant paid_until = ViewPlan(record->history, now).paid_until;
    auto renewed = RenewLocked(member, AutoRenewalKey(paid_until), now, /*automatic=*/true);
    RenewDueOutcome outcome;
    outcome.member = member;
    if (renewed.ok()) {
      outcome.receipt = std::move(renewed).value();
      ++report.renewed;
    } else if (StopsTheJob(renewed.error())) {
      return renewed.error();
    } else {
      // Refused by the rules: stop renewing automatically, so the job does not meet it again.
      if (Status off = SetAutoRenewLocked(member, false, now); !off.ok()) return off.error();
      outcome.error = renewed.error();
      ++report.lapsed;
    }
    report.outcomes.push_back(std::move(outcome));
  }
  return report;
}

Result<PlanFees> PlanService::FeesInMonth(MonthKey month) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_->FeesBetween(time_.StartOfLocalDay(month, 1),
                             time_.StartOfLocalDay(month.plus(1), 1));
}

Result<PlanEconomics> PlanService::Economics(MonthKey month) {
  auto fees = FeesInMonth(month);
  if (!fees.ok()) return fees.error();
  auto cost = use_log_->CostInMonth(month);
  if (!cost.ok()) return cost.error();
  return ComputePlanEconomics(month, *fees, PlanSubsidy{cost->cost, cost->uses, cost->members});
}

Result<MemberStanding> PlanService::Standing(std::string_view member, Instant at) {
  if (auto error = CheckPlanMember(member)) return *error;
  std::lock_guard<std::mutex> lock(mutex_);
  auto basis = BasisLocked(member, at);
  if (!basis.ok()) return basis.error();
  auto record = store_->LoadMember(member);
  if (!record.ok()) return record.error();
  const PlanView view = ViewPlan(record->history, at);
  MemberStanding standing;
  standing.member = std::string(member);
  standing.publication = basis->publication;
  standing.score = basis->score;
  standing.tier = basis->tier;
  standing.paid = view.paid;
  if (view.term.has_value()) {
    const Instant bought = view.term->charge->at;
    standing.term_start = bought < view.term->term.start ? bought : view.term->term.start;
    standing.term_end = view.term->term.end;
  }
  return standing;
}

}  // namespace onecard
