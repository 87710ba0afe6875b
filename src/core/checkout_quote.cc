#include "core/checkout_quote.h"

#include <algorithm>
#include <array>
#include <optional>

#include "core/benefit_eligibility.h"
#include "core/checkout_limits.h"

namespace onecard {
namespace {

namespace lim = checkout_limits;

constexpr std::array<std::string_view, 15> kReasonNames = {
    "tier_too_low",      "not_paid",       "not_started",      "ended",
    "withdrawn",         "stacking_limit", "exclusive_group",  "day_quota",
    "month_quota",       "term_quota",     "vouchers_used_up", "no_matching_items",
    "min_spend_not_met", "cap_reached",    "budget_exhausted"};

// The per-quote scratch, on the stack: no allocation in the hot path.
struct Work {
  // Only the first `lines` entries are written and read: the arrays are left uninitialised so
  // that a quote of ten lines does not clear the room for two hundred.
  int32_t lines = 0;
  std::array<uint64_t, lim::kCartLinesMax> flags;  // each line's known flags as bits
  std::array<int64_t, lim::kCartLinesMax> base;    // price × quantity
  std::array<int64_t, lim::kCartLinesMax> left;    // what is left after applied benefits
  std::array<int64_t, lim::kCartLinesMax> take;    // the benefit being priced, per line
  std::array<int32_t, lim::kChoicesMax> applied_groups;
  int32_t applied = 0;
};

// An empty list allows every value.
bool Allows(const std::vector<std::string>& list, const std::string& value) {
  if (list.empty()) return true;
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool LineInScope(const Benefit& benefit, const CartLine& line, uint64_t flags) {
  if (!Allows(benefit.scope.shops, line.shop) || !Allows(benefit.scope.brands, line.brand) ||
      !Allows(benefit.scope.categories, line.category)) {
    return false;
  }
  if (benefit.kind != BenefitKind::kPercentDiscount) return true;
  return (flags & benefit.percent.item_flag_bit) != 0 &&
         (flags & benefit.percent.excluded_mask) == 0;
}

std::optional<DeclineReason> FromAvailability(Availability availability) {
  switch (availability) {
    case Availability::kAvailable:
      return std::nullopt;
    case Availability::kTierTooLow:
      return DeclineReason::kTierTooLow;
    case Availability::kNotPaid:
      return DeclineReason::kNotPaid;
    case Availability::kNotStarted:
      return DeclineReason::kNotStarted;
    case Availability::kEnded:
      return DeclineReason::kEnded;
    case Availability::kWithdrawn:
      return DeclineReason::kWithdrawn;
  }
  return DeclineReason::kNotPaid;
}

// Rules 1-3: availability, stacking, quotas and vouchers left.
std::optional<DeclineReason> CheckRules(const QuoteContext& context, const Benefit& benefit,
                                        int64_t units, const Work& work) {
  if (auto reason = FromAvailability(
          CheckAvailability(benefit, context.tier_rank, *context.standing, context.at))) {
    return reason;
  }
  const CheckoutRules& rules = context.catalog->checkout;
  if (work.applied >= rules.max_benefits_per_order) return DeclineReason::kStackingLimit;
  const uint64_t sets = rules.group_exclusive_sets[static_cast<size_t>(benefit.group_rank)];
  for (int32_t i = 0; i < work.applied && sets != 0; ++i) {
    const int32_t other = work.applied_groups[static_cast<size_t>(i)];
    if (other != benefit.group_rank &&
        (rules.group_exclusive_sets[static_cast<size_t>(other)] & sets) != 0) {
      return DeclineReason::kExclusiveGroup;
    }
  }
  const UseWindow& window = context.window;
  const BenefitCounter& used =
      context.usage->Of(static_cast<int32_t>(&benefit - context.catalog->benefits.data()));
  const BenefitQuota& quota = benefit.quota;
  if (quota.per_day && used.DayUnits(window.day) + units > *quota.per_day) {
    return DeclineReason::kDayQuota;
  }
  if (quota.per_month && used.MonthUnits(window.month) + units > *quota.per_month) {
    return DeclineReason::kMonthQuota;
  }
  if (quota.per_term && used.TermUnits(window.term_start_us) + units > *quota.per_term) {
    return DeclineReason::kTermQuota;
  }
  if (benefit.kind == BenefitKind::kMonthlyVoucher &&
      used.MonthUnits(window.month) + units > benefit.voucher.per_month) {
    return DeclineReason::kVouchersUsedUp;
  }
  return std::nullopt;
}

// Rules 4-5 for a percent discount: fills work.take and the discount.
std::optional<DeclineReason> PricePercent(const QuoteContext& context, const Benefit& benefit,
                                          const CheckoutRequest& request, Work& work,
                                          int64_t* discount, bool* capped) {
  const bool on_original = context.catalog->checkout.percent_base == PercentBase::kOriginal;
  const int32_t index = static_cast<int32_t>(&benefit - context.catalog->benefits.data());
  const int64_t room = benefit.percent.month_cap.minor -
                       context.usage->Of(index).MonthDiscount(context.window.month).minor;
  bool matched = false;
  int64_t total = 0;
  for (int32_t i = 0; i < work.lines; ++i) {
    const size_t line = static_cast<size_t>(i);
    work.take[line] = 0;
    if (!LineInScope(benefit, request.cart.lines[line], work.flags[line])) continue;
    matched = true;
    const int64_t basis = on_original ? work.base[line] : work.left[line];
    int64_t take = std::min(ApplyPpm(basis, benefit.percent.rate_ppm), work.left[line]);
    if (total + take > room) {
      take = std::max<int64_t>(0, room - total);
      *capped = true;
    }
    work.take[line] = take;
    total += take;
  }
  if (!matched) return DeclineReason::kNoMatchingItems;
  if (room <= 0) return DeclineReason::kCapReached;
  if (total == 0) return DeclineReason::kNoMatchingItems;  // nothing left to take a share of
  *discount = total;
  return std::nullopt;
}

// Rules 4-5 for vouchers and gifts: the matching spend, then the vouchers' take in cart order.
std::optional<DeclineReason> PriceSpend(const Benefit& benefit, const CheckoutRequest& request,
                                        int64_t units, Work& work, int64_t* discount) {
  bool matched = false;
  int64_t spend = 0;
  for (int32_t i = 0; i < work.lines; ++i) {
    const size_t line = static_cast<size_t>(i);
    work.take[line] = 0;
    if (!LineInScope(benefit, request.cart.lines[line], work.flags[line])) continue;
    matched = true;
    spend += work.left[line];
  }
  if (!matched) return DeclineReason::kNoMatchingItems;
  if (benefit.kind == BenefitKind::kGift) {
    if (spend < benefit.gift.min_spend.minor) return DeclineReason::kMinSpendNotMet;
    *discount = 0;
    return std::nullopt;
  }
  if (spend < benefit.voucher.min_spend.minor * units || spend == 0) {
    return DeclineReason::kMinSpendNotMet;
  }
  int64_t rest = std::min(benefit.voucher.face_value.minor * units, spend);
  *discount = rest;
  for (int32_t i = 0; i < work.lines && rest > 0; ++i) {
    const size_t line = static_cast<size_t>(i);
    if (!LineInScope(benefit, request.cart.lines[line], work.flags[line])) continue;
    work.take[line] = std::min(rest, work.left[line]);
    rest -= work.take[line];
  }
  return std::nullopt;
}

void Prepare(const QuoteContext& context, const CheckoutRequest& request, Work& work, Quote* out) {
  out->Clear();
  const Cart& cart = request.cart;
  work.lines = static_cast<int32_t>(cart.lines.size());
  out->line_totals.resize(cart.lines.size());
  for (size_t i = 0; i < cart.lines.size(); ++i) {
    const CartLine& line = cart.lines[i];
    uint64_t bits = 0;
    for (const std::string& flag : line.flags) bits |= context.catalog->FlagBit(flag);
    work.flags[i] = bits;
    work.base[i] = line.price.minor * line.quantity;
    work.left[i] = work.base[i];
    out->subtotal.minor += work.base[i];
  }
  out->tax = cart.tax;
  out->shipping = cart.shipping;
  out->deposit = cart.deposit;
}

// The choices' positions sorted into application order (stacking group, then catalogue order).
int32_t ApplicationOrder(const QuoteContext& context, const CheckoutRequest& request,
                         std::array<int32_t, lim::kChoicesMax>& order) {
  const int32_t count = static_cast<int32_t>(request.choices.size());
  const auto key = [&](int32_t choice) {
    const int32_t benefit = request.choices[static_cast<size_t>(choice)].benefit;
    return std::pair(context.catalog->benefits[static_cast<size_t>(benefit)].group_rank, benefit);
  };
  for (int32_t i = 0; i < count; ++i) {
    int32_t j = i;
    while (j > 0 && key(order[static_cast<size_t>(j - 1)]) > key(i)) {
      order[static_cast<size_t>(j)] = order[static_cast<size_t>(j - 1)];
      --j;
    }
    order[static_cast<size_t>(j)] = i;
  }
  return count;
}

}  // namespace

std::string_view DeclineReasonName(DeclineReason reason) {
  return kReasonNames[static_cast<size_t>(reason)];
}

void Quote::Clear() {
  applied.clear();
  line_discounts.clear();
  declined.clear();
  line_totals.clear();
  subtotal = discount = tax = shipping = deposit = total = Money{};
}

int64_t ApplyPpm(int64_t amount, int64_t ppm) {
  constexpr int64_t kMillion = 1'000'000;
  return (amount / kMillion) * ppm + (amount % kMillion) * ppm / kMillion;
}

void ComputeQuote(const QuoteContext& context, const CheckoutRequest& request, Quote* out) {
  Work work;
  Prepare(context, request, work, out);
  std::array<int32_t, lim::kChoicesMax> order{};
  const int32_t count = ApplicationOrder(context, request, order);
  for (int32_t k = 0; k < count; ++k) {
    const size_t choice_index = static_cast<size_t>(order[static_cast<size_t>(k)]);
    const BenefitChoice& choice = request.choices[choice_index];
    const Benefit& benefit = context.catalog->benefits[static_cast<size_t>(choice.benefit)];
    const int64_t units = benefit.kind == BenefitKind::kMonthlyVoucher ? choice.count : 1;
    int64_t discount = 0;
    bool capped = false;
    std::optional<DeclineReason> reason = CheckRules(context, benefit, units, work);
    if (!reason) {
      reason = benefit.kind == BenefitKind::kPercentDiscount
                   ? PricePercent(context, benefit, request, work, &discount, &capped)
                   : PriceSpend(benefit, request, units, work, &discount);
    }
    const int64_t cost =
        benefit.cost.per_use.minor * units + ApplyPpm(discount, benefit.cost.discount_share_ppm);
    if (!reason && cost > context.budget_left[choice_index].minor) {
      reason = DeclineReason::kBudgetExhausted;
    }
    if (reason) {
      out->declined.push_back({choice.benefit, *reason});
      continue;
    }
    const int32_t applied = static_cast<int32_t>(out->applied.size());
    out->applied.push_back({choice.benefit, units, Money{discount}, Money{cost}, capped});
    work.applied_groups[static_cast<size_t>(work.applied++)] = benefit.group_rank;
    for (int32_t i = 0; i < work.lines && discount > 0; ++i) {
      const size_t line = static_cast<size_t>(i);
      if (work.take[line] == 0) continue;
      work.left[line] -= work.take[line];
      out->line_discounts.push_back({applied, i, Money{work.take[line]}});
    }
    out->discount.minor += discount;
  }
  for (int32_t i = 0; i < work.lines; ++i) {
    out->line_totals[static_cast<size_t>(i)] = Money{work.left[static_cast<size_t>(i)]};
  }
  out->total = out->subtotal - out->discount + out->tax + out->shipping + out->deposit;
}

}  // namespace onecard
