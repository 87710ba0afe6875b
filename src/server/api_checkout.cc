// Checkout over HTTP: quote, commit and reverse orders that use benefits. The request JSON is the
// CLI's (engine/checkout_codec.h), read by the same decoder. The checkout service is thread-safe
// and never takes the engine's mutex: a quote touches nothing else, so it scales with the I/O
// threads.
#include "engine/checkout_codec.h"
#include "server/api_support.h"

namespace onecard::server {

ApiResponse Api::CheckoutQuote(const Call& call) {
  if (services_.checkout == nullptr) return Unavailable("checkout");
  CheckoutService& service = *services_.checkout;
  auto input = DecodeCheckoutJson(call.request->body, service.catalog());
  if (!input.ok()) return Fail(input.error());
  auto outcome = service.Quote(input->request, options_.clock());
  if (!outcome.ok()) return Fail(outcome.error());
  return JsonText(
      200, EncodeCheckoutOutcomeJson(*outcome, input->request, service.catalog(), engine_.time()));
}

ApiResponse Api::CheckoutCommit(const Call& call) {
  if (services_.checkout == nullptr) return Unavailable("checkout");
  CheckoutService& service = *services_.checkout;
  auto input = DecodeCheckoutJson(call.request->body, service.catalog());
  if (!input.ok()) return Fail(input.error());
  // The commit's own key: the Idempotency-Key header, else the body's "key"; either is scoped to
  // the API key that sent it.
  std::string key;
  if (call.request->idempotency_key) {
    key = ServiceKey(call.key.id, *call.request->idempotency_key);
  } else if (!input->key.empty()) {
    key = ServiceKey(call.key.id, input->key);
  } else {
    return Fail(MakeError(ErrorCode::kMissingField, "Idempotency-Key",
                          "a commit needs an Idempotency-Key header (or a \"key\" in the body): a "
                          "retry with the same key returns the first result"));
  }
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    auto outcome = service.Commit(key, input->request, now);
    if (!outcome.ok()) return outcome.error();
    return ServiceAnswer{
        201, EncodeCheckoutOutcomeJson(*outcome, input->request, service.catalog(), engine_.time()),
        outcome->replayed};
  });
}

ApiResponse Api::CheckoutReverse(const Call& call) {
  if (services_.checkout == nullptr) return Unavailable("checkout");
  auto fields = StringFields(call.request->body, {"member", "order"});
  if (!fields.ok()) return Fail(fields.error());
  CheckoutService& service = *services_.checkout;
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    auto outcome = service.Reverse(fields->at("member"), fields->at("order"), now);
    if (!outcome.ok()) return outcome.error();
    return ServiceAnswer{200, EncodeReverseJson(*outcome, service.catalog(), engine_.time()),
                         outcome->replayed};
  });
}

}  // namespace onecard::server
