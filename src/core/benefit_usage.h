// What one member has used of each benefit, as counters of the current day, calendar month and
// paid term: the quotas, the monthly discount cap and the monthly vouchers are checked against
// them. A counter keeps only its latest window; a read for another window sees zero, so nothing
// needs resetting when a day or a month turns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/benefit_catalog.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

// The windows one use falls in.
struct UseWindow {
  LocalDay day;
  MonthKey month;
  int64_t term_start_us = 0;  // 0 when the member has no term (then per-term quotas do not apply)
};

struct BenefitCounter {
  LocalDay day{INT32_MIN};
  int64_t day_units = 0;
  MonthKey month{INT32_MIN};
  int64_t month_units = 0;
  Money month_discount;  // discount received this month (the percent discount's cap)
  int64_t term_start_us = 0;
  int64_t term_units = 0;

  int64_t DayUnits(LocalDay at) const { return day == at ? day_units : 0; }
  int64_t MonthUnits(MonthKey at) const { return month == at ? month_units : 0; }
  Money MonthDiscount(MonthKey at) const { return month == at ? month_discount : Money{}; }
  int64_t TermUnits(int64_t term_start) const {
    return term_start != 0 && term_start_us == term_start ? term_units : 0;
  }
};

// A member's counters, sparse by benefit index (members use few benefits), sorted by index. Not
// stored: the checkout service rebuilds them from the member's commits when it loads the member.
class MemberUsage {
 public:
  // The counter of a benefit; an empty one when it was never used.
  const BenefitCounter& Of(int32_t benefit) const;

  // Adds a use in `window` (rolling each counter whose window is older).
  void Add(int32_t benefit, const UseWindow& window, int64_t units, Money discount);
  // Gives back a use made in `window`: only counters still in that window change, and the month's
  // units only when `month_units` (vouchers are not given back after their month ends).
  void Remove(int32_t benefit, const UseWindow& window, int64_t units, Money discount,
              bool month_units);

  const std::vector<std::pair<int32_t, BenefitCounter>>& entries() const { return entries_; }
  friend bool operator==(const MemberUsage&, const MemberUsage&) = default;

 private:
  BenefitCounter& Mutable(int32_t benefit);
  std::vector<std::pair<int32_t, BenefitCounter>> entries_;
};

bool operator==(const BenefitCounter& a, const BenefitCounter& b);

}  // namespace onecard
