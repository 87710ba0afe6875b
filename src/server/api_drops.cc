// Exclusive drops over HTTP: the drops, opening one (operators), first-come claims and their
// confirmation or release, lottery registrations and draws, and what a slot holds. The drop
// service is thread-safe and never takes the engine's mutex. Each state-changing call is
// idempotent in the service by its natural key, so that Api::RunKept's record may follow the
// effect: a repeated claim or registration (drop, slot, member) gets the stored one; confirming a
// confirmed claim, releasing a released one, opening a drop with the rules it has, or drawing with
// the seed the draw used answers what is stored (marked replayed).
#include "engine/drop_json.h"
#include "engine/drop_rules_text.h"
#include "server/api_support.h"

namespace onecard::server {
namespace {

namespace json = boost::json;

std::string Text(const json::object& body, const char* name, std::string fallback = "") {
  const json::value* value = body.if_contains(name);
  return value == nullptr ? fallback : std::string(value->get_string());
}

int64_t Integer(const json::object& body, const char* name, int64_t fallback) {
  const json::value* value = body.if_contains(name);
  return value == nullptr ? fallback : value->get_int64();
}

using T = BodyField::Type;

}  // namespace

ApiResponse Api::ListDrops(const Call&) {
  if (services_.drops == nullptr) return Unavailable("drops");
  const Instant now = options_.clock();
  std::string out = "{\"drops\":[";
  bool first = true;
  for (const DropRules& rules : services_.drops->Drops()) {
    out += (first ? "" : ",") + DropRulesJson(rules, services_.drops->time(), now);
    first = false;
  }
  return JsonText(200, out + "]}");
}

ApiResponse Api::OpenDrop(const Call& call) {
  if (services_.drops == nullptr) return Unavailable("drops");
  auto body = ObjectBody(call.request->body, {{"id", T::kString, true},
                                              {"product", T::kString, true},
                                              {"mode", T::kString},
                                              {"weekdays", T::kString},
                                              {"date", T::kString},
                                              {"time", T::kString, true},
                                              {"units", T::kInteger, true},
                                              {"limit", T::kInteger},
                                              {"window_minutes", T::kInteger},
                                              {"hold_minutes", T::kInteger},
                                              {"paid_only", T::kBool},
                                              {"min_tier", T::kString}});
  if (!body.ok()) return Fail(body.error());
  DropRulesText text;
  text.id = Text(*body, "id");
  text.product = Text(*body, "product");
  text.mode = Text(*body, "mode", text.mode);
  text.weekdays = Text(*body, "weekdays");
  text.date = Text(*body, "date");
  text.time = Text(*body, "time");
  text.units = Integer(*body, "units", text.units);
  text.limit = Integer(*body, "limit", text.limit);
  text.window_minutes = Integer(*body, "window_minutes", text.window_minutes);
  text.hold_minutes = Integer(*body, "hold_minutes", text.hold_minutes);
  text.paid_only = body->contains("paid_only") && body->at("paid_only").get_bool();
  text.min_tier = Text(*body, "min_tier");
  auto rules = DropRulesFromText(text);
  if (!rules.ok()) return Fail(rules.error());
  DropService& drops = *services_.drops;
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    auto opened = drops.OpenDrop(*rules, now);
    if (opened.ok()) return ServiceAnswer{201, DropRulesJson(*opened, drops.time(), now)};
    if (opened.error().code != ErrorCode::kDropExists) return opened.error();
    // The same rules again (a retry) answer the drop; other rules under its id are a conflict.
    auto existing = drops.FindDrop(rules->id);
    if (!existing.ok()) return opened.error();
    DropRules expected = *rules;
    const std::string stored = DropRulesJson(*existing, drops.time(), now);
    if (stored != DropRulesJson(expected, drops.time(), now)) return opened.error();
    return ServiceAnswer{201, stored, true};
  });
}

void Api::ClaimDrop(Call& call, Responder respond) {
  if (services_.drops == nullptr) return respond(Unavailable("drops"));
  auto body =
      ObjectBody(call.request->body, {{"member", T::kString, true}, {"quantity", T::kInteger}});
  if (!body.ok()) return respond(Fail(body.error()));
  const Instant now = options_.clock();
  if (auto kept = KeptAnswer(call, now)) return respond(std::move(*kept));
  DropService& drops = *services_.drops;
  // Then runs at once for a refusal or a retry, else on the drops' committer thread.
  drops
      .BeginClaim(call.params.at("drop"), Text(*body, "member"), Integer(*body, "quantity", 1), now)
      .Then([this, &drops, respond = std::move(respond), idempotency = call.idempotency,
             now](Result<DropClaimAnswer> answer) {
        Result<ServiceAnswer> service_answer =
            answer.ok() ? Result<ServiceAnswer>(ServiceAnswer{
                              201, DropClaimJson(answer->claim, drops.time()), answer->repeated})
                        : Result<ServiceAnswer>(answer.error());
        respond(KeepAnswer(idempotency, std::move(service_answer), now));
      });
}

