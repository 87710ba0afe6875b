// Transfers, redemptions, holds and their settlement, and the ledger's job (timeouts, expiry).
#include "core/ledger_ops.h"

#include <algorithm>

#include "core/ledger_limits.h"
#include "core/ledger_plan_builder.h"
#include "core/limits.h"

namespace onecard {

using ledger_internal::CheckCallerId;
using ledger_internal::CheckName;
using ledger_internal::CheckPoints;
using ledger_internal::Duplicate;
using ledger_internal::PlanBuilder;

namespace {

constexpr int64_t kMicrosPerMinute = 60'000'000;

// Whether the stored transfer says what the request says.
bool SameTransfer(const Ledger& ledger, const Transfer& t, const TransferRequest& request,
                  uint16_t program) {
  const Account& debit = ledger.accounts()[t.debit];
  const Account& credit = ledger.accounts()[t.credit];
  const TransferPhase phase = request.pending ? TransferPhase::kPending : TransferPhase::kPosted;
  // Both branches string_views: `cond ? request.to : ""` would be a temporary std::string.
  const std::string_view to =
      request.kind == TransferKind::kTransfer ? std::string_view(request.to) : std::string_view();
  return t.kind == request.kind && t.phase == phase && debit.program == program &&
         debit.owner == request.from && credit.owner == to && t.amount == request.points;
}

std::optional<Error> CheckTransferRequest(const TransferRequest& request) {
  if (auto error = CheckCallerId(request.id, "id")) return error;
  if (request.kind != TransferKind::kTransfer && request.kind != TransferKind::kRedeem) {
    return MakeError(ErrorCode::kInvalidArgument, "kind", "only transfers and redemptions");
  }
  if (auto error =
          CheckName(request.from, "from", ErrorCode::kInvalidMember, limits::kMemberIdBytesMax)) {
    return error;
  }
  if (request.kind == TransferKind::kTransfer) {
    if (auto error =
            CheckName(request.to, "to", ErrorCode::kInvalidMember, limits::kMemberIdBytesMax)) {
      return error;
    }
  } else if (!request.to.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "to", "a redemption goes to no member");
  }
  return CheckPoints(request.points);
}

// How many lots a debit of `points` from the account would take (earliest-expiring first).
int64_t LotsTaken(const Account& account, int64_t points) {
  int64_t lots = 0;
  for (const Lot& lot : account.lots) {
    if (points <= 0) break;
    points -= lot.remaining;
    ++lots;
  }
  return lots;
}

Error Insufficient(std::string_view member, int64_t available, int64_t points) {
  return MakeError(ErrorCode::kInsufficientPoints, "points",
                   "member " + QuoteInput(member) + " has " + std::to_string(available) +
                       " points available, not " + std::to_string(points));
}

}  // namespace

Result<uint16_t> ProgramIndex(const PointsConfig& config, std::string_view id) {
  for (size_t i = 0; i < config.programs.size(); ++i) {
    if (config.programs[i].id == id) return static_cast<uint16_t>(i);
  }
  return MakeError(ErrorCode::kUnknownProgram, "program",
                   "there is no points program " + QuoteInput(id));
}

