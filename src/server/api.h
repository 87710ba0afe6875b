// The HTTP API's logic, apart from the transport: the route table, authentication and roles, the
// per-key rate limit, Idempotency-Key, and the handlers that turn requests into Engine calls and
// JSON. HttpServer feeds it whole requests; tests may call HandleNow directly.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/program_time.h"
#include "engine/engine.h"
#include "server/auth.h"
#include "server/idempotency.h"
#include "server/metrics.h"
#include "server/rate_limiter.h"
#include "server/server_limits.h"

namespace onecard::server {

class IngestBatcher;

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  std::string authorization;
  std::string body;
  std::optional<std::string> idempotency_key;  // the Idempotency-Key header, when sent
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // Allow, Retry-After, ...
  std::string route;   // the matched route's pattern, for metrics and logs
  std::string key_id;  // the API key that made the request, for logs
};

// A served route: its method and its path pattern as written in api/openapi.yaml.
struct RouteSpec {
  std::string method;
  std::string pattern;
};

struct ApiOptions {
  // std::nullopt: no authentication (--insecure-no-auth); every request acts as admin.
  std::optional<KeyRing> keys;
  // The current instant for publications, invitations and idempotency records; tests and replays
  // fix it.
  std::function<Instant()> clock;
  // The monotonic clock of the rate limit, in µs; tests may drive it.
  std::function<int64_t()> steady_clock_us;
  ServerLimits limits;
};

using Responder = std::function<void(ApiResponse)>;

class Api {
 public:
  // `engine` and `metrics` must outlive the Api. Starts the ingest committer thread.
  Api(Engine& engine, ApiOptions options, Metrics& metrics);
  // Answers the ingest requests still queued, then stops the committer.
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Thread-safe. `respond` is called exactly once: before Handle returns, or (POST /v1/events,
  // which waits for its group commit) later on the committer thread. The Engine is
  // single-threaded, so every call into it holds one mutex.
  void Handle(ApiRequest request, Responder respond);
  // Handle, waiting for the answer.
  ApiResponse HandleNow(ApiRequest request);

  // Every route Handle serves, for the spec test and the docs.
  static std::vector<RouteSpec> Routes();

  Metrics& metrics() { return metrics_; }
  const ServerLimits& limits() const { return options_.limits; }

 private:
  struct Call;
  struct Route;
  static const std::vector<Route>& RouteTable();

  // Authenticates, rate-limits, routes and checks the role; false with `*early` set when the
  // request is answered already.
  bool Prepare(ApiRequest& request, Call* call, ApiResponse* early);
  // Runs a state-changing command under the engine's mutex with its Idempotency-Key, if any: a
  // stored answer is replayed, and a new one is stored with the command's effect.
  template <typename Outcome, typename Command, typename ToJson>
  ApiResponse RunIdempotent(const Call& call, int success_status, const Command& command,
                            const ToJson& to_json);

  void Events(Call& call, Responder respond);
  ApiResponse GetMember(const Call& call);
  ApiResponse MemberPublications(const Call& call);
  ApiResponse ListPublications(const Call& call);
  ApiResponse CreatePublication(const Call& call);
  ApiResponse Scores(const Call& call);
  ApiResponse Tiers(const Call& call);
  ApiResponse Invite(const Call& call);
  ApiResponse Accept(const Call& call);
  ApiResponse Healthz(const Call& call);
  ApiResponse MetricsText(const Call& call);

  Engine& engine_;
  ApiOptions options_;
  Metrics& metrics_;
  std::mutex engine_mutex_;
  RateLimiter limiter_;
  IdempotencyKeeper keeper_;
  std::unique_ptr<IngestBatcher> batcher_;  // last: its thread stops first
};

}  // namespace onecard::server
