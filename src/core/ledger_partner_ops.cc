// Partner programs (PRODUCT §5, §4 status): a member links their partner account with consent;
// points move out at the partner's ratio with a bonus per full block, as a pending transfer that
// the partner's confirmation posts (or that is voided, returning the points, at its timeout);
// status with the partner comes with the paid plan or from a challenge of qualifying stays.
#include <algorithm>

#include "core/ledger_limits.h"
#include "core/ledger_ops.h"
#include "core/ledger_plan_builder.h"
#include "core/limits.h"

namespace onecard {

using ledger_internal::CheckCallerId;
using ledger_internal::CheckName;
using ledger_internal::CheckPoints;
using ledger_internal::Duplicate;
using ledger_internal::PlanBuilder;

namespace {

constexpr int64_t kMicrosPerHour = 3'600'000'000;
constexpr int64_t kMicrosPerDay = 86'400'000'000;

struct PartnerRef {
  uint16_t program = 0;
  const PartnerExchange* partner = nullptr;
};

Result<PartnerRef> FindPartnerOf(const Ledger& ledger, std::string_view program_id,
                                 std::string_view member, std::string_view partner_id) {
  auto program = ProgramIndex(ledger.config(), program_id);
  if (!program.ok()) return program.error();
  if (auto error =
          CheckName(member, "member", ErrorCode::kInvalidMember, limits::kMemberIdBytesMax)) {
    return *error;
  }
  const PartnerExchange* partner = FindPartner(ledger.config().programs[*program], partner_id);
  if (partner == nullptr) {
    return MakeError(
        ErrorCode::kUnknownPartner, "partner",
        "program " + std::string(program_id) + " has no partner " + QuoteInput(partner_id));
  }
  return PartnerRef{*program, partner};
}

Status RequireLink(const Ledger& ledger, const PartnerRef& ref, std::string_view member) {
  if (ledger.FindLink(ref.program, member, ref.partner->partner) == nullptr) {
    return MakeError(
        ErrorCode::kNotLinked, "member",
        "member " + QuoteInput(member) + " has not linked an account with " + ref.partner->partner);
  }
  return Status::Ok();
}

// The instant the challenge was completed (its N-th qualifying stay), if it was.
std::optional<Instant> ChallengeCompleted(const PartnerActivity& activity,
                                          const PartnerStatusRules& rules, int64_t* stays) {
  *stays = 0;
  if (!activity.challenge_started.has_value()) return std::nullopt;
  const Instant start = *activity.challenge_started;
  const Instant end{start.us + rules.challenge_window_days * kMicrosPerDay};
  std::vector<Instant> counted;
  for (Instant at : activity.stays) {
    if (at >= start && at < end) counted.push_back(at);
  }
  std::sort(counted.begin(), counted.end());
  *stays = static_cast<int64_t>(counted.size());
  if (rules.challenge_stays <= 0 || *stays < rules.challenge_stays) return std::nullopt;
  return counted[static_cast<size_t>(rules.challenge_stays) - 1];
}

}  // namespace

int64_t PartnerPoints(const PartnerExchange& partner, int64_t points) {
  return points / partner.ratio_from * partner.ratio_to;
}

int64_t PartnerBonus(const PartnerExchange& partner, int64_t points) {
  return points / partner.block_points * partner.block_bonus;
}

Result<LedgerPlan> PlanLink(const Ledger& ledger, const LinkRequest& request, Instant now) {
  auto ref = FindPartnerOf(ledger, request.program, request.member, request.partner);
  if (!ref.ok()) return ref.error();
  if (auto error = CheckName(request.partner_account, "partner_account", ErrorCode::kInvalidMember,
                             limits::kMemberIdBytesMax)) {
    return *error;
  }
  if (const LinkRecord* link = ledger.FindLink(ref->program, request.member, request.partner)) {
    if (link->partner_account == request.partner_account) return Duplicate({});
    return MakeError(ErrorCode::kAlreadyLinked, "partner_account",
                     "member " + QuoteInput(request.member) + " is linked to another " +
                         request.partner + " account");
  }
  if (!request.consent) {
    return MakeError(ErrorCode::kConsentRequired, "consent",
                     "linking a partner account needs the member's consent");
  }
  LedgerPlan plan;
  plan.records.push_back(
      LinkRecord{ref->program, request.member, request.partner, request.partner_account, now});
  return plan;
}

Result<LedgerPlan> PlanExchange(const Ledger& ledger, const ExchangeRequest& request, Instant now) {
  if (auto error = CheckCallerId(request.id, "id")) return *error;
  auto ref = FindPartnerOf(ledger, request.program, request.member, request.partner);
  if (!ref.ok()) return ref.error();
  if (auto error = CheckPoints(request.points)) return *error;
  const PartnerExchange& partner = *ref->partner;
  if (auto found = ledger.FindTransfer(request.id)) {
    const Transfer& t = ledger.transfers()[*found];
    const Account& debit = ledger.accounts()[t.debit];
    const Account& credit = ledger.accounts()[t.credit];
    if (t.kind == TransferKind::kExchange && t.phase == TransferPhase::kPending &&
        debit.program == ref->program && debit.owner == request.member &&
        credit.owner == partner.partner && t.amount == request.points) {
      LedgerPlan plan = Duplicate({*found});
      plan.outcome.points = PartnerPoints(partner, t.amount);
      plan.outcome.bonus = PartnerBonus(partner, t.amount);
      return plan;
    }
    return MakeError(ErrorCode::kIdConflict, "id",
                     "transfer " + QuoteInput(request.id) + " exists with other content");
  }
  if (Status linked = RequireLink(ledger, *ref, request.member); !linked.ok()) {
    return linked.error();
  }
  if (request.points < partner.min_points || request.points % partner.ratio_from != 0) {
    return MakeError(ErrorCode::kInvalidPoints, "points",
                     "an exchange with " + partner.partner + " moves at least " +
                         std::to_string(partner.min_points) + " points in multiples of " +
                         std::to_string(partner.ratio_from));
  }
  const auto from = ledger.FindAccount(ref->program, AccountKind::kMember, request.member);
  const int64_t available = from.has_value() ? ledger.accounts()[*from].available() : 0;
  if (available < request.points) {
    return MakeError(ErrorCode::kInsufficientPoints, "points",
                     "member " + QuoteInput(request.member) + " has " + std::to_string(available) +
                         " points available, not " + std::to_string(request.points));
  }
  PlanBuilder builder(ledger, ref->program);
  Transfer out;
  out.id = request.id;
  out.debit = *from;
  out.credit = builder.Account(AccountKind::kPartner, partner.partner);
  out.amount = request.points;
  out.kind = TransferKind::kExchange;
  out.phase = TransferPhase::kPending;
  out.timeout = Instant{now.us + partner.confirm_timeout_hours * kMicrosPerHour};
  out.on_timeout = TimeoutAction::kVoid;
  out.reference = ledger.FindLink(ref->program, request.member, partner.partner)->partner_account;
  builder.Add(std::move(out), now);
  builder.outcome().points = PartnerPoints(partner, request.points);
  builder.outcome().bonus = PartnerBonus(partner, request.points);
  return builder.Take();
}

Result<LedgerPlan> PlanStay(const Ledger& ledger, const StayRequest& request) {
  if (auto error = CheckCallerId(request.id, "id")) return *error;
  auto ref = FindPartnerOf(ledger, request.program, request.member, request.partner);
  if (!ref.ok()) return ref.error();
  if (const StayRecord* seen = ledger.FindStay(request.id)) {
    if (seen->program == ref->program && seen->member == request.member &&
        seen->partner == request.partner && seen->at == request.at) {
      return Duplicate({});
    }
    return MakeError(ErrorCode::kIdConflict, "id",
                     "stay " + QuoteInput(request.id) + " exists with other content");
  }
  if (Status linked = RequireLink(ledger, *ref, request.member); !linked.ok()) {
    return linked.error();
  }
  const PartnerActivity* activity =
      ledger.FindActivity(ref->program, request.member, request.partner);
  if (activity != nullptr &&
      static_cast<int64_t>(activity->stays.size()) >= limits::kStaysPerChallengeMax) {
    return MakeError(ErrorCode::kLimitExceeded, "member",
                     "member " + QuoteInput(request.member) + " has the most stays recorded");
  }
  LedgerPlan plan;
  plan.records.push_back(
      StayRecord{request.id, ref->program, request.member, request.partner, request.at});
  return plan;
}

Result<LedgerPlan> PlanChallenge(const Ledger& ledger, const ChallengeRequest& request,
                                 Instant now) {
  auto ref = FindPartnerOf(ledger, request.program, request.member, request.partner);
  if (!ref.ok()) return ref.error();
  const PartnerExchange& partner = *ref->partner;
  if (!partner.status.has_value() || partner.status->challenge_stays <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "partner",
                     partner.partner + " offers no status challenge");
  }
  if (Status linked = RequireLink(ledger, *ref, request.member); !linked.ok()) {
    return linked.error();
  }
  if (const PartnerActivity* activity =
          ledger.FindActivity(ref->program, request.member, request.partner)) {
    int64_t stays = 0;
    const bool completed = ChallengeCompleted(*activity, *partner.status, &stays).has_value();
    if (activity->challenge_started.has_value() && !completed &&
        now.us < activity->challenge_started->us +
                     partner.status->challenge_window_days * kMicrosPerDay) {
      return MakeError(ErrorCode::kChallengeActive, "member",
                       "member " + QuoteInput(request.member) + " is in a challenge already");
    }
  }
  LedgerPlan plan;
  plan.records.push_back(ChallengeRecord{ref->program, request.member, request.partner, now});
  return plan;
}

PartnerStatus PartnerStatusFor(const Ledger& ledger, uint16_t program,
                               const PartnerExchange& partner, std::string_view member, bool paid,
                               Instant now) {
  PartnerStatus status;
  status.linked = ledger.FindLink(program, member, partner.partner) != nullptr;
  if (!status.linked || !partner.status.has_value()) return status;
  const PartnerStatusRules& rules = *partner.status;
  status.challenge_stays_needed = rules.challenge_stays;
  if (const PartnerActivity* activity = ledger.FindActivity(program, member, partner.partner)) {
    const std::optional<Instant> completed =
        ChallengeCompleted(*activity, rules, &status.challenge_stays);
    if (activity->challenge_started.has_value()) {
      status.challenge_ends =
          Instant{activity->challenge_started->us + rules.challenge_window_days * kMicrosPerDay};
    }
    if (completed.has_value() && *completed <= now) {
      const Instant until{completed->us + rules.challenge_status_days * kMicrosPerDay};
      if (now < until) {
        status.status = rules.status;
        status.reason = "challenge";
        status.until = until;
      }
    }
  }
  if (paid && rules.paid_members) {
    status.status = rules.status;
    status.reason = "paid";
    status.until.reset();
  }
  return status;
}

}  // namespace onecard
