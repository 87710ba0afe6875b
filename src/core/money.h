// Money: an amount in integer minor units (cents, fen). Never a float. Amounts in events are
// decimal strings with at most two places ("12", "12.5", "12.50").
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace onecard {

struct Money {
  int64_t minor = 0;

  friend auto operator<=>(const Money&, const Money&) = default;
  Money operator+(Money other) const { return Money{minor + other.minor}; }
  Money operator-(Money other) const { return Money{minor - other.minor}; }
  Money& operator+=(Money other) {
    minor += other.minor;
    return *this;
  }
  Money& operator-=(Money other) {
    minor -= other.minor;
    return *this;
  }
};

// Parses a non-negative decimal string with at most two places and no sign, exponent or spaces.
// Fails with kInvalidAmount (field "amount") naming what is wrong; amounts above
// limits::kAmountMinorMax are rejected.
Result<Money> ParseMoney(std::string_view text);

// "1234.50", "-3.07": always two places.
std::string FormatMoney(Money money);

// floor(amount × rate) in whole points for a rate given in parts per million of a point per
// currency unit (0.1 points per unit = 100000). REQUIRES: amount and rate non-negative and within
// limits (amount ≤ kAmountMinorMax, rate ≤ 10^6 × 100).
int64_t PointsForAmount(Money amount, int64_t rate_ppm);

}  // namespace onecard
