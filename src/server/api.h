// The HTTP API's logic, apart from the transport: the route table, authentication and roles, and
// the handlers that turn requests into Engine calls and JSON. HttpServer feeds it whole requests;
// tests may call Handle directly.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/program_time.h"
#include "engine/engine.h"
#include "server/auth.h"
#include "server/metrics.h"
#include "server/server_limits.h"

namespace onecard::server {

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  std::string authorization;
  std::string body;
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
  // The current instant for publications and invitations; tests and replays fix it.
  std::function<Instant()> clock;
  ServerLimits limits;
};

class Api {
 public:
  // `engine` and `metrics` must outlive the Api.
  Api(Engine& engine, ApiOptions options, Metrics& metrics);

  // Thread-safe. The Engine is single-threaded, so every call into it holds one mutex: requests
  // that touch the engine run one at a time (a later issue can shard by member).
  ApiResponse Handle(const ApiRequest& request);

  // Every route Handle serves, for the spec test and the docs.
  static std::vector<RouteSpec> Routes();

  Metrics& metrics() { return metrics_; }
  const ServerLimits& limits() const { return options_.limits; }

 private:
  struct Call;
  struct Route;
  static const std::vector<Route>& RouteTable();

  ApiResponse Events(const Call& call);
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
};

}  // namespace onecard::server