Result<LedgerPlan> PlanTransfer(const Ledger& ledger, const TransferRequest& request, Instant now) {
  if (auto error = CheckTransferRequest(request)) return *error;
  auto program = ProgramIndex(ledger.config(), request.program);
  if (!program.ok()) return program.error();
  if (auto found = ledger.FindTransfer(request.id)) {
    if (SameTransfer(ledger, ledger.transfers()[*found], request, *program)) {
      return Duplicate({*found});
    }
    return MakeError(ErrorCode::kIdConflict, "id",
                     "transfer " + QuoteInput(request.id) + " exists with other content");
  }
  if (request.kind == TransferKind::kTransfer && request.from == request.to) {
    return MakeError(ErrorCode::kSameAccount, "to", "a member cannot transfer to themselves");
  }
  const auto from = ledger.FindAccount(*program, AccountKind::kMember, request.from);
  const Account* source = from.has_value() ? &ledger.accounts()[*from] : nullptr;
  const int64_t available = source != nullptr ? source->available() : 0;
  if (available < request.points) return Insufficient(request.from, available, request.points);
  PlanBuilder builder(ledger, *program);
  Transfer transfer;
  transfer.id = request.id;
  transfer.kind = request.kind;
  transfer.amount = request.points;
  transfer.debit = *from;
  if (request.kind == TransferKind::kTransfer) {
    const auto to = ledger.FindAccount(*program, AccountKind::kMember, request.to);
    const int64_t lots =
        to.has_value() ? static_cast<int64_t>(ledger.accounts()[*to].lots.size()) : 0;
    if (lots + LotsTaken(*source, request.points) > limits::kLotsPerAccountMax) {
      return MakeError(ErrorCode::kLimitExceeded, "to",
                       "member " + QuoteInput(request.to) + " would hold more than " +
                           std::to_string(limits::kLotsPerAccountMax) + " lots");
    }
    if (to.has_value() &&
        ledger.accounts()[*to].balance() > limits::kAccountPointsMax - request.points) {
      return MakeError(ErrorCode::kLimitExceeded, "points", "the balance would pass its limit");
    }
    transfer.credit = builder.Account(AccountKind::kMember, request.to);
  } else {
    transfer.credit = builder.Account(AccountKind::kIssuing, "");
  }
  if (request.pending) {
    const PointsProgram& rules = ledger.config().programs[*program];
    transfer.phase = TransferPhase::kPending;
    transfer.timeout = Instant{now.us + rules.hold_timeout_minutes * kMicrosPerMinute};
    transfer.on_timeout = TimeoutAction::kVoid;
  }
  builder.Add(std::move(transfer), now);
  return builder.Take();
}

Result<LedgerPlan> PlanSettle(const Ledger& ledger, const SettleRequest& request, Instant now) {
  if (auto error = CheckCallerId(request.id, "id")) return *error;
  if (auto error = CheckName(request.pending_id, "pending", ErrorCode::kInvalidId,
                             limits::kTransferIdBytesMax)) {
    return *error;
  }
  const auto pending = ledger.FindTransfer(request.pending_id);
  if (!pending.has_value()) {
    return MakeError(ErrorCode::kUnknownTransfer, "pending",
                     "there is no transfer " + QuoteInput(request.pending_id));
  }
  const TransferPhase phase = request.post ? TransferPhase::kPost : TransferPhase::kVoid;
  if (auto found = ledger.FindTransfer(request.id)) {
    const Transfer& t = ledger.transfers()[*found];
    if (t.phase == phase && t.pending == *pending && t.reference == request.reference) {
      return Duplicate({*found});
    }
    return MakeError(ErrorCode::kIdConflict, "id",
                     "transfer " + QuoteInput(request.id) + " exists with other content");
  }
  const Transfer& p = ledger.transfers()[*pending];
  const PendingState* state = ledger.Pending(*pending);
  if (p.phase != TransferPhase::kPending || state == nullptr) {
    return MakeError(ErrorCode::kNotPending, "pending",
                     "transfer " + QuoteInput(request.pending_id) + " is not pending");
  }
  if (p.kind == TransferKind::kEarn) {
    return MakeError(ErrorCode::kNotPending, "pending",
                     "pending earnings post when the return window closes, not by request");
  }
  if (state->status == PendingStatus::kPosted) {
    return MakeError(ErrorCode::kAlreadyPosted, "pending",
                     "transfer " + QuoteInput(request.pending_id) + " was posted already");
  }
  if (state->status == PendingStatus::kVoided) {
    return MakeError(ErrorCode::kAlreadyVoided, "pending",
                     "transfer " + QuoteInput(request.pending_id) + " was voided already");
  }
  if (request.post && now >= p.timeout) {
    return MakeError(ErrorCode::kPendingTimedOut, "pending",
                     "transfer " + QuoteInput(request.pending_id) + " timed out");
  }
  if (request.post && p.kind == TransferKind::kExchange) {
    if (auto error = CheckName(request.reference, "confirmation", ErrorCode::kMissingField,
                               limits::kReferenceBytesMax)) {
      return *error;
    }
  } else if (!request.reference.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "confirmation",
                     "only a posted exchange carries a partner's confirmation");
  }
  PlanBuilder builder(ledger, ledger.accounts()[p.debit].program);
  Transfer settle = p;
  settle.id = request.id;
  settle.phase = phase;
  settle.pending = *pending;
  settle.timeout = Instant{};
  settle.on_timeout = TimeoutAction::kVoid;
  settle.lot_expires = Instant{};
  settle.reference = request.reference;
  builder.Add(std::move(settle), now);
  return builder.Take();
}

