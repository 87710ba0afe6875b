#include "server/api.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <future>
#include <map>

#include "core/limits.h"
#include "core/score.h"
#include "engine/benefit_json.h"
#include "engine/explain.h"
#include "engine/plan_json.h"
#include "server/api_support.h"
#include "server/error_status.h"
#include "server/ingest_batcher.h"

namespace onecard::server {
namespace {

namespace json = boost::json;

// Bits of the roles a route admits.
constexpr unsigned kAdmin = 1u << 0;
constexpr unsigned kApp = 1u << 1;
constexpr unsigned kPartner = 1u << 2;
constexpr unsigned kMember = 1u << 3;

unsigned RoleBit(Role role) {
  switch (role) {
    case Role::kAdmin:
      return kAdmin;
    case Role::kApp:
      return kApp;
    case Role::kPartner:
      return kPartner;
    case Role::kMember:
      return kMember;
  }
  return 0;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; std::nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexDigit(text[i + 1]);
    const int low = HexDigit(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

json::value CapsJson(uint32_t caps) {
  json::array names;
  for (std::string_view name : CapBitNames(caps)) names.emplace_back(name);
  return names;
}

json::value PublicationJson(const PublicationInfo& info, const ProgramTime& time) {
  return {{"month", FormatMonthKey(info.month)},
          {"instant", time.FormatLocal(info.instant)},
          {"published_at", time.FormatLocal(info.published_at)},
          {"rule_version", info.rule_version},
          {"members", info.members}};
}

json::value ScoreRowJson(const PublishedRow& row) {
  return {{"member", row.member},      {"score", row.score},
          {"tier", row.tier},          {"shopping", row.shopping},
          {"reward", row.reward},      {"active", row.active},
          {"breadth", row.breadth},    {"credit_level", row.credit_level},
          {"caps", CapsJson(row.caps)}};
}

json::value MemberPublicationJson(const MemberPublication& publication,
                                  const ProgramConfig& config) {
  const ScoreBreakdown& b = publication.breakdown;
  json::array explanation;
  for (const std::string& line : ExplainBreakdown(b, config)) explanation.emplace_back(line);
  return {{"month", FormatMonthKey(publication.info.month)},
          {"score", publication.row.score},
          {"tier", publication.row.tier},
          {"parts",
           {{"shopping", b.shopping},
            {"reward", b.reward},
            {"active", b.active},
            {"breadth", b.breadth},
            {"credit_level", b.credit_level},
            {"credit_base", b.credit_base},
            {"multiplier_permille", b.multiplier_permille}}},
          {"categories", b.categories},
          {"net_spend", FormatMoney(b.net_spend)},
          {"caps", CapsJson(b.caps)},
          {"explanation", std::move(explanation)}};
}

json::value InvitationJson(const Invitation& invitation, const ProgramTime& time) {
  json::value accepted = nullptr;
  if (invitation.accepted_at) accepted = json::string(time.FormatLocal(*invitation.accepted_at));
  return {{"member", invitation.member},
          {"month", FormatMonthKey(invitation.month)},
          {"invited_at", time.FormatLocal(invitation.invited_at)},
          {"accepted_at", std::move(accepted)}};
}

// Splits an events body into the job's lines: a JSON array (each element re-serialised) or JSONL
// (blank lines skipped but counted; the lines point into the body, which the job keeps).
// `line_numbers` are 1-based positions in the body.
Status SplitEvents(std::string body, int64_t events_max, IngestJob* job) {
  const size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "body", "the body holds no events");
  }
  auto too_many = [&]() {
    return MakeError(ErrorCode::kLimitExceeded, "body",
                     "a batch holds at most " + std::to_string(events_max) + " events");
  };
  if (body[first] == '[') {
    boost::system::error_code ec;
    json::value array = json::parse(body, ec);
    if (ec || !array.is_array()) {
      return MakeError(ErrorCode::kInvalidJson, "body",
                       "the body is not a valid JSON array: " + ec.message());
    }
    if (static_cast<int64_t>(array.get_array().size()) > events_max) return too_many();
    int64_t number = 0;
    job->owned.reserve(array.get_array().size());
    for (const json::value& element : array.get_array()) {
      job->owned.push_back(json::serialize(element));
      job->line_numbers.push_back(++number);
    }
    job->lines.assign(job->owned.begin(), job->owned.end());
  } else {
    job->body = std::move(body);
    int64_t number = 0;
    std::string_view rest = job->body;
    while (true) {
      const size_t end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      ++number;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") != std::string_view::npos) {
        if (static_cast<int64_t>(job->lines.size()) >= events_max) return too_many();
        job->lines.push_back(line);
        job->line_numbers.push_back(number);
      }
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }
  if (job->lines.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "body", "the body holds no events");
  }
  return Status::Ok();
}

}  // namespace

