// Subscription grants (PRODUCT §4): one activation per member, benefit and paid term, fulfilled by
// the partner. The fulfilment record is written (pending) before the partner is asked, and the
// partner is always asked with the same identity, so a retry — by the member, by the job, or after
// a crash between the two — never activates twice.
#include "core/checkout_limits.h"
#include "engine/checkout_budget.h"
#include "engine/checkout_service.h"

namespace onecard {
namespace {

Result<int32_t> SubscriptionIndex(const BenefitCatalog& catalog, std::string_view benefit) {
  const int32_t index = catalog.FindBenefit(benefit);
  if (index < 0) {
    return MakeError(ErrorCode::kUnknownBenefit, "benefit",
                     "no benefit " + QuoteInput(benefit) + " in the catalogue");
  }
  if (catalog.benefits[static_cast<size_t>(index)].kind != BenefitKind::kSubscription) {
    return MakeError(ErrorCode::kNotCheckoutBenefit, "benefit",
                     QuoteInput(benefit) + " is not a subscription");
  }
  return index;
}

}  // namespace

void CheckoutService::SettleBudgets(const std::vector<BudgetShardDelta>& deltas, bool written) {
  std::lock_guard budget_lock(budgets_->mutex());
  for (const BudgetShardDelta& delta : deltas) budgets_->Settle(delta, written);
}

Result<Fulfilment> CheckoutService::AskPartner(Fulfilment fulfilment, Instant now) {
  if (gateway_ == nullptr) return fulfilment;  // the partner confirms through ConfirmFulfilment
  Result<std::string> answer = gateway_->Activate(fulfilment);
  ++fulfilment.attempts;
  std::vector<BudgetShardDelta> deltas;
  if (answer.ok()) {
    fulfilment.status = FulfilmentStatus::kConfirmed;
    fulfilment.confirmation = *answer;
    fulfilment.confirmed_at = now;
    fulfilment.last_error.clear();
  } else {
    fulfilment.last_error = answer.error().ToString().substr(0, 256);
    if (fulfilment.attempts >= checkout_limits::kFulfilmentAttemptsMax) {
      fulfilment.status = FulfilmentStatus::kFailed;
      const int32_t index = config_.benefits.FindBenefit(fulfilment.benefit);
      if (index >= 0)
        deltas = GiveBack(index, fulfilment.month, fulfilment.member, fulfilment.cost);
    }
  }
  const Status saved = store_->UpdateFulfilment(fulfilment, deltas);
  SettleBudgets(deltas, saved.ok());
  if (!saved.ok()) return saved.error();
  return fulfilment;
}

Result<Fulfilment> CheckoutService::ActivateSubscription(std::string_view member,
                                                         std::string_view benefit, Instant now) {
  auto index = SubscriptionIndex(config_.benefits, benefit);
  if (!index.ok()) return index.error();
  auto standing = standing_->Standing(member, now);
  if (!standing.ok()) return standing.error();
  const Benefit& rule = config_.benefits.benefits[static_cast<size_t>(*index)];
  const Availability availability =
      CheckAvailability(rule, TierRank(config_.tiers, standing->tier), *standing, now);
  if (availability != Availability::kAvailable || !standing->term_start.has_value()) {
    return MakeError(ErrorCode::kNotEligible, "benefit",
                     "member " + QuoteInput(member) + " may not have " + QuoteInput(benefit) +
                         " now: " + std::string(AvailabilityName(availability)));
  }
  std::lock_guard lock(fulfilment_mu_);
  auto existing = store_->LoadFulfilment(member, benefit, standing->term_start->us);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) {
    if ((*existing)->status != FulfilmentStatus::kPending) return **existing;
    return AskPartner(std::move(**existing), now);
  }
  Fulfilment fulfilment;
  fulfilment.member = std::string(member);
  fulfilment.benefit = std::string(benefit);
  fulfilment.term_start_us = standing->term_start->us;
  fulfilment.requested_at = now;
  fulfilment.month = time_.MonthOf(now);
  fulfilment.cost = rule.cost.per_use;
  std::vector<BudgetTake> takes;
  {
    std::lock_guard budget_lock(budgets_->mutex());
    if (!budgets_->TryTake(*index, fulfilment.month, HomeShard(member), fulfilment.cost.minor,
                           &takes)) {
      return MakeError(ErrorCode::kNotEligible, "benefit",
                       "the budget of " + QuoteInput(benefit) + " is exhausted");
    }
  }
  std::vector<BudgetShardDelta> deltas;
  for (const BudgetTake& take : takes) deltas.push_back(budgets_->Delta(take));
  const Status inserted = store_->InsertFulfilment(fulfilment, deltas);
  SettleBudgets(deltas, inserted.ok());
  if (!inserted.ok()) return inserted.error();
  return AskPartner(std::move(fulfilment), now);
}

Result<Fulfilment> CheckoutService::ConfirmFulfilment(std::string_view member,
                                                      std::string_view benefit,
                                                      std::string_view confirmation, Instant now) {
  if (confirmation.empty() ||
      static_cast<int64_t>(confirmation.size()) > checkout_limits::kTextBytesMax) {
    return MakeError(ErrorCode::kInvalidArgument, "confirmation",
                     "the partner's confirmation id must be 1 to 128 bytes");
  }
  auto index = SubscriptionIndex(config_.benefits, benefit);
  if (!index.ok()) return index.error();
  auto standing = standing_->Standing(member, now);
  if (!standing.ok()) return standing.error();
  const Error unknown = MakeError(ErrorCode::kUnknownFulfilment, "benefit",
                                  "member " + QuoteInput(member) + " has no activation of " +
                                      QuoteInput(benefit) + " in the current term");
  if (!standing->term_start.has_value()) return unknown;
  std::lock_guard lock(fulfilment_mu_);
  auto existing = store_->LoadFulfilment(member, benefit, standing->term_start->us);
  if (!existing.ok()) return existing.error();
  if (!existing->has_value()) return unknown;
  Fulfilment fulfilment = std::move(**existing);
  if (fulfilment.status == FulfilmentStatus::kConfirmed) {
    if (fulfilment.confirmation == confirmation) return fulfilment;
    return MakeError(ErrorCode::kIdempotencyConflict, "confirmation",
                     "already confirmed with " + QuoteInput(fulfilment.confirmation));
  }
  if (fulfilment.status == FulfilmentStatus::kFailed) {
    return MakeError(ErrorCode::kNotEligible, "benefit",
                     "the activation failed after " + std::to_string(fulfilment.attempts) +
                         " attempts; activate again in a new term");
  }
  fulfilment.status = FulfilmentStatus::kConfirmed;
  fulfilment.confirmation = std::string(confirmation);
  fulfilment.confirmed_at = now;
  if (Status saved = store_->UpdateFulfilment(fulfilment, {}); !saved.ok()) return saved.error();
  return fulfilment;
}

Result<int64_t> CheckoutService::RetryPendingFulfilments(int64_t limit, Instant now) {
  auto pending = store_->PendingFulfilments(limit);
  if (!pending.ok()) return pending.error();
  int64_t confirmed = 0;
  std::lock_guard lock(fulfilment_mu_);
  for (Fulfilment& fulfilment : *pending) {
    auto asked = AskPartner(std::move(fulfilment), now);
    if (!asked.ok()) return asked.error();
    if (asked->status == FulfilmentStatus::kConfirmed) ++confirmed;
  }
  return confirmed;
}

}  // namespace onecard
