// Idempotency-Key on the API's state-changing POSTs (issue 4). A request carrying the header is
// bound, once it succeeds (2xx), to its answer: the same key with the same request (method, path
// and body) is answered with the stored status and body again, without running anything; the same
// key with another request is 422 idempotency_conflict. Keys belong to the API key that sent them
// (scope), are 1 to idempotency_key_bytes_max bytes of printable ASCII, and are kept for
// idempotency_retention_seconds. An error answer changes nothing and binds nothing, so a client may
// retry it with the same key. The record is stored in the same transaction as the effect.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/program_time.h"
#include "core/result.h"
#include "engine/engine.h"
#include "server/metrics.h"
#include "server/server_limits.h"
#include "store/store.h"

namespace onecard::server {

struct ApiResponse;

// The request side of a record: scope, key and fingerprint set; status and body empty. Errors:
// kInvalidKey.
Result<IdempotencyRecord> IdempotentRequest(std::string_view scope, std::string_view key,
                                            std::string_view method, std::string_view target,
                                            std::string_view body, const ServerLimits& limits);

// Looks keys up and ages them out. Every call REQUIRES the engine's mutex held (it uses the
// engine's store), which also makes a look-up and the write that follows it one step.
class IdempotencyKeeper {
 public:
  IdempotencyKeeper(const ServerLimits& limits, Metrics& metrics)
      : limits_(limits), metrics_(metrics) {}

  // What to answer without running the request: the stored answer (a replay), 422 for another
  // request under the same key, 500 if the store fails; std::nullopt: run it. Records past the
  // retention are deleted here (all of them, at most once a minute, and any one found).
  std::optional<ApiResponse> Check(Engine& engine, const IdempotencyRecord& request, Instant now);

  // The record to store with the effect of `request`, answered with `status` and `body`.
  static IdempotencyRecord Complete(const IdempotencyRecord& request, int status, std::string body,
                                    Instant now);

 private:
  Status Purge(Engine& engine, Instant now);

  const ServerLimits& limits_;
  Metrics& metrics_;
  std::optional<Instant> last_purge_;
};

// The answer to a request that found a record with the same fingerprint.
ApiResponse ReplayResponse(const IdempotencyRecord& record);
// 422 idempotency_conflict.
ApiResponse KeyReusedResponse();

}  // namespace onecard::server
