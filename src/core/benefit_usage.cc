#include "core/benefit_usage.h"

#include <algorithm>

namespace onecard {

bool operator==(const BenefitCounter& a, const BenefitCounter& b) {
  return a.day == b.day && a.day_units == b.day_units && a.month == b.month &&
         a.month_units == b.month_units && a.month_discount == b.month_discount &&
         a.term_start_us == b.term_start_us && a.term_units == b.term_units;
}

const BenefitCounter& MemberUsage::Of(int32_t benefit) const {
  static const BenefitCounter kUnused;
  for (const auto& [index, counter] : entries_) {
    if (index == benefit) return counter;
  }
  return kUnused;
}

BenefitCounter& MemberUsage::Mutable(int32_t benefit) {
  auto at = std::lower_bound(entries_.begin(), entries_.end(), benefit,
                             [](const auto& entry, int32_t b) { return entry.first < b; });
  if (at == entries_.end() || at->first != benefit) {
    at = entries_.insert(at, {benefit, BenefitCounter{}});
  }
  return at->second;
}

void MemberUsage::Add(int32_t benefit, const UseWindow& window, int64_t units, Money discount) {
  BenefitCounter& c = Mutable(benefit);
  if (c.day != window.day) {
    c.day = window.day;
    c.day_units = 0;
  }
  if (c.month != window.month) {
    c.month = window.month;
    c.month_units = 0;
    c.month_discount = Money{};
  }
  if (c.term_start_us != window.term_start_us) {
    c.term_start_us = window.term_start_us;
    c.term_units = 0;
  }
  c.day_units += units;
  c.month_units += units;
  c.month_discount += discount;
  c.term_units += units;
}

void MemberUsage::Remove(int32_t benefit, const UseWindow& window, int64_t units, Money discount,
                         bool month_units) {
  BenefitCounter& c = Mutable(benefit);
  if (c.day == window.day) c.day_units = std::max<int64_t>(0, c.day_units - units);
  if (c.month == window.month) {
    if (month_units) c.month_units = std::max<int64_t>(0, c.month_units - units);
    c.month_discount = std::max(Money{}, c.month_discount - discount);
  }
  if (window.term_start_us != 0 && c.term_start_us == window.term_start_us) {
    c.term_units = std::max<int64_t>(0, c.term_units - units);
  }
}

}  // namespace onecard
