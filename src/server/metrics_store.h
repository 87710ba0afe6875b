// A Store decorator that times every durable write (commit incl. fsync) into the server's Metrics,
// by kind: "ingest", "checkpoint", "publication", "invitation", "idempotency", "setting". The
// server wraps the engine's store in it so that /metrics shows store commit latency.
#pragma once

#include <memory>

#include "server/metrics.h"
#include "store/forwarding_store.h"

namespace onecard::server {

class MetricsStore final : public ForwardingStore {
 public:
  // `metrics` must outlive the store.
  MetricsStore(std::unique_ptr<Store> inner, Metrics& metrics)
      : ForwardingStore(std::move(inner)), metrics_(metrics) {}

  Status PutSetting(std::string_view key, std::string_view value) override;
  Status CommitIngest(const IngestWrite& write) override;
  Status SaveCheckpoint(const std::vector<std::pair<std::string, std::string>>& states,
                        int64_t checkpoint_batch) override;
  Result<std::unique_ptr<PublicationWriter>> BeginPublication(const PublicationInfo& info) override;
  Status SaveInvitation(const Invitation& invitation,
                        const std::vector<IdempotencyRecord>& records) override;
  Status SaveIdempotencyRecords(const std::vector<IdempotencyRecord>& records) override;

 private:
  Metrics& metrics_;
};

}  // namespace onecard::server
