// A LedgerStore in memory for the ledger tests; it can be told to fail the next appends, to show
// that a failed commit keeps nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/ledger_store.h"

namespace onecard::test_support {

class MemoryLedgerStore final : public LedgerStore {
 public:
  // `snapshot`, if given, is kept by the test too, so that a reopened service finds it.
  explicit MemoryLedgerStore(std::vector<std::string>* batches,
                             std::optional<Snapshot>* snapshot = nullptr)
      : batches_(batches), snapshot_(snapshot != nullptr ? snapshot : &own_snapshot_) {}
  void FailAppends(bool fail) { fail_ = fail; }
  void FailSnapshots(bool fail) { fail_snapshots_ = fail; }

  Result<int64_t> LastBatch() override { return static_cast<int64_t>(batches_->size()); }
  Status AppendBatch(int64_t batch, int64_t /*records*/, std::string_view bytes) override {
    if (fail_) return MakeError(ErrorCode::kStoreError, "", "append failed (test)");
    if (batch != static_cast<int64_t>(batches_->size()) + 1) {
      return MakeError(ErrorCode::kStoreError, "", "batch out of order");
    }
    batches_->emplace_back(bytes);
    return Status::Ok();
  }
  Status ForEachBatch(const std::function<Status(int64_t, std::string_view)>& visit) override {
    for (size_t i = 0; i < batches_->size(); ++i) {
      if (Status s = visit(static_cast<int64_t>(i + 1), (*batches_)[i]); !s.ok()) return s;
    }
    return Status::Ok();
  }
  Status WriteSnapshot(int64_t batch, std::string_view bytes) override {
    if (fail_snapshots_) return MakeError(ErrorCode::kStoreError, "", "snapshot failed (test)");
    *snapshot_ = Snapshot{batch, std::string(bytes)};
    return Status::Ok();
  }
  Result<std::optional<Snapshot>> LatestSnapshot() override { return *snapshot_; }

 private:
  std::vector<std::string>* batches_;  // owned by the test, so a reopened service sees them
  std::optional<Snapshot>* snapshot_;
  std::optional<Snapshot> own_snapshot_;
  bool fail_ = false;
  bool fail_snapshots_ = false;
};

}  // namespace onecard::test_support
