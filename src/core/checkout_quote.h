// The quote (PRODUCT §4): which of the member's chosen benefits apply to a cart, in which order,
// what each takes off each line, and the price. Pure and allocation-free once the output's vectors
// have grown (a Quote is meant to be reused), because checkout asks for one on every cart change.
//
// The rules, in the order they are checked for each chosen benefit (choices are taken in the
// catalogue's application order: by stacking group, then by catalogue position):
//   1. availability (benefit_eligibility.h: tier, paid plan, dates, withdrawal);
//   2. at most checkout.max_benefits_per_order benefits apply; a benefit whose stacking group
//      shares an exclusive set with the group of an applied benefit does not;
//   3. quotas per day, calendar month and paid term, counted in units (one per order, one per
//      voucher), and for vouchers the vouchers left this month;
//   4. the lines it may touch: those in its scope; for a percent discount only lines carrying its
//      item flag and none of its excluded flags; tax, shipping and the deposit never;
//   5. the amount: a percent discount takes floor(basis × rate) off each line, to the minor unit
//      (basis: price × quantity, or what is left of the line with percent_base = "discounted"),
//      never more than is left of the line, and all lines together at most the room left under
//      the member's monthly cap (lines in cart order; the line that meets the cap gets the rest);
//      vouchers need min_spend × count of matching spend (what is left of the lines) and take
//      min(face × count, that spend) from the matching lines in cart order; a gift needs
//      min_spend and takes nothing;
//   6. its cost (per_use × units + floor(discount × discount_share)) within the budget left.
// A chosen benefit that fails a rule is declined with the reason; nothing else changes.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/benefit_catalog.h"
#include "core/benefit_usage.h"
#include "core/checkout_request.h"
#include "core/member_standing.h"

namespace onecard {

enum class DeclineReason : uint8_t {
  kTierTooLow,
  kNotPaid,
  kNotStarted,
  kEnded,
  kWithdrawn,
  kStackingLimit,   // max_benefits_per_order reached
  kExclusiveGroup,  // an applied benefit's group excludes this one's
  kDayQuota,
  kMonthQuota,
  kTermQuota,
  kVouchersUsedUp,  // fewer vouchers left this month than asked for
  kNoMatchingItems,
  kMinSpendNotMet,
  kCapReached,  // the monthly discount cap has no room left
  kBudgetExhausted,
};
std::string_view DeclineReasonName(DeclineReason reason);

struct AppliedBenefit {
  int32_t benefit = 0;
  int64_t units = 0;  // 1, or the vouchers used
  Money discount;
  Money cost;           // to the program
  bool capped = false;  // the monthly cap cut the discount
};

struct LineDiscount {
  int32_t applied = 0;  // index into Quote::applied
  int32_t line = 0;
  Money amount;
};

struct DeclinedBenefit {
  int32_t benefit = 0;
  DeclineReason reason = DeclineReason::kNotPaid;
};

struct Quote {
  std::vector<AppliedBenefit> applied;  // in the order they applied
  std::vector<LineDiscount> line_discounts;
  std::vector<DeclinedBenefit> declined;
  std::vector<Money> line_totals;  // what each line costs after the discounts
  Money subtotal;                  // Σ price × quantity
  Money discount;                  // Σ of the applied discounts
  Money tax;
  Money shipping;
  Money deposit;
  Money total;  // subtotal − discount + tax + shipping + deposit

  void Clear();
};

// Everything a quote reads besides the request.
struct QuoteContext {
  const BenefitCatalog* catalog = nullptr;
  const MemberStanding* standing = nullptr;
  int32_t tier_rank = -1;  // TierRank(tiers, standing->tier)
  Instant at;
  UseWindow window;  // the day, month and term of `at`
  const MemberUsage* usage = nullptr;
  // The budget left for each choice (aligned with request.choices): the smaller of the total and
  // the month's budget left; Money{INT64_MAX} when the benefit has no budget.
  const Money* budget_left = nullptr;
};

// REQUIRES: ValidateCheckoutRequest(request, *context.catalog) succeeded.
void ComputeQuote(const QuoteContext& context, const CheckoutRequest& request, Quote* out);

// floor(amount × ppm / 10^6) without overflow for 0 ≤ amount ≤ 2^62, 0 ≤ ppm ≤ 10^6.
int64_t ApplyPpm(int64_t amount, int64_t ppm);

}  // namespace onecard
