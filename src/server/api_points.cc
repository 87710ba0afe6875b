// Brand points over HTTP: a member's balance and history, earning (and reversing) from an order
// line (the CLI's JSONL line, engine/ledger_json.h), redeeming, linking a partner account and
// moving points out to it, the ledger's job, and its verification. The ledger service is used
// from one thread at a time: every call holds the ledger's mutex (not the engine's). Every
// request is idempotent in the ledger by a key in its body — the earn's order, the refund's, the
// redemption's or the exchange's transfer id, the member and partner of a link — so a repeat is
// answered with the original result (marked replayed), and Api::RunKept's record may follow it.
#include "core/ledger_verify.h"
#include "engine/ledger_json.h"
#include "engine/points_json.h"
#include "server/api_support.h"

namespace onecard::server {
namespace {

namespace json = boost::json;
using T = BodyField::Type;

std::string Text(const json::object& body, const char* name) {
  const json::value* value = body.if_contains(name);
  return value == nullptr ? std::string() : std::string(value->get_string());
}

}  // namespace

Result<uint16_t> Api::PointsProgram(const std::string& given) {
  auto id = PointsProgramId(services_.ledger->config(), given);
  if (!id.ok()) return id.error();
  return ProgramIndex(services_.ledger->config(), *id);
}

ApiResponse Api::SubmitLedger(const Call& call,
                              const std::function<Result<LedgerRequest>()>& make) {
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    std::lock_guard lock(ledger_mutex_);
    auto request = make();
    if (!request.ok()) return request.error();
    auto outcome = services_.ledger->SubmitOne(*request, now);
    if (!outcome.ok()) return outcome.error();
    return ServiceAnswer{201,
                         LedgerOutcomeJson(services_.ledger->ledger(), *outcome, engine_.time()),
                         outcome->duplicate};
  });
}

ApiResponse Api::PointsBalance(const Call& call) {
  if (services_.ledger == nullptr) return Unavailable("the points ledger");
  std::lock_guard lock(ledger_mutex_);
  auto program = PointsProgram(call.query.contains("program") ? call.query.at("program") : "");
  if (!program.ok()) return Fail(program.error());
  return JsonText(200, PointsBalanceJson(services_.ledger->ledger(), *program, call.params.at("id"),
                                         engine_.time()));
}

ApiResponse Api::PointsHistory(const Call& call) {
  if (services_.ledger == nullptr) return Unavailable("the points ledger");
  int64_t limit = 50;
  if (auto it = call.query.find("limit"); it != call.query.end()) {
    const std::string& text = it->second;
    const bool digits = !text.empty() && text.size() <= 6 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    limit = digits ? std::stoll(text) : 0;
    if (limit < 1 || limit > 100'000) {
      return Fail(400, "invalid_argument", "limit must be a whole number from 1 to 100000",
                  "limit");
    }
  }
  std::lock_guard lock(ledger_mutex_);
  auto program = PointsProgram(call.query.contains("program") ? call.query.at("program") : "");
  if (!program.ok()) return Fail(program.error());
  return JsonText(200, PointsHistoryJson(services_.ledger->ledger(), *program, call.params.at("id"),
                                         limit, engine_.time()));
}

ApiResponse Api::PointsEarn(const Call& call) {
  if (services_.ledger == nullptr) return Unavailable("the points ledger");
  auto request = DecodeLedgerRequestJson(call.request->body, engine_.time());
  if (!request.ok()) return Fail(request.error());
  return SubmitLedger(call, [&]() -> Result<LedgerRequest> { return *request; });
}

ApiResponse Api::PointsRedeem(const Call& call) {
  if (services_.ledger == nullptr) return Unavailable("the points ledger");
  auto body = ObjectBody(call.request->body, {{"id", T::kString, true},
                                              {"program", T::kString},
                                              {"member", T::kString, true},
                                              {"points", T::kInteger, true},
                                              {"hold", T::kBool}});
  if (!body.ok()) return Fail(body.error());
  return SubmitLedger(call, [&]() -> Result<LedgerRequest> {
    auto program = PointsProgramId(services_.ledger->config(), Text(*body, "program"));
    if (!program.ok()) return program.error();
    const bool hold = body->contains("hold") && body->at("hold").get_bool();
    return LedgerRequest{TransferRequest{Text(*body, "id"), *program, TransferKind::kRedeem,
                                         Text(*body, "member"), "", body->at("points").get_int64(),
                                         hold}};
  });
}

ApiResponse Api::PointsLink(const Call& call) {
  if (services_.ledger == nullptr) return Unavailable("the points ledger");
  auto body = ObjectBody(call.request->body, {{"program", T::kString},
                                              {"member", T::kString, true},
                                              {"partner", T::kString, true},
                                              {"account", T::kString, true},
                                              {"consent", T::kBool, true}});
  if (!body.ok()) return Fail(body.error());
  return SubmitLedger(call, [&]() -> Result<LedgerRequest> {
    auto program = PointsProgramId(services_.ledger->config(), Text(*body, "program"));
    if (!program.ok()) return program.error();
    return LedgerRequest{LinkRequest{*program, Text(*body, "member"), Text(*body, "partner"),
                                     Text(*body, "account"), body->at("consent").get_bool()}};
  });
}

ApiResponse Api::PointsExchange(const Call& call) {
  if (services_.ledger == nullptr) return Unavailable("the points ledger");
  auto body = ObjectBody(call.request->body, {{"id", T::kString, true},
                                              {"program", T::kString},
                                              {"member", T::kString, true},
                                              {"partner", T::kString, true},
                                              {"points", T::kInteger, true}});
  if (!body.ok()) return Fail(body.error());
  return SubmitLedger(call, [&]() -> Result<LedgerRequest> {
    auto program = PointsProgramId(services_.ledger->config(), Text(*body, "program"));
    if (!program.ok()) return program.error();
    return LedgerRequest{ExchangeRequest{Text(*body, "id"), *program, Text(*body, "member"),
                                         Text(*body, "partner"), body->at("points").get_int64()}};
  });
}

ApiResponse Api::PointsExpire(const Call& call) {
  if (services_.ledger == nullptr) return Unavailable("the points ledger");
  if (Status empty = EmptyBody(call.request->body); !empty.ok()) return Fail(empty.error());
  // The job is idempotent at a moment: a second run finds nothing left to do.
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    std::lock_guard lock(ledger_mutex_);
    auto counts = services_.ledger->RunJob(now);
    if (!counts.ok()) return counts.error();
    return ServiceAnswer{200,
                         LedgerJobJson(services_.ledger->ledger(), *counts, now, engine_.time())};
  });
}

ApiResponse Api::LedgerVerify(const Call&) {
  if (services_.ledger == nullptr) return Unavailable("the points ledger");
  std::lock_guard lock(ledger_mutex_);
  const Ledger& ledger = services_.ledger->ledger();
  return JsonText(200,
                  LedgerVerifyJson(ledger, services_.ledger->last_batch(), VerifyLedger(ledger)));
}

}  // namespace onecard::server