ApiResponse Api::DecideDropClaim(const Call& call, bool confirm) {
  if (services_.drops == nullptr) return Unavailable("drops");
  auto body = ObjectBody(call.request->body, {{"member", T::kString, true}, {"slot", T::kString}});
  if (!body.ok()) return Fail(body.error());
  DropService& drops = *services_.drops;
  const std::string& drop = call.params.at("drop");
  const std::string member = Text(*body, "member");
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    auto slot = NamedSlot(drops, drop, Text(*body, "slot"), now);
    if (!slot.ok()) return slot.error();
    auto claim =
        confirm ? drops.Confirm(drop, *slot, member, now) : drops.Release(drop, *slot, member, now);
    if (claim.ok()) return ServiceAnswer{200, DropClaimJson(*claim, drops.time())};
    if (claim.error().code != ErrorCode::kClaimNotHeld) return claim.error();
    // Decided already: the same decision again (a retry) answers the claim as it is.
    auto claims = drops.Results(drop, *slot);
    if (!claims.ok()) return claim.error();
    const DropClaimStatus wanted =
        confirm ? DropClaimStatus::kConfirmed : DropClaimStatus::kReleased;
    for (const DropClaim& stored : *claims) {
      if (stored.member == member && stored.status == wanted) {
        return ServiceAnswer{200, DropClaimJson(stored, drops.time()), true};
      }
    }
    return claim.error();
  });
}

ApiResponse Api::ConfirmDropClaim(const Call& call) { return DecideDropClaim(call, true); }
ApiResponse Api::ReleaseDropClaim(const Call& call) { return DecideDropClaim(call, false); }

ApiResponse Api::RegisterForDrop(const Call& call) {
  if (services_.drops == nullptr) return Unavailable("drops");
  auto body =
      ObjectBody(call.request->body, {{"member", T::kString, true}, {"quantity", T::kInteger}});
  if (!body.ok()) return Fail(body.error());
  DropService& drops = *services_.drops;
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    auto answer = drops.Register(call.params.at("drop"), Text(*body, "member"),
                                 Integer(*body, "quantity", 1), now);
    if (!answer.ok()) return answer.error();
    return ServiceAnswer{201, DropRegistrationJson(answer->registration, drops.time()),
                         answer->repeated};
  });
}

ApiResponse Api::DrawDrop(const Call& call) {
  if (services_.drops == nullptr) return Unavailable("drops");
  auto body = ObjectBody(call.request->body, {{"slot", T::kString}, {"seed", T::kString, true}});
  if (!body.ok()) return Fail(body.error());
  DropService& drops = *services_.drops;
  const std::string& drop = call.params.at("drop");
  const std::string seed = Text(*body, "seed");
  return RunKept(call, [&](Instant now) -> Result<ServiceAnswer> {
    auto slot = NamedSlot(drops, drop, Text(*body, "slot"), now);
    if (!slot.ok()) return slot.error();
    auto draw = drops.Draw(drop, *slot, seed, now);
    if (draw.ok()) return ServiceAnswer{201, DropDrawJson(*draw, drops.time())};
    if (draw.error().code != ErrorCode::kAlreadyDrawn) return draw.error();
    // Drawn already with this seed (a retry): the stored draw.
    auto status = drops.SlotStatus(drop, *slot, now);
    if (!status.ok() || !status->draw || status->draw->seed != seed) return draw.error();
    return ServiceAnswer{201, DropDrawJson(*status->draw, drops.time()), true};
  });
}

ApiResponse Api::DropStatus(const Call& call) {
  if (services_.drops == nullptr) return Unavailable("drops");
  DropService& drops = *services_.drops;
  const Instant now = options_.clock();
  const std::string& drop = call.params.at("drop");
  auto slot = NamedSlot(drops, drop, call.query.contains("slot") ? call.query.at("slot") : "", now);
  if (!slot.ok()) return Fail(slot.error());
  auto status = drops.SlotStatus(drop, *slot, now);
  if (!status.ok()) return Fail(status.error());
  return JsonText(200, DropSlotStatusJson(drop, *status, drops.time()));
}

ApiResponse Api::DropResults(const Call& call) {
  if (services_.drops == nullptr) return Unavailable("drops");
  DropService& drops = *services_.drops;
  const std::string& drop = call.params.at("drop");
  auto slot = NamedSlot(drops, drop, call.query.contains("slot") ? call.query.at("slot") : "",
                        options_.clock());
  if (!slot.ok()) return Fail(slot.error());
  auto claims = drops.Results(drop, *slot);
  if (!claims.ok()) return Fail(claims.error());
  return JsonText(200, "{\"drop\":" + json::serialize(json::string(drop)) + ",\"slot\":" +
                           json::serialize(json::string(drops.time().FormatLocal(*slot))) +
                           ",\"claims\":" + DropClaimsJson(*claims, drops.time()) + "}");
}

ApiResponse Api::VerifyDropDraw(const Call& call) {
  if (services_.drops == nullptr) return Unavailable("drops");
  DropService& drops = *services_.drops;
  const std::string& drop = call.params.at("drop");
  auto slot = NamedSlot(drops, drop, call.query.contains("slot") ? call.query.at("slot") : "",
                        options_.clock());
  if (!slot.ok()) return Fail(slot.error());
  auto check = drops.VerifyDraw(drop, *slot);
  if (!check.ok()) return Fail(check.error());
  return JsonText(200, DropDrawCheckJson(*check, drops.time()));
}

ApiResponse Api::MemberDropClaim(const Call& call) {
  if (services_.drops == nullptr) return Unavailable("drops");
  DropService& drops = *services_.drops;
  const std::string& drop = call.params.at("drop");
  const std::string& member = call.params.at("id");
  auto slot = NamedSlot(drops, drop, call.query.contains("slot") ? call.query.at("slot") : "",
                        options_.clock());
  if (!slot.ok()) return Fail(slot.error());
  auto claims = drops.Results(drop, *slot);
  if (!claims.ok()) return Fail(claims.error());
  for (const DropClaim& claim : *claims) {
    if (claim.member == member) return JsonText(200, DropClaimJson(claim, drops.time()));
  }
  return Fail(MakeError(ErrorCode::kNoClaim, "member",
                        "the member has no claim in this slot of drop " + QuoteInput(drop)));
}

}  // namespace onecard::server