namespace {

LedgerPlan TimeoutStep(const Ledger& ledger, TransferIndex index, Instant now) {
  const Transfer& p = ledger.transfers()[index];
  const Account& credit = ledger.accounts()[p.credit];
  PlanBuilder builder(ledger, credit.program);
  Transfer settle = p;
  settle.id = builder.UniqueId("timeout:" + p.id);
  settle.phase = p.on_timeout == TimeoutAction::kPost ? TransferPhase::kPost : TransferPhase::kVoid;
  settle.pending = index;
  settle.timeout = Instant{};
  settle.on_timeout = TimeoutAction::kVoid;
  settle.lot_expires = Instant{};
  const bool posts_earning = settle.phase == TransferPhase::kPost && p.kind == TransferKind::kEarn;
  builder.Add(std::move(settle), now);
  if (posts_earning && credit.debt > 0) {
    // The new lot pays the member's debt from earlier reversals first.
    Transfer pay;
    pay.id = builder.UniqueId("settle:" + p.id);
    pay.debit = p.credit;
    pay.credit = p.debit;
    pay.amount = std::min(credit.debt, p.amount);
    pay.kind = TransferKind::kSettle;
    pay.lot = index;
    builder.Add(std::move(pay), now);
  }
  return builder.Take();
}

LedgerPlan ExpireStep(const Ledger& ledger, AccountIndex index, Instant now) {
  const Account& account = ledger.accounts()[index];
  PlanBuilder builder(ledger, account.program);
  int64_t expired = 0;
  for (const Lot& lot : account.lots) {
    if (lot.expires > now) break;
    expired += lot.remaining;
  }
  Transfer expire;
  expire.id = builder.UniqueId("expire:" + account.owner + ":" + std::to_string(now.us));
  expire.debit = index;
  expire.credit = builder.Account(AccountKind::kExpiry, "");
  expire.amount = expired;  // the earliest-expiring lots first: exactly the expired ones
  expire.kind = TransferKind::kExpire;
  builder.Add(std::move(expire), now);
  return builder.Take();
}

}  // namespace

std::optional<LedgerPlan> PlanJobStep(const Ledger& ledger, Instant now) {
  const auto& pendings = ledger.open_pendings();
  if (!pendings.empty() && pendings.begin()->first.first <= now.us) {
    return TimeoutStep(ledger, pendings.begin()->second, now);
  }
  const auto& lots = ledger.lot_queue();
  if (!lots.empty() && lots.begin()->first.first <= now.us) {
    return ExpireStep(ledger, lots.begin()->second, now);
  }
  return std::nullopt;
}

std::vector<ExpiryWarning> ExpiryWarnings(const Ledger& ledger, uint16_t program, Instant now) {
  constexpr int64_t kMicrosPerDay = 86'400'000'000;
  const int64_t horizon =
      now.us + ledger.config().programs[program].expiry_warning_days * kMicrosPerDay;
  std::vector<ExpiryWarning> warnings;
  for (const auto& [key, index] : ledger.lot_queue()) {
    if (key.first > horizon) break;
    const Account& account = ledger.accounts()[index];
    if (account.program != program) continue;
    ExpiryWarning warning;
    warning.member = account.owner;
    for (const Lot& lot : account.lots) {
      if (lot.expires.us > horizon) break;
      if (lot.expires <= now) continue;  // already due: the job expires it, no warning
      if (warning.points == 0) warning.first_expiry = lot.expires;
      warning.points += lot.remaining;
    }
    if (warning.points > 0) warnings.push_back(std::move(warning));
  }
  std::sort(warnings.begin(), warnings.end(),
            [](const ExpiryWarning& a, const ExpiryWarning& b) { return a.member < b.member; });
  return warnings;
}

}  // namespace onecard
