// Every limit of the core in one place, each named with its unit. Hitting one returns
// ErrorCode::kLimitExceeded (or the field's own invalid_* code for sizes of single fields).
#pragma once

#include <cstdint>

namespace onecard::limits {

inline constexpr int64_t kEventLineBytesMax = 16 * 1024;
inline constexpr int64_t kEventIdBytesMax = 128;
inline constexpr int64_t kMemberIdBytesMax = 64;
inline constexpr int64_t kOrderIdBytesMax = 128;
inline constexpr int64_t kTextBytesMax = 128;  // site, shop, category
// 10^13 minor units: a hundred billion currency units in one event.
inline constexpr int64_t kAmountMinorMax = 10'000'000'000'000;
// Refunds naming no order, summed per member and month: 1,000 maximal refunds. With the refunds of
// one order bounded by kAmountMinorMax too, every sum of money a score makes stays inside int64:
// orders' nets ≤ 100,000 × 10^13, refunds of unknown orders ≤ the same, unnamed refunds over a
// window of at most 120 months ≤ 120 × 10^16.
inline constexpr int64_t kUnnamedRefundsPerMonthMinorMax = 1'000 * kAmountMinorMax;
inline constexpr int64_t kOrdersPerMemberMax = 100'000;
inline constexpr int64_t kRefundsPerOrderMax = 256;
inline constexpr int64_t kCreditDaysPerMemberMax =
    4'096;                                             // distinct local days with a credit event
inline constexpr int64_t kMonthsPerMemberMax = 1'200;  // months with social activity kept
inline constexpr int64_t kIngestBatchEventsMax = 100'000;

}  // namespace onecard::limits
