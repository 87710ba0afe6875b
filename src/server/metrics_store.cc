#include "server/metrics_store.h"

#include <chrono>

namespace onecard::server {
namespace {

int64_t SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <typename Call>
Status Timed(Metrics& metrics, const char* kind, const Call& call) {
  const int64_t start_us = SteadyMicros();
  Status status = call();
  metrics.ObserveStoreCommit(kind, SteadyMicros() - start_us);
  return status;
}

// Times the publication's commit; rows added before it are part of the publication job.
class TimedPublicationWriter final : public PublicationWriter {
 public:
  TimedPublicationWriter(std::unique_ptr<PublicationWriter> inner, Metrics& metrics)
      : inner_(std::move(inner)), metrics_(metrics) {}
  Status Add(const PublishedRow& row) override { return inner_->Add(row); }
  Status AddIdempotencyRecord(const IdempotencyRecord& record) override {
    return inner_->AddIdempotencyRecord(record);
  }
  Status Commit(int64_t members) override {
    return Timed(metrics_, "publication", [&] { return inner_->Commit(members); });
  }

 private:
  std::unique_ptr<PublicationWriter> inner_;
  Metrics& metrics_;
};

}  // namespace

Status MetricsStore::PutSetting(std::string_view key, std::string_view value) {
  return Timed(metrics_, "setting", [&] { return inner().PutSetting(key, value); });
}

Status MetricsStore::CommitIngest(const IngestWrite& write) {
  return Timed(metrics_, "ingest", [&] { return inner().CommitIngest(write); });
}

Status MetricsStore::SaveCheckpoint(const std::vector<std::pair<std::string, std::string>>& states,
                                    int64_t checkpoint_batch) {
  return Timed(metrics_, "checkpoint",
               [&] { return inner().SaveCheckpoint(states, checkpoint_batch); });
}

Result<std::unique_ptr<PublicationWriter>> MetricsStore::BeginPublication(
    const PublicationInfo& info) {
  auto writer = inner().BeginPublication(info);
  if (!writer.ok()) return writer.error();
  return std::unique_ptr<PublicationWriter>(
      std::make_unique<TimedPublicationWriter>(std::move(writer).value(), metrics_));
}

Status MetricsStore::SaveInvitation(const Invitation& invitation,
                                    const std::vector<IdempotencyRecord>& records) {
  return Timed(metrics_, "invitation", [&] { return inner().SaveInvitation(invitation, records); });
}

Status MetricsStore::SaveIdempotencyRecords(const std::vector<IdempotencyRecord>& records) {
  return Timed(metrics_, "idempotency", [&] { return inner().SaveIdempotencyRecords(records); });
}

}  // namespace onecard::server