struct Api::Route {
  std::string method;
  std::string pattern;
  unsigned roles;
  bool member_own;  // a member token may call it for its own {id}
  bool authenticated;
  std::vector<std::string> query_keys;
  ApiResponse (Api::*handler)(const Call&);
  // Instead of `handler`: a route that answers later (POST /v1/events, through the batcher).
  void (Api::*deferred)(Call&, Responder) = nullptr;
};

const std::vector<Api::Route>& Api::RouteTable() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/healthz", 0, false, false, {}, &Api::Healthz},
      {"GET", "/metrics", kAdmin, false, true, {}, &Api::MetricsText},
      {"POST", "/v1/events", kAdmin | kApp, false, true, {}, nullptr, &Api::Events},
      {"GET", "/v1/members/{id}", kAdmin | kApp, true, true, {}, &Api::GetMember},
      {"GET",
       "/v1/members/{id}/publications",
       kAdmin | kApp,
       false,
       true,
       {},
       &Api::MemberPublications},
      {"POST", "/v1/members/{id}/invitation", kAdmin, false, true, {}, &Api::Invite},
      {"POST", "/v1/members/{id}/invitation/accept", kAdmin, false, true, {}, &Api::Accept},
      {"GET", "/v1/publications", kAdmin, false, true, {}, &Api::ListPublications},
      {"POST", "/v1/publications", kAdmin, false, true, {}, &Api::CreatePublication},
      {"GET",
       "/v1/publications/{month}/scores",
       kAdmin,
       false,
       true,
       {"after", "limit"},
       &Api::Scores},
      {"GET", "/v1/publications/{month}/tiers", kAdmin, false, true, {}, &Api::Tiers},
      // The paid plan (api_plan.cc).
      {"GET", "/v1/members/{id}/plan", kAdmin | kApp, true, true, {}, &Api::PlanStatus},
      {"POST",
       "/v1/members/{id}/plan/purchase",
       kAdmin | kApp,
       false,
       true,
       {},
       &Api::PlanPurchase},
      {"POST", "/v1/members/{id}/plan/renew", kAdmin | kApp, false, true, {}, &Api::PlanRenew},
      {"POST", "/v1/members/{id}/plan/refund", kAdmin | kApp, false, true, {}, &Api::PlanRefund},
      {"GET", "/v1/economics/{month}", kAdmin, false, true, {}, &Api::Economics},
      // Benefits and checkout (api_benefits.cc, api_checkout.cc).
      {"GET",
       "/v1/benefits",
       kAdmin | kApp | kPartner | kMember,
       false,
       true,
       {},
       &Api::BenefitCatalogue},
      {"GET", "/v1/members/{id}/benefits", kAdmin | kApp, true, true, {}, &Api::MemberBenefits},
      {"POST", "/v1/checkout/quote", kAdmin | kApp, false, true, {}, &Api::CheckoutQuote},
      {"POST", "/v1/checkout/commit", kAdmin | kApp, false, true, {}, &Api::CheckoutCommit},
      {"POST", "/v1/checkout/reverse", kAdmin | kApp, false, true, {}, &Api::CheckoutReverse},
      // Exclusive drops (api_drops.cc): schedules are public to the program's callers; claims
      // and registrations are made by the app for members; a slot's claims are the operator's.
      {"GET", "/v1/drops", kAdmin | kApp | kMember, false, true, {}, &Api::ListDrops},
      {"POST", "/v1/drops", kAdmin, false, true, {}, &Api::OpenDrop},
      {"POST", "/v1/drops/{drop}/claims", kAdmin | kApp, false, true, {}, nullptr, &Api::ClaimDrop},
      {"POST", "/v1/drops/{drop}/confirm", kAdmin | kApp, false, true, {}, &Api::ConfirmDropClaim},
      {"POST", "/v1/drops/{drop}/release", kAdmin | kApp, false, true, {}, &Api::ReleaseDropClaim},
      {"POST",
       "/v1/drops/{drop}/registrations",
       kAdmin | kApp,
       false,
       true,
       {},
       &Api::RegisterForDrop},
      {"POST", "/v1/drops/{drop}/draw", kAdmin, false, true, {}, &Api::DrawDrop},
      {"GET", "/v1/drops/{drop}/status", kAdmin | kApp, false, true, {"slot"}, &Api::DropStatus},
      {"GET", "/v1/drops/{drop}/results", kAdmin, false, true, {"slot"}, &Api::DropResults},
      {"GET",
       "/v1/drops/{drop}/verify",
       kAdmin | kApp,
       false,
       true,
       {"slot"},
       &Api::VerifyDropDraw},
      {"GET",
       "/v1/members/{id}/drops/{drop}",
       kAdmin | kApp,
       true,
       true,
       {"slot"},
       &Api::MemberDropClaim},
      // Brand points (api_points.cc): the app earns and spends for members; a member token reads
      // its own balance and history; the job and the ledger's verification are the operator's.
      {"GET",
       "/v1/members/{id}/points",
       kAdmin | kApp,
       true,
       true,
       {"program"},
       &Api::PointsBalance},
      {"GET",
       "/v1/members/{id}/points/history",
       kAdmin | kApp,
       true,
       true,
       {"program", "limit"},
       &Api::PointsHistory},
      {"POST", "/v1/points/earn", kAdmin | kApp, false, true, {}, &Api::PointsEarn},
      {"POST", "/v1/points/redeem", kAdmin | kApp, false, true, {}, &Api::PointsRedeem},
      {"POST", "/v1/points/link", kAdmin | kApp, false, true, {}, &Api::PointsLink},
      {"POST", "/v1/points/exchange", kAdmin | kApp, false, true, {}, &Api::PointsExchange},
      {"POST", "/v1/points/expire", kAdmin, false, true, {}, &Api::PointsExpire},
      {"GET", "/v1/ledger/verify", kAdmin, false, true, {}, &Api::LedgerVerify},
  };
  return kRoutes;
}

