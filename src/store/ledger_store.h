// Where the points ledger keeps its log durably. The ledger is event-sourced: every accepted
// request becomes records (core/ledger_types.h) that are appended here in batches, encoded by
// core/ledger_codec.h, and the ledger's state (balances, lots, pending transfers) is rebuilt
// from the log at open, starting from the latest snapshot. The store only keeps bytes in batch
// order; it knows no ledger rules.
//
// Contract: AppendBatch returns only after the batch is durable (one fsync for the whole batch:
// group commit) and is atomic; a batch whose number is not the last one plus one is refused, so
// two writers can never interleave a log. Reads see every append that returned.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace onecard {

class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  // The number of the last batch appended (0 for an empty log).
  virtual Result<int64_t> LastBatch() = 0;
  // Appends batch number `batch` (= LastBatch() + 1) holding `records` records.
  virtual Status AppendBatch(int64_t batch, int64_t records, std::string_view bytes) = 0;
  // Calls `visit` with every batch in order; stops at the first error it returns.
  virtual Status ForEachBatch(
      const std::function<Status(int64_t batch, std::string_view bytes)>& visit) = 0;

  // Snapshots of the state the log builds (core/ledger_snapshot.cc), so that opening applies only
  // the log after the latest one. A snapshot is written after its batch is durable, atomically,
  // and replaces the ones before it; losing one (a crash before it is written) only means opening
  // applies more of the log.
  struct Snapshot {
    int64_t batch = 0;  // the last batch it covers
    std::string bytes;
  };
  virtual Status WriteSnapshot(int64_t batch, std::string_view bytes) = 0;
  // The latest snapshot, or nothing.
  virtual Result<std::optional<Snapshot>> LatestSnapshot() = 0;
};

}  // namespace onecard
