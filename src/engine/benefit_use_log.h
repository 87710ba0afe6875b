// What the paid plan needs to know about benefit use, answered by the checkout/benefits service:
// whether a member used any benefit since a moment (the refund policy: full refund only if nothing
// was used since the last charge) and what benefits cost the program in a month (economics: fees
// against subsidy).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/money.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

struct BenefitCostSummary {
  int64_t uses = 0;     // committed uses, less those reversed
  int64_t members = 0;  // distinct members with at least one such use
  Money cost;           // the program's cost (subsidy) of those uses
};

class BenefitUseLog {
 public:
  virtual ~BenefitUseLog() = default;
  // True when the member has a committed, not reversed, benefit use at or after `since`.
  virtual Result<bool> AnyUseSince(std::string_view member, Instant since) = 0;
  // Uses committed in the program-local month, net of reversals.
  virtual Result<BenefitCostSummary> CostInMonth(MonthKey month) = 0;
};

}  // namespace onecard
