// Every limit of the points ledger in one place, each named with its unit. Hitting one returns
// ErrorCode::kLimitExceeded (or the field's own invalid_* code for sizes of single fields).
#pragma once

#include <cstdint>

namespace onecard::limits {

inline constexpr int64_t kTransferIdBytesMax = 128;  // ids given by callers
inline constexpr int64_t kReferenceBytesMax = 128;   // order ids, partner confirmations
// One transfer moves at most 10^12 points, and no account holds more than 10^15: sums over a
// program of up to kLedgerAccountsMax accounts stay far inside int64.
inline constexpr int64_t kTransferPointsMax = 1'000'000'000'000;
inline constexpr int64_t kAccountPointsMax = 1'000'000'000'000'000;
// The whole ledger is held in memory (balances rebuilt from the log at open), so its size is
// bounded: about 120 bytes a transfer, 200 bytes an account.
inline constexpr int64_t kLedgerTransfersMax = 200'000'000;
inline constexpr int64_t kLedgerAccountsMax = 50'000'000;
// Lots one member account may hold at once: spending walks them in expiry order.
inline constexpr int64_t kLotsPerAccountMax = 4'096;
inline constexpr int64_t kLedgerBatchRequestsMax = 100'000;
// A snapshot of the ledger's state (core/ledger_snapshot.cc) is written after every this many log
// batches, so that opening applies at most this many batches (about 1M transfers with batches of
// 10,000) after reading the transfers back; LedgerServiceOptions may set another number.
inline constexpr int64_t kLedgerSnapshotEveryBatches = 100;
// Earnings: an order's amount is at most 10^11 minor units (a billion currency units).
inline constexpr int64_t kEarnAmountMinorMax = 100'000'000'000;
inline constexpr int64_t kStaysPerChallengeMax = 1'000;
inline constexpr int64_t kLedgerLineBytesMax = 4 * 1024;  // one JSON request line

}  // namespace onecard::limits
