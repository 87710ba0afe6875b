// Earning from a purchase and taking points back on its refund (PRODUCT §5).
//
// An earning credits a lot that expires lot_lifetime_days after the purchase. While the return
// window (pending_days after the purchase) is open the earning is a pending transfer: locked, not
// spendable; the job posts it when the window closes, and then pays any debt from it first.
//
// A refund takes back the points the refunded money earned, computed again from the order's
// recorded factors on what is left of the order (so several partial refunds add up exactly).
// Inside the return window the pending earning is voided and pending again for the rest. After
// it, what is left of the order's own lot is reversed; the part already spent becomes debt that
// the next earnings settle, and the part that had expired is written off (it already left through
// the expiry account). Balances never go below zero.
#include <algorithm>

#include "core/ledger_limits.h"
#include "core/ledger_ops.h"
#include "core/ledger_plan_builder.h"
#include "core/limits.h"

namespace onecard {

using ledger_internal::CheckCallerId;
using ledger_internal::CheckLabel;
using ledger_internal::CheckName;
using ledger_internal::Duplicate;
using ledger_internal::PlanBuilder;

namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

std::optional<Error> CheckEarnRequest(const EarnRequest& request) {
  if (auto error = CheckName(request.member, "member", ErrorCode::kInvalidMember,
                             limits::kMemberIdBytesMax)) {
    return error;
  }
  if (auto error =
          CheckName(request.order, "order", ErrorCode::kInvalidOrder, limits::kOrderIdBytesMax)) {
    return error;
  }
  if (auto error = CheckLabel(request.channel, "channel")) return error;
  if (auto error = CheckLabel(request.category, "category")) return error;
  if (request.amount.minor <= 0 || request.amount.minor > limits::kEarnAmountMinorMax) {
    return MakeError(
        ErrorCode::kInvalidAmount, "amount",
        "amount must be above 0 and at most " + FormatMoney(Money{limits::kEarnAmountMinorMax}));
  }
  return std::nullopt;
}

bool SameOrder(const PointsOrderRecord& record, const EarnRequest& request) {
  return record.member == request.member && record.channel == request.channel &&
         record.category == request.category && record.amount == request.amount &&
         record.at == request.at;
}

EarnFactors FactorsOf(const PointsOrderRecord& record) {
  EarnFactors factors;
  factors.rate_ppm = record.rate_ppm;
  factors.tier_permille = record.tier_permille;
  factors.paid_permille = record.paid_permille;
  factors.campaign_permille = record.campaign_permille;
  return factors;
}

}  // namespace

Result<LedgerPlan> PlanEarn(const Ledger& ledger, const EarnRequest& request,
                            const MemberStanding& standing, Instant now) {
  auto program = ProgramIndex(ledger.config(), request.program);
  if (!program.ok()) return program.error();
  if (auto error = CheckEarnRequest(request)) return *error;
  if (const PointsOrderState* order = ledger.FindOrder(*program, request.order)) {
    if (!SameOrder(order->record, request)) {
      return MakeError(
          ErrorCode::kIdConflict, "order",
          "order " + QuoteInput(request.order) + " earned already, with other content");
    }
    LedgerPlan plan = Duplicate({});
    if (order->earn != kNoIndex) plan.outcome.transfers.push_back(order->earn);
    plan.outcome.points = order->record.points;
    return plan;
  }
  const PointsProgram& rules = ledger.config().programs[*program];
  auto factors = EarnFactorsFor(rules, request.channel, request.category, request.at, standing);
  if (!factors.ok()) return factors.error();
  const int64_t points = EarnedPoints(request.amount, *factors);
  if (points > limits::kTransferPointsMax) {
    return MakeError(ErrorCode::kLimitExceeded, "amount", "the order would earn too many points");
  }
  const auto member = ledger.FindAccount(*program, AccountKind::kMember, request.member);
  if (member.has_value() && points > 0) {
    const Account& account = ledger.accounts()[*member];
    if (static_cast<int64_t>(account.lots.size()) >= limits::kLotsPerAccountMax ||
        account.balance() + account.credits_pending > limits::kAccountPointsMax - points) {
      return MakeError(ErrorCode::kLimitExceeded, "member",
                       "member " + QuoteInput(request.member) + " holds too many lots or points");
    }
  }
  PlanBuilder builder(ledger, *program);
  builder.AddRecord(PointsOrderRecord{*program, request.member, request.order, request.channel,
                                      request.category, request.amount, request.at,
                                      factors->rate_ppm, factors->tier_permille,
                                      factors->paid_permille, factors->campaign_permille, points});
  builder.outcome().points = points;
  if (points == 0) return builder.Take();
  Transfer earn;
  earn.id = builder.UniqueId("earn:" + rules.id + ":" + request.order);
  earn.debit = builder.Account(AccountKind::kIssuing, "");
  earn.credit = builder.Account(AccountKind::kMember, request.member);
  earn.amount = points;
  earn.kind = TransferKind::kEarn;
  earn.lot_expires = Instant{request.at.us + rules.lot_lifetime_days * kMicrosPerDay};
  earn.reference = request.order;
  const Instant window_closes{request.at.us + rules.pending_days * kMicrosPerDay};
  if (window_closes > now) {
    earn.phase = TransferPhase::kPending;
    earn.timeout = window_closes;
    earn.on_timeout = TimeoutAction::kPost;
    builder.outcome().pending = true;
    builder.Add(std::move(earn), now);
    return builder.Take();
  }
  const int64_t debt = member.has_value() ? ledger.accounts()[*member].debt : 0;
  const TransferIndex index = builder.Add(earn, now);
  if (debt > 0) {
    Transfer pay;
    pay.id = builder.UniqueId("settle:" + earn.id);
    pay.debit = earn.credit;
    pay.credit = earn.debit;
    pay.amount = std::min(debt, points);
    pay.kind = TransferKind::kSettle;
    pay.lot = index;
    builder.Add(std::move(pay), now);
  }
  return builder.Take();
}

