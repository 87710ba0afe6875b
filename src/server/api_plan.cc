// The paid plan over HTTP: a member's plan status, purchase, renewal and refund (each under the
// request's Idempotency-Key, which becomes the plan's own key), and the plan's economics in a
// month. The plan service is thread-safe: no call here takes the engine's mutex except the
// Idempotency-Key records (Api::RunKept).
#include "core/plan_limits.h"
#include "core/program_time.h"
#include "engine/plan_json.h"
#include "server/api_support.h"

namespace onecard::server {
namespace {

// The plan names its key "key"; over HTTP the key is the Idempotency-Key header.
Error HeaderKeyError(Error error) {
  if (error.field != "key") return error;
  error.field = "Idempotency-Key";
  if (error.code == ErrorCode::kInvalidKey) {
    error.message = "the Idempotency-Key with the API key's id before it is over the plan's " +
                    std::to_string(limits::kPlanKeyBytesMax) + " bytes: " + error.message;
  }
  return error;
}

}  // namespace

ApiResponse Api::PlanStatus(const Call& call) {
  if (services_.plan == nullptr) return Unavailable("the paid plan");
  auto report = services_.plan->Report(call.params.at("id"), options_.clock());
  if (!report.ok()) return Fail(report.error());
  return JsonText(200, ReportJson(*report, engine_.time()));
}

ApiResponse Api::PlanPurchase(const Call& call) {
  if (services_.plan == nullptr) return Unavailable("the paid plan");
  auto body = ObjectBody(call.request->body, {{"auto_renew", BodyField::Type::kBool, false}});
  if (!body.ok()) return Fail(body.error());
  const bool auto_renew = body->contains("auto_renew") && body->at("auto_renew").get_bool();
  auto key = RequiredServiceKey(call);
  if (!key.ok()) return Fail(key.error());
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    auto receipt = services_.plan->Buy(call.params.at("id"), *key, auto_renew, now);
    if (!receipt.ok()) return HeaderKeyError(receipt.error());
    return ServiceAnswer{201, ReceiptJson(*receipt, engine_.time()), receipt->replayed};
  });
}

ApiResponse Api::PlanRenew(const Call& call) {
  if (services_.plan == nullptr) return Unavailable("the paid plan");
  if (Status empty = EmptyBody(call.request->body); !empty.ok()) return Fail(empty.error());
  auto key = RequiredServiceKey(call);
  if (!key.ok()) return Fail(key.error());
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    auto receipt = services_.plan->Renew(call.params.at("id"), *key, now);
    if (!receipt.ok()) return HeaderKeyError(receipt.error());
    return ServiceAnswer{201, ReceiptJson(*receipt, engine_.time()), receipt->replayed};
  });
}

ApiResponse Api::PlanRefund(const Call& call) {
  if (services_.plan == nullptr) return Unavailable("the paid plan");
  if (Status empty = EmptyBody(call.request->body); !empty.ok()) return Fail(empty.error());
  auto key = RequiredServiceKey(call);
  if (!key.ok()) return Fail(key.error());
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    auto receipt = services_.plan->Refund(call.params.at("id"), *key, now);
    if (!receipt.ok()) return HeaderKeyError(receipt.error());
    return ServiceAnswer{201, ReceiptJson(*receipt, engine_.time()), receipt->replayed};
  });
}

ApiResponse Api::Economics(const Call& call) {
  if (services_.plan == nullptr) return Unavailable("the paid plan");
  auto month = ParseMonthKey(call.params.at("month"));
  if (!month.ok()) return Fail(MakeError(ErrorCode::kInvalidMonth, "month", month.error().message));
  auto economics = services_.plan->Economics(*month);
  if (!economics.ok()) return Fail(economics.error());
  return JsonText(200, EconomicsJson(*economics));
}

}  // namespace onecard::server
