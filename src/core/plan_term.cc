#include "core/plan_term.h"

#include "core/assert.h"

namespace onecard {

int64_t PlanTermLengthUs(int32_t term_days) {
  // The loader allows at most 3660 days; any bound below 10^6 keeps the product inside int64 with
  // room for the instants it is added to.
  constexpr int32_t kTermDaysBound = 1'000'000;
  ONECARD_ASSERT(term_days >= 1 && term_days < kTermDaysBound);
  constexpr int64_t kDayUs = 86'400'000'000;
  return term_days * kDayUs;
}

PlanTerm PurchaseTerm(Instant at, int32_t term_days) {
  return PlanTerm{at, Instant{at.us + PlanTermLengthUs(term_days)}};
}

PlanTerm ManualRenewalTerm(Instant paid_until, Instant at, int32_t term_days) {
  const Instant start = paid_until > at ? paid_until : at;
  return PlanTerm{start, Instant{start.us + PlanTermLengthUs(term_days)}};
}

PlanTerm AutoRenewalTerm(Instant paid_until, Instant at, int32_t term_days) {
  const int64_t length = PlanTermLengthUs(term_days);
  const Instant start = at.us - paid_until.us < length ? paid_until : at;
  return PlanTerm{start, Instant{start.us + length}};
}

bool RenewalTooEarly(Instant paid_until, Instant at, int32_t term_days) {
  return paid_until.us - at.us > PlanTermLengthUs(term_days);
}

}  // namespace onecard