namespace {

// Inside the return window: void the pending earning and make the rest pending again.
void RepeatPending(PlanBuilder& builder, const Ledger& ledger, const PointsOrderState& order,
                   const RefundRequest& request, int64_t keep, Instant now) {
  const Transfer& pending = ledger.transfers()[order.earn];
  Transfer cancel = pending;
  cancel.id = builder.UniqueId("void:" + pending.id);
  cancel.phase = TransferPhase::kVoid;
  cancel.pending = order.earn;
  cancel.timeout = Instant{};
  cancel.on_timeout = TimeoutAction::kVoid;
  cancel.lot_expires = Instant{};
  builder.Add(std::move(cancel), now);
  if (keep == 0) return;
  Transfer rest = pending;
  rest.id = builder.UniqueId("earn:" + ledger.config().programs[order.record.program].id + ":" +
                             request.order + ":after:" + request.id);
  rest.amount = keep;
  builder.Add(std::move(rest), now);
}

}  // namespace

Result<LedgerPlan> PlanRefund(const Ledger& ledger, const RefundRequest& request, Instant now) {
  if (auto error = CheckCallerId(request.id, "id")) return *error;
  auto program = ProgramIndex(ledger.config(), request.program);
  if (!program.ok()) return program.error();
  if (auto error =
          CheckName(request.order, "order", ErrorCode::kInvalidOrder, limits::kOrderIdBytesMax)) {
    return *error;
  }
  if (request.amount.minor <= 0 || request.amount.minor > limits::kEarnAmountMinorMax) {
    return MakeError(ErrorCode::kInvalidAmount, "amount", "amount must be above 0");
  }
  if (const PointsRefundRecord* seen = ledger.FindRefund(request.id)) {
    if (seen->program == *program && seen->order == request.order &&
        seen->amount == request.amount && seen->at == request.at) {
      LedgerPlan plan = Duplicate({});
      plan.outcome.debt = seen->debt_added;
      return plan;
    }
    return MakeError(ErrorCode::kIdConflict, "id",
                     "refund " + QuoteInput(request.id) + " exists with other content");
  }
  const PointsOrderState* order = ledger.FindOrder(*program, request.order);
  if (order == nullptr) {
    return MakeError(
        ErrorCode::kUnknownOrder, "order",
        "order " + QuoteInput(request.order) + " earned nothing in " + request.program);
  }
  const Money left = order->record.amount - order->refunded;
  if (request.amount > left) {
    return MakeError(ErrorCode::kRefundExceedsOrder, "amount",
                     "only " + FormatMoney(left) + " of order " + QuoteInput(request.order) +
                         " is left to refund");
  }
  const int64_t keep = EarnedPoints(left - request.amount, FactorsOf(order->record));
  PlanBuilder builder(ledger, *program);
  PointsRefundRecord refund{request.id, *program, request.order, request.amount, request.at, 0, 0};
  if (order->earn == kNoIndex) {
    builder.AddRecord(std::move(refund));
    return builder.Take();
  }
  const Transfer& earn = ledger.transfers()[order->earn];
  const PendingState* pending = ledger.Pending(order->earn);
  if (pending != nullptr && pending->status == PendingStatus::kPending) {
    builder.outcome().points = earn.amount - keep;
    if (keep < earn.amount) RepeatPending(builder, ledger, *order, request, keep, now);
    builder.AddRecord(std::move(refund));
    return builder.Take();
  }
  const int64_t standing =
      earn.amount - order->reversed_points - order->debt_points - order->written_off_points;
  const int64_t take = std::max<int64_t>(0, standing - keep);
  const Account& member = ledger.accounts()[earn.credit];
  int64_t in_lot = 0;
  for (const Lot& lot : member.lots) {
    if (lot.origin == order->earn) in_lot = lot.remaining;
  }
  const int64_t reversed = std::min(take, in_lot);
  const int64_t expired_open = order->expired_points - order->written_off_points;
  refund.written_off = std::min(take - reversed, std::max<int64_t>(0, expired_open));
  refund.debt_added = take - reversed - refund.written_off;
  if (reversed > 0) {
    Transfer back;
    back.id = builder.UniqueId("reverse:" + request.id);
    back.debit = earn.credit;
    back.credit = earn.debit;
    back.amount = reversed;
    back.kind = TransferKind::kReverse;
    back.lot = order->earn;
    back.reference = request.order;
    builder.Add(std::move(back), now);
  }
  builder.outcome().points = take;
  builder.outcome().debt = refund.debt_added;
  builder.AddRecord(std::move(refund));
  return builder.Take();
}

}  // namespace onecard
