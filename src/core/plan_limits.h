// The paid plan's limits, each named with its unit. Hitting one returns the field's invalid_* code
// (sizes of single inputs) or ErrorCode::kLimitExceeded (what grows).
#pragma once

#include <cstdint>

namespace onecard::limits {

inline constexpr int64_t kPlanKeyBytesMax = 128;     // an idempotency key
inline constexpr int64_t kPlanReasonBytesMax = 256;  // an operator's reason for a suspension
// Entries (charges, refunds, suspensions ...) kept per member: a renewal a year for centuries.
inline constexpr int64_t kPlanEntriesPerMemberMax = 1'000;
// Memberships one run of the renewal job renews; the rest wait for the next run.
inline constexpr int64_t kPlanRenewDueMembersMax = 100'000;

}  // namespace onecard::limits
