// Every limit of the benefit catalogue and of checkout in one place, each named with its unit.
// A cart or choice past one is rejected with kInvalidCart naming the field; a catalogue past one
// with kInvalidConfig; a member past one with kLimitExceeded.
#pragma once

#include <cstdint>

#include "core/limits.h"

namespace onecard::checkout_limits {

// The catalogue (config).
inline constexpr int64_t kPartnersMax = 1'024;
inline constexpr int64_t kBenefitsMax = 1'024;
inline constexpr int64_t kKnownFlagsMax = 64;  // flags named by percent discounts: one bit each
inline constexpr int64_t kStackingGroupsMax = 64;
inline constexpr int64_t kExclusiveSetsMax = 64;  // one bit each
inline constexpr int64_t kScopeEntriesMax = 256;  // shops, brands or categories of one scope
inline constexpr int64_t kConfigTextBytesMax = 128;
inline constexpr int64_t kQuotaUsesMax = 1'000'000;
inline constexpr int32_t kVouchersPerMonthMax = 1'000;
inline constexpr int32_t kPointsMultiplierMax = 1'000;

// One checkout request.
inline constexpr int64_t kCartLinesMax = 200;
inline constexpr int64_t kLineQuantityMax = 10'000;
inline constexpr int64_t kLineFlagsMax = 16;
inline constexpr int64_t kChoicesMax = 16;
inline constexpr int64_t kTextBytesMax = 128;  // order, line id, shop, brand, category, flag
inline constexpr int64_t kIdempotencyKeyBytesMax = 128;
// price × quantity of one line, and tax, shipping and deposit each: at most 10^13 minor units, so
// that a cart of kCartLinesMax lines sums to at most 2 × 10^15 and every product with a rate in
// parts per million is computed without overflow (see checkout_quote.cc).
inline constexpr int64_t kLineAmountMinorMax = limits::kAmountMinorMax;

// One member.
inline constexpr int64_t kCommitsPerMemberMax = 100'000;  // orders kept for retries and reversal
inline constexpr int64_t kFulfilmentAttemptsMax = 20;     // a fulfilment then fails for good

}  // namespace onecard::checkout_limits
