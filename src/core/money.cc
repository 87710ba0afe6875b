// Money parsing, formatting and the points arithmetic of PRODUCT §2.
#include "core/money.h"

#include <cstdlib>

#include "core/assert.h"
#include "core/error.h"
#include "core/limits.h"

namespace onecard {
namespace {

constexpr int64_t kRatePpmMax = 100 * 1'000'000;          // 100 points per currency unit
constexpr int64_t kPpmPerPointAndUnit = 100 * 1'000'000;  // minor units per unit × ppm

Error AmountError(std::string_view text, std::string_view what) {
  return MakeError(ErrorCode::kInvalidAmount, "amount",
                   "amount " + QuoteInput(text) + " " + std::string(what));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<Money> ParseMoney(std::string_view text) {
  if (text.empty()) return AmountError(text, "is empty");
  if (text.front() == '-' || text.front() == '+') {
    return AmountError(text, "has a sign; amounts are non-negative decimals without a sign");
  }
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  for (char c : text) {
    if (!IsDigit(c) && c != '.') {
      return AmountError(text, "contains a character that is not a digit or a decimal point");
    }
  }
  if (fraction.find('.') != std::string_view::npos) {
    return AmountError(text, "has more than one decimal point");
  }
  if (whole.empty()) return AmountError(text, "has no digits before the decimal point");
  if (dot != std::string_view::npos && fraction.empty()) {
    return AmountError(text, "has no digits after the decimal point");
  }
  if (fraction.size() > 2) return AmountError(text, "has more than two decimal places");

  // Accumulate in minor units, stopping as soon as the limit is passed so nothing overflows.
  int64_t units = 0;
  for (char c : whole) {
    units = units * 10 + (c - '0');
    if (units > limits::kAmountMinorMax / 100) {
      return AmountError(text, "is above the largest accepted amount");
    }
  }
  int64_t cents = 0;
  for (size_t i = 0; i < 2; ++i) {
    cents = cents * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  }
  const int64_t minor = units * 100 + cents;
  if (minor > limits::kAmountMinorMax) {
    return AmountError(text, "is above the largest accepted amount");
  }
  return Money{minor};
}

std::string FormatMoney(Money money) {
  // Work on the magnitude as unsigned so that INT64_MIN has one too.
  const bool negative = money.minor < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(money.minor) : static_cast<uint64_t>(money.minor);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

int64_t PointsForAmount(Money amount, int64_t rate_ppm) {
  ONECARD_ASSERT(amount.minor >= 0 && amount.minor <= limits::kAmountMinorMax);
  ONECARD_ASSERT(rate_ppm >= 0 && rate_ppm <= kRatePpmMax);
  // amount × rate reaches 10^21, past int64. Split amount = high × D + low with D the divisor:
  // floor(amount × rate / D) = high × rate + floor(low × rate / D), and both products stay below
  // 10^16.
  const int64_t high = amount.minor / kPpmPerPointAndUnit;
  const int64_t low = amount.minor % kPpmPerPointAndUnit;
  return high * rate_ppm + low * rate_ppm / kPpmPerPointAndUnit;
}

}  // namespace onecard
