// Every limit of exclusive drops in one place, each named with its unit. Configs and operator drops
// outside them are refused (kInvalidConfig / kInvalidArgument naming the field).
#pragma once

#include <cstdint>

namespace onecard::limits {

inline constexpr int64_t kDropIdBytesMax = 64;
inline constexpr int64_t kDropProductBytesMax = 256;
inline constexpr int64_t kDropsMax = 256;  // config and operator drops together
// One slot's stock: unit numbers 0 … units-1 are held in memory and as rows, so it is bounded.
inline constexpr int64_t kDropUnitsPerSlotMax = 10'000'000;
inline constexpr int64_t kDropPerMemberLimitMax = 100;
// A window may not reach the next day's slot, so that at most one slot of a drop is open at once.
inline constexpr int32_t kDropWindowMinutesMax = 24 * 60;
inline constexpr int32_t kDropHoldMinutesMax = 7 * 24 * 60;
inline constexpr int64_t kDropSeedBytesMax = 256;
// Claims (or registrations) one slot keeps in memory; past it a slot refuses with
// kLimitExceeded rather than grow without bound (1M registrants per lottery slot is the sizing).
inline constexpr int64_t kDropClaimsPerSlotMax = 20'000'000;
// Changes (claims, decisions, registrations) written in one transaction by the drops' committer,
// and changes that may wait for it: past the second, a caller waits for room (back-pressure).
inline constexpr int64_t kDropChangesPerCommitMax = 16'384;
inline constexpr int64_t kDropChangesQueuedMax = 262'144;

}  // namespace onecard::limits
