// `benefits list` (the catalogue, or what one member has of it now) and the use log the paid plan
// reads (engine/benefit_use_log.h).
#include "engine/checkout_member_cache.h"
#include "engine/checkout_service.h"

namespace onecard {

Result<std::vector<BenefitListing>> CheckoutService::ListBenefits(std::string_view member,
                                                                  Instant now) {
  const BenefitCatalog& catalog = config_.benefits;
  std::vector<BenefitListing> out(catalog.benefits.size());
  for (size_t i = 0; i < out.size(); ++i) out[i].benefit = static_cast<int32_t>(i);
  if (member.empty()) return out;
  auto standing = standing_->Standing(member, now);
  if (!standing.ok()) return standing.error();
  const int32_t rank = TierRank(config_.tiers, standing->tier);
  const UseWindow window{time_.DayOf(now), time_.MonthOf(now),
                         standing->paid && standing->term_start ? standing->term_start->us : 0};
  {
    std::unique_lock<std::mutex> lock;
    auto entry = LockedMember(member, &lock);
    if (!entry.ok()) return entry.error();
    for (BenefitListing& listing : out) {
      const Benefit& b = catalog.benefits[static_cast<size_t>(listing.benefit)];
      const BenefitCounter& used = (*entry)->usage.Of(listing.benefit);
      listing.availability = CheckAvailability(b, rank, *standing, now);
      if (b.quota.per_day) listing.day_left = *b.quota.per_day - used.DayUnits(window.day);
      if (b.quota.per_month)
        listing.month_left = *b.quota.per_month - used.MonthUnits(window.month);
      if (b.quota.per_term) {
        listing.term_left = *b.quota.per_term - used.TermUnits(window.term_start_us);
      }
      if (b.kind == BenefitKind::kMonthlyVoucher) {
        listing.vouchers_left = b.voucher.per_month - used.MonthUnits(window.month);
      }
      if (b.kind == BenefitKind::kPercentDiscount) {
        listing.cap_left = b.percent.month_cap - used.MonthDiscount(window.month);
      }
    }
  }
  for (BenefitListing& listing : out) {
    const Benefit& b = catalog.benefits[static_cast<size_t>(listing.benefit)];
    if (b.kind != BenefitKind::kSubscription || window.term_start_us == 0) continue;
    auto fulfilment = store_->LoadFulfilment(member, b.id, window.term_start_us);
    if (!fulfilment.ok()) return fulfilment.error();
    listing.fulfilment = std::move(fulfilment).value();
  }
  return out;
}

Result<bool> CheckoutService::AnyUseSince(std::string_view member, Instant since) {
  return store_->AnyUseSince(member, since);
}

Result<BenefitCostSummary> CheckoutService::CostInMonth(MonthKey month) {
  auto totals = store_->UsesInMonth(month);
  if (!totals.ok()) return totals.error();
  return BenefitCostSummary{totals->uses, totals->members, totals->cost};
}

}  // namespace onecard
