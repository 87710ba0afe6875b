#include "core/plan_economics.h"

#include "core/assert.h"

namespace onecard {

Money DivideRounded(Money amount, int64_t count) {
  ONECARD_ASSERT(count > 0);
  const int64_t magnitude = amount.minor < 0 ? -amount.minor : amount.minor;
  // Half away from zero on the magnitude: q + (2r ≥ count). 2r < 2 count never overflows for the
  // sums the store can hold (each below 2^62).
  const int64_t quotient = magnitude / count;
  const int64_t remainder = magnitude % count;
  const int64_t rounded = quotient + (remainder * 2 >= count ? 1 : 0);
  return Money{amount.minor < 0 ? -rounded : rounded};
}

PlanEconomics ComputePlanEconomics(MonthKey month, const PlanFees& fees,
                                   const PlanSubsidy& subsidy) {
  PlanEconomics economics;
  economics.month = month;
  economics.fees = fees;
  economics.subsidy = subsidy;
  economics.net = fees.net() - subsidy.cost;
  if (fees.paid_members > 0) {
    economics.net_fees_per_paid_member = DivideRounded(fees.net(), fees.paid_members);
    economics.subsidy_per_paid_member = DivideRounded(subsidy.cost, fees.paid_members);
    economics.net_per_paid_member = DivideRounded(economics.net, fees.paid_members);
  }
  return economics;
}

}  // namespace onecard
