// The paid plan's economics for one program-local month (PRODUCT §7: fees against subsidy per
// member; the real program runs at a loss on purpose). Pure arithmetic over totals the store and
// the benefits service count.
#pragma once

#include <cstdint>
#include <optional>

#include "core/money.h"
#include "core/program_time.h"

namespace onecard {

// The plan's money in one month.
struct PlanFees {
  Money charged;  // purchases and renewals made in the month
  int64_t charges = 0;
  Money refunded;  // refunds made in the month (of charges of any month)
  int64_t refunds = 0;
  int64_t paying_members = 0;  // distinct members charged in the month
  // Distinct members with a paid term overlapping the month (as cut short by refunds;
  // suspensions are not subtracted).
  int64_t paid_members = 0;

  Money net() const { return charged - refunded; }
  friend bool operator==(const PlanFees&, const PlanFees&) = default;
};

// What benefits cost the program in the month (counted by the benefits service).
struct PlanSubsidy {
  Money cost;
  int64_t uses = 0;
  int64_t members = 0;  // distinct members with a use
};

struct PlanEconomics {
  MonthKey month;
  PlanFees fees;
  PlanSubsidy subsidy;
  Money net;  // net fees − subsidy: negative when the program pays more than it takes
  // Per paid member (fees.paid_members), rounded half away from zero to the minor unit; none when
  // the month had no paid member.
  std::optional<Money> net_fees_per_paid_member;
  std::optional<Money> subsidy_per_paid_member;
  std::optional<Money> net_per_paid_member;
};

PlanEconomics ComputePlanEconomics(MonthKey month, const PlanFees& fees,
                                   const PlanSubsidy& subsidy);

// amount / count rounded half away from zero. REQUIRES: count > 0.
Money DivideRounded(Money amount, int64_t count);

}  // namespace onecard