std::vector<RouteSpec> Api::Routes() {
  std::vector<RouteSpec> specs;
  for (const Route& route : RouteTable()) specs.push_back({route.method, route.pattern});
  return specs;
}

namespace {

ApiOptions WithClocks(ApiOptions options) {
  if (!options.clock) {
    options.clock = [] {
      const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
      return Instant{std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count()};
    };
  }
  if (!options.steady_clock_us) {
    options.steady_clock_us = [] {
      return std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
  return options;
}

}  // namespace

Api::Api(Engine& engine, ApiOptions options, Metrics& metrics, ApiServices services)
    : engine_(engine),
      options_(WithClocks(std::move(options))),
      metrics_(metrics),
      services_(services),
      limiter_(options_.limits.rate_per_key_per_second, options_.limits.rate_burst_per_key),
      keeper_(options_.limits, metrics),
      batcher_(std::make_unique<IngestBatcher>(engine_, engine_mutex_, keeper_, metrics_,
                                               options_.limits, options_.clock)) {}

Api::~Api() = default;

namespace {

// Matches `segments` against a pattern's; fills `params` from {name} segments.
bool MatchPattern(std::string_view pattern, const std::vector<std::string>& segments,
                  std::map<std::string, std::string>* params) {
  const std::vector<std::string_view> parts = Split(pattern.substr(1), '/');
  if (parts.size() != segments.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].size() > 2 && parts[i].front() == '{') {
      if (segments[i].empty()) return false;
      found[std::string(parts[i].substr(1, parts[i].size() - 2))] = segments[i];
    } else if (parts[i] != segments[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

}  // namespace

bool Api::Prepare(ApiRequest& request, Call* call, ApiResponse* early) {
  const std::string_view target = request.target;
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query_text =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (path.empty() || path.front() != '/') {
    *early = Fail(400, "invalid_argument", "the request target must be an absolute path", "path");
    return false;
  }
  std::vector<std::string> segments;
  for (std::string_view raw : Split(path.substr(1), '/')) {
    auto decoded = PercentDecode(raw);
    if (!decoded) {
      *early = Fail(400, "invalid_argument", "malformed %-escape in the path", "path");
      return false;
    }
    segments.push_back(std::move(*decoded));
  }

  // Authenticate before routing, so that no answer tells a stranger what exists.
  const bool is_health = path == "/healthz";
  ApiKey key{"insecure", Role::kAdmin, {}};
  if (!is_health && options_.keys) {
    auto found = options_.keys->Find(BearerSecret(request.authorization));
    if (!found) {
      *early = Fail(401, "unauthorized", "a valid API key is required", "");
      early->headers.emplace_back("WWW-Authenticate", "Bearer");
      return false;
    }
    key = std::move(*found);
  }
  // Every authenticated request spends a token of its key, whatever it asks for.
  if (!is_health) {
    if (auto retry_after_s = limiter_.Take(key.id, options_.steady_clock_us())) {
      metrics_.AddRateLimited();
      *early = Fail(429, "rate_limited",
                    "this key is over its request rate (" +
                        std::to_string(options_.limits.rate_per_key_per_second) +
                        " per second); retry after " + std::to_string(*retry_after_s) + " s",
                    "");
      early->headers.emplace_back("Retry-After", std::to_string(*retry_after_s));
      early->route = "rate_limited";
      early->key_id = key.id;
      return false;
    }
  }

  const Route* matched = nullptr;
  std::map<std::string, std::string> params;
  std::string allow;
  for (const Route& route : RouteTable()) {
    std::map<std::string, std::string> route_params;
    if (!MatchPattern(route.pattern, segments, &route_params)) continue;
    if (route.method == request.method) {
      matched = &route;
      params = std::move(route_params);
      break;
    }
    allow += (allow.empty() ? "" : ", ") + route.method;
  }
  if (matched == nullptr) {
    if (allow.empty()) {
      *early = Fail(404, "not_found", "no such route", "path");
    } else {
      *early = Fail(405, "method_not_allowed", "allowed: " + allow, "method");
      early->headers.emplace_back("Allow", allow);
    }
    early->key_id = key.id;
    return false;
  }
  early->route = matched->pattern;
  early->key_id = key.id;

  if (matched->authenticated) {
    const bool own = matched->member_own && key.role == Role::kMember && params.contains("id") &&
                     params["id"] == key.member;
    if ((matched->roles & RoleBit(key.role)) == 0 && !own) {
      *early = Fail(403, "forbidden", "this key's role may not call this route", "");
      early->route = matched->pattern;
      early->key_id = key.id;
      return false;
    }
  }

  call->request = &request;
  call->route = matched;
  call->params = std::move(params);
  call->key = key;
  if (!query_text.empty()) {
    for (std::string_view pair : Split(query_text, '&')) {
      const size_t equals = pair.find('=');
      auto name = PercentDecode(pair.substr(0, equals));
      auto value = PercentDecode(equals == std::string_view::npos ? std::string_view()
                                                                  : pair.substr(equals + 1));
      if (!name || !value) {
        *early = Fail(400, "invalid_argument", "malformed query", "query");
      } else if (std::find(matched->query_keys.begin(), matched->query_keys.end(), *name) ==
                 matched->query_keys.end()) {
        *early =
            Fail(400, "invalid_argument", "unknown query parameter " + QuoteInput(*name), *name);
      } else {
        call->query[*name] = *value;
        continue;
      }
      early->route = matched->pattern;
      early->key_id = key.id;
      return false;
    }
  }
  // Idempotency-Key matters on the state-changing POSTs only (on a GET it is ignored).
  if (matched->method == "POST" && request.idempotency_key) {
    auto idempotent = IdempotentRequest(key.id, *request.idempotency_key, request.method,
                                        request.target, request.body, options_.limits);
    if (!idempotent.ok()) {
      *early = Fail(idempotent.error());
      early->route = matched->pattern;
      early->key_id = key.id;
      return false;
    }
    call->idempotency = std::move(idempotent).value();
  }
  return true;
}

void Api::Handle(ApiRequest request, Responder respond) {
  Call call;
  ApiResponse early;
  if (!Prepare(request, &call, &early)) return respond(std::move(early));
  if (call.route->deferred != nullptr) {
    std::string route = call.route->pattern;
    std::string key_id = call.key.id;
    (this->*call.route->deferred)(call, [respond = std::move(respond), route = std::move(route),
                                         key_id = std::move(key_id)](ApiResponse response) {
      response.route = route;
      response.key_id = key_id;
      respond(std::move(response));
    });
    return;
  }
  ApiResponse response = (this->*call.route->handler)(call);
  response.route = call.route->pattern;
  response.key_id = call.key.id;
  respond(std::move(response));
}

ApiResponse Api::HandleNow(ApiRequest request) {
  std::promise<ApiResponse> answer;
  std::future<ApiResponse> future = answer.get_future();
  Handle(std::move(request),
         [&answer](ApiResponse response) { answer.set_value(std::move(response)); });
  return future.get();
}

template <typename Outcome, typename Command, typename ToJson>
ApiResponse Api::RunIdempotent(const Call& call, int success_status, const Command& command,
                               const ToJson& to_json) {
  std::lock_guard lock(engine_mutex_);
  const Instant now = options_.clock();
  if (call.idempotency) {
    if (auto answer = keeper_.Check(engine_, *call.idempotency, now)) return std::move(*answer);
  }
  std::string body;
  RecordFor<Outcome> record;
  if (call.idempotency) {
    record = [&](const Outcome& outcome) {
      body = json::serialize(to_json(outcome));
      return IdempotencyKeeper::Complete(*call.idempotency, success_status, body, now);
    };
  }
  Result<Outcome> outcome = command(now, record);
  if (!outcome.ok()) return Fail(outcome.error());
  if (body.empty()) body = json::serialize(to_json(*outcome));
  ApiResponse response;
  response.status = success_status;
  response.body = std::move(body);
  return response;
}

ApiResponse Api::RunKept(const Call& call,
                         const std::function<Result<ServiceAnswer>(Instant)>& run) {
  const Instant now = options_.clock();
  if (auto kept = KeptAnswer(call, now)) return std::move(*kept);
  return KeepAnswer(call.idempotency, run(now), now);
}

std::optional<ApiResponse> Api::KeptAnswer(const Call& call, Instant now) {
  if (!call.idempotency) return std::nullopt;
  std::lock_guard lock(engine_mutex_);
  return keeper_.Check(engine_, *call.idempotency, now);
}

ApiResponse Api::KeepAnswer(const std::optional<IdempotencyRecord>& idempotency,
                            Result<ServiceAnswer> answer, Instant now) {
  if (!answer.ok()) return Fail(answer.error());
  if (idempotency) {
    // A failed write here loses only the binding: the effect is kept, and a retry gets the
    // service's own replay.
    std::lock_guard lock(engine_mutex_);
    (void)engine_.store().SaveIdempotencyRecords(
        {IdempotencyKeeper::Complete(*idempotency, answer->status, answer->body, now)});
  }
  ApiResponse response = JsonText(answer->status, std::move(answer->body));
  if (answer->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

Result<std::string> Api::RequiredServiceKey(const Call& call) const {
  if (!call.request->idempotency_key) {
    return MakeError(ErrorCode::kMissingField, "Idempotency-Key",
                     "this route needs an Idempotency-Key header: a retry with the same key "
                     "returns the first result instead of acting twice");
  }
  return ServiceKey(call.key.id, *call.request->idempotency_key);
}

ApiResponse Api::Unavailable(std::string_view service) {
  return Fail(503, "unavailable", std::string(service) + " is not open on this server", "");
}

ApiResponse Api::Healthz(const Call&) { return Json(200, {{"status", "ok"}}); }

ApiResponse Api::MetricsText(const Call&) {
  ApiResponse response;
  response.body = metrics_.RenderPrometheus();
  response.content_type = "text/plain; version=0.0.4";
  return response;
}

void Api::Events(Call& call, Responder respond) {
  const int64_t events_max =
      std::min<int64_t>(options_.limits.events_per_batch_max, limits::kIngestBatchEventsMax);
  auto job = std::make_unique<IngestJob>();
  if (Status split = SplitEvents(std::move(call.request->body), events_max, job.get());
      !split.ok()) {
    return respond(Fail(split.error()));
  }
  job->idempotency = std::move(call.idempotency);
  job->respond = std::move(respond);
  batcher_->Submit(std::move(job));
}

ApiResponse Api::GetMember(const Call& call) {
  const std::string& member = call.params.at("id");
  json::object profile;
  {
    std::lock_guard lock(engine_mutex_);
    auto report = engine_.Member(member);
    if (!report.ok()) return Fail(report.error());
    json::value latest = nullptr;
    if (!report->publications.empty()) {
      latest = MemberPublicationJson(report->publications.back(), engine_.config());
    }
    json::value invitation = nullptr;
    if (report->invitation) invitation = InvitationJson(*report->invitation, engine_.time());
    profile = {{"member", report->member},
               {"events", report->events},
               {"latest", std::move(latest)},
               {"invitation", std::move(invitation)}};
  }
  // The paid plan and the benefits the member has now, from their own (thread-safe) services,
  // outside the engine's mutex; null when the server runs without them.
  const Instant now = options_.clock();
  profile["plan"] = nullptr;
  if (services_.plan != nullptr) {
    auto plan = services_.plan->Report(member, now);
    if (!plan.ok()) return Fail(plan.error());
    profile["plan"] = json::parse(ReportJson(*plan, engine_.time()));
  }
  profile["entitlements"] = nullptr;
  if (services_.checkout != nullptr) {
    auto listings = services_.checkout->ListBenefits(member, now);
    if (!listings.ok()) return Fail(listings.error());
    profile["entitlements"] =
        json::parse(BenefitListingsJson(services_.checkout->catalog(), *listings, true));
  }
  return Json(200, profile);
}

ApiResponse Api::MemberPublications(const Call& call) {
  std::lock_guard lock(engine_mutex_);
  auto report = engine_.Member(call.params.at("id"));
  if (!report.ok()) return Fail(report.error());
  json::array publications;
  for (const MemberPublication& publication : report->publications) {
    publications.push_back(MemberPublicationJson(publication, engine_.config()));
  }
  return Json(200, {{"member", report->member}, {"publications", std::move(publications)}});
}

ApiResponse Api::ListPublications(const Call&) {
  std::lock_guard lock(engine_mutex_);
  auto publications = engine_.Publications();
  if (!publications.ok()) return Fail(publications.error());
  json::array items;
  for (const PublicationInfo& info : *publications) {
    items.push_back(PublicationJson(info, engine_.time()));
  }
  return Json(200, {{"publications", std::move(items)}});
}

ApiResponse Api::CreatePublication(const Call& call) {
  auto fields = StringFields(call.request->body, {"month"});
  if (!fields.ok()) return Fail(fields.error());
  auto month = ParseMonthKey(fields->at("month"));
  if (!month.ok()) return Fail(MakeError(ErrorCode::kInvalidMonth, "month", month.error().message));
  return RunIdempotent<PublicationInfo>(
      call, 201,
      [&](Instant now, const RecordFor<PublicationInfo>& record) {
        const auto start = std::chrono::steady_clock::now();
        auto info = engine_.Publish(*month, now, record);
        metrics_.ObservePublication(info.ok(),
                                    std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - start)
                                        .count());
        return info;
      },
      [&](const PublicationInfo& info) { return PublicationJson(info, engine_.time()); });
}

ApiResponse Api::Scores(const Call& call) {
  auto month = ParseMonthKey(call.params.at("month"));
  if (!month.ok()) return Fail(MakeError(ErrorCode::kInvalidMonth, "month", month.error().message));
  int64_t limit = options_.limits.scores_page_rows_default;
  if (auto it = call.query.find("limit"); it != call.query.end()) {
    const std::string& text = it->second;
    const bool digits = !text.empty() && text.size() <= 9 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    limit = digits ? std::stoll(text) : 0;
    if (limit < 1 || limit > options_.limits.scores_page_rows_max) {
      return Fail(400, "invalid_argument",
                  "limit must be a whole number from 1 to " +
                      std::to_string(options_.limits.scores_page_rows_max),
                  "limit");
    }
  }
  const std::string after = call.query.contains("after") ? call.query.at("after") : "";
  json::array rows;
  std::string last;
  bool more = false;
  // The store visits every row of the month in member order; the page is cut here. Stopping the
  // visit early is signalled with a private error (an engine-side page query would avoid the scan).
  static const std::string kPageFull = "\x01page_full";
  std::lock_guard lock(engine_mutex_);
  Status status = engine_.ForEachScore(*month, [&](const PublishedRow& row) -> Status {
    if (!after.empty() && row.member <= after) return Status::Ok();
    if (static_cast<int64_t>(rows.size()) == limit) {
      more = true;
      return MakeError(ErrorCode::kLimitExceeded, kPageFull, "");
    }
    rows.push_back(ScoreRowJson(row));
    last = row.member;
    return Status::Ok();
  });
  if (!status.ok() && status.error().field != kPageFull) return Fail(status.error());
  json::value next = nullptr;
  if (more) next = json::string(last);
  return Json(200, {{"month", FormatMonthKey(*month)},
                    {"scores", std::move(rows)},
                    {"next_after", std::move(next)}});
}

ApiResponse Api::Tiers(const Call& call) {
  auto month = ParseMonthKey(call.params.at("month"));
  if (!month.ok()) return Fail(MakeError(ErrorCode::kInvalidMonth, "month", month.error().message));
  std::lock_guard lock(engine_mutex_);
  auto counts = engine_.Tiers(*month);
  if (!counts.ok()) return Fail(counts.error());
  json::array tiers;
  for (const TierCount& count : *counts) {
    tiers.push_back({{"tier", count.tier}, {"members", count.members}});
  }
  return Json(200, {{"month", FormatMonthKey(*month)}, {"tiers", std::move(tiers)}});
}

ApiResponse Api::Invite(const Call& call) {
  if (Status empty = EmptyBody(call.request->body); !empty.ok()) return Fail(empty.error());
  return RunIdempotent<Invitation>(
      call, 201,
      [&](Instant now, const RecordFor<Invitation>& record) {
        return engine_.Invite(call.params.at("id"), now, record);
      },
      [&](const Invitation& invitation) { return InvitationJson(invitation, engine_.time()); });
}

ApiResponse Api::Accept(const Call& call) {
  if (Status empty = EmptyBody(call.request->body); !empty.ok()) return Fail(empty.error());
  return RunIdempotent<Invitation>(
      call, 200,
      [&](Instant now, const RecordFor<Invitation>& record) {
        return engine_.Accept(call.params.at("id"), now, record);
      },
      [&](const Invitation& invitation) { return InvitationJson(invitation, engine_.time()); });
}

}  // namespace onecard::server
