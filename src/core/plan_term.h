// Term arithmetic of the paid plan. A term lasts the config's term_days, each 24 hours (program
// time has a fixed offset and no daylight saving, so that is term_days local days); it starts at
// an instant and ends at start + length, exclusive.
//
// Renewal: a manual renewal while the plan still runs continues it (the new term starts when the
// current one ends, so no paid day is lost); after the plan has ended, the new term starts at the
// renewal. An automatic renewal (the member asked in advance for no gap) continues the ended term
// from its end, unless a whole term has passed since, in which case it starts at the renewal.
#pragma once

#include <cstdint>

#include "core/program_time.h"

namespace onecard {

struct PlanTerm {
  Instant start;
  Instant end;  // exclusive
  friend bool operator==(const PlanTerm&, const PlanTerm&) = default;
};

// REQUIRES: term_days ≥ 1 (the config loader allows 1..kConfigTermDaysMax).
int64_t PlanTermLengthUs(int32_t term_days);

PlanTerm PurchaseTerm(Instant at, int32_t term_days);
// `paid_until`: the end of the member's last term.
PlanTerm ManualRenewalTerm(Instant paid_until, Instant at, int32_t term_days);
PlanTerm AutoRenewalTerm(Instant paid_until, Instant at, int32_t term_days);
// A renewal is refused while more than one term is still paid ahead of `at`: so at most one
// term waits behind the current one, and a refund never has to unwind more than one.
bool RenewalTooEarly(Instant paid_until, Instant at, int32_t term_days);

}  // namespace onecard
