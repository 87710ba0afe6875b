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
#include "engine/checkout_service.h"
#include "engine/drop_service.h"
#include "engine/engine.h"
#include "engine/ledger_service.h"
#include "engine/plan_service.h"
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

// The services beside the engine that the member-facing routes call (engine/program_services.h
// opens them). Each may be null: its routes then answer 503 unavailable. Plan, checkout and drops
// are thread-safe and are called without the engine's mutex; the ledger is used from one thread
// at a time, under a mutex of its own.
struct ApiServices {
  PlanService* plan = nullptr;
  CheckoutService* checkout = nullptr;
  DropService* drops = nullptr;
  LedgerService* ledger = nullptr;
};

class Api {
 public:
  // `engine`, `metrics` and the services must outlive the Api. Starts the ingest committer thread.
  Api(Engine& engine, ApiOptions options, Metrics& metrics, ApiServices services = {});
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

  // What a service call answered: the status and JSON body, and whether the service replayed an
  // earlier answer under its own key.
  struct ServiceAnswer {
    int status = 200;
    std::string body;
    bool replayed = false;
  };
  // Runs a state-changing call of a service beside the engine with the request's Idempotency-Key,
  // if any: a stored answer is replayed (or 422 for another request under the key) before `run`;
  // a success is stored after it. The effect and the record are not one transaction, so every
  // such call is idempotent in the service too (its own key, or a natural one: the member and
  // order, the drop slot and member, the transfer id): a retry after a crash between the two gets
  // the service's replay.
  ApiResponse RunKept(const Call& call, const std::function<Result<ServiceAnswer>(Instant)>& run);
  // RunKept's two halves, for a call answered later (a drop claim, once durable): the stored
  // answer under the request's key, if any; and the answer of `run`, stored under the key.
  std::optional<ApiResponse> KeptAnswer(const Call& call, Instant now);
  ApiResponse KeepAnswer(const std::optional<IdempotencyRecord>& idempotency,
                         Result<ServiceAnswer> answer, Instant now);
  // The Idempotency-Key as the service's own key (ServiceKey), or 400 when it is missing.
  Result<std::string> RequiredServiceKey(const Call& call) const;
  // 503 when a route's service was not opened.
  static ApiResponse Unavailable(std::string_view service);

  void Events(Call& call, Responder respond);
  ApiResponse GetMember(const Call& call);
  ApiResponse MemberPublications(const Call& call);
  ApiResponse ListPublications(const Call& call);
  ApiResponse CreatePublication(const Call& call);
  ApiResponse Scores(const Call& call);
  ApiResponse Tiers(const Call& call);
  ApiResponse Invite(const Call& call);
  ApiResponse Accept(const Call& call);
  // api_plan.cc
  ApiResponse PlanStatus(const Call& call);
  ApiResponse PlanPurchase(const Call& call);
  ApiResponse PlanRenew(const Call& call);
  ApiResponse PlanRefund(const Call& call);
  ApiResponse Economics(const Call& call);
  // api_checkout.cc
  ApiResponse CheckoutQuote(const Call& call);
  ApiResponse CheckoutCommit(const Call& call);
  ApiResponse CheckoutReverse(const Call& call);
  // api_benefits.cc
  ApiResponse BenefitCatalogue(const Call& call);
  ApiResponse MemberBenefits(const Call& call);
  // api_drops.cc
  ApiResponse ListDrops(const Call& call);
  ApiResponse OpenDrop(const Call& call);
  // Deferred: answered from the drops' committer once the grant is durable, so that an I/O
  // thread never waits for an fsync and one commit carries every claim in flight.
  void ClaimDrop(Call& call, Responder respond);
  ApiResponse DecideDropClaim(const Call& call, bool confirm);
  ApiResponse ConfirmDropClaim(const Call& call);
  ApiResponse ReleaseDropClaim(const Call& call);
  ApiResponse RegisterForDrop(const Call& call);
  ApiResponse DrawDrop(const Call& call);
  ApiResponse DropStatus(const Call& call);
  ApiResponse DropResults(const Call& call);
  ApiResponse VerifyDropDraw(const Call& call);
  ApiResponse MemberDropClaim(const Call& call);
  // api_points.cc
  // The points program named (or the only one). REQUIRES ledger_mutex_.
  Result<uint16_t> PointsProgram(const std::string& given);
  // Submits the request `make` builds under the ledger's mutex and answers its outcome (201).
  ApiResponse SubmitLedger(const Call& call, const std::function<Result<LedgerRequest>()>& make);
  ApiResponse PointsBalance(const Call& call);
  ApiResponse PointsHistory(const Call& call);
  ApiResponse PointsEarn(const Call& call);
  ApiResponse PointsRedeem(const Call& call);
  ApiResponse PointsLink(const Call& call);
  ApiResponse PointsExchange(const Call& call);
  ApiResponse PointsExpire(const Call& call);
  ApiResponse LedgerVerify(const Call& call);
  ApiResponse Healthz(const Call& call);
  ApiResponse MetricsText(const Call& call);

  Engine& engine_;
  ApiOptions options_;
  Metrics& metrics_;
  ApiServices services_;
  std::mutex engine_mutex_;
  std::mutex ledger_mutex_;  // the ledger service is used from one thread at a time
  RateLimiter limiter_;
  IdempotencyKeeper keeper_;
  std::unique_ptr<IngestBatcher> batcher_;  // last: its thread stops first
};

}  // namespace onecard::server
