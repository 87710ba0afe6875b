#include "engine/drop_json.h"

#include <boost/json.hpp>

#include "core/drop_schedule.h"

namespace onecard {
namespace {

namespace json = boost::json;

json::value Units(const std::vector<int32_t>& units) {
  json::array out;
  for (int32_t unit : units) out.emplace_back(unit);
  return out;
}

json::value Optional(const std::optional<Instant>& at, const ProgramTime& time) {
  if (!at) return nullptr;
  return json::string(time.FormatLocal(*at));
}

json::object ClaimObject(const DropClaim& claim, const ProgramTime& time) {
  return {{"drop", claim.drop},
          {"slot", time.FormatLocal(claim.slot)},
          {"member", claim.member},
          {"status", DropClaimStatusName(claim.status)},
          {"quantity", claim.quantity},
          {"units", Units(claim.units)},
          {"claimed_at", time.FormatLocal(claim.claimed_at)},
          {"hold_until", time.FormatLocal(claim.hold_until)},
          {"decided_at", Optional(claim.decided_at, time)},
          {"from_draw", claim.from_draw}};
}

json::object DrawObject(const DropDraw& draw, const ProgramTime& time) {
  return {{"drop", draw.drop},
          {"slot", time.FormatLocal(draw.slot)},
          {"seed", draw.seed},
          {"drawn_at", time.FormatLocal(draw.drawn_at)},
          {"registrants", draw.registrants},
          {"winners", draw.winners},
          {"units_won", draw.units_won}};
}

}  // namespace

Result<Instant> NamedSlot(DropService& drops, std::string_view drop, std::string_view text,
                          Instant now) {
  if (!text.empty()) {
    auto parsed = drops.time().ParseTimestamp(text);
    if (!parsed.ok()) return MakeError(ErrorCode::kInvalidSlot, "slot", parsed.error().message);
    return *parsed;
  }
  auto rules = drops.FindDrop(drop);
  if (!rules.ok()) return rules.error();
  const std::optional<Instant> latest = LatestSlotAtOrBefore(*rules, drops.time(), now);
  if (!latest) {
    return MakeError(ErrorCode::kDropNotOpen, "slot",
                     "drop " + std::string(drop) + " has had no slot yet; name one");
  }
  return *latest;
}

std::string DropRulesJson(const DropRules& rules, const ProgramTime& time, Instant now) {
  json::array weekdays;
  for (int32_t day = 0; day < 7; ++day) {
    if ((rules.schedule.weekdays & (1u << day)) != 0) weekdays.emplace_back(WeekdayName(day));
  }
  json::value date = nullptr;
  if (rules.schedule.date) date = json::string(FormatLocalDate(*rules.schedule.date));
  return json::serialize(
      json::object{{"drop", rules.id},
                   {"product", rules.product},
                   {"mode", DropModeName(rules.mode)},
                   {"weekdays", std::move(weekdays)},
                   {"date", std::move(date)},
                   {"time", FormatMinuteOfDay(rules.schedule.minute_of_day)},
                   {"units_per_slot", rules.units_per_slot},
                   {"per_member_limit", rules.per_member_limit},
                   {"window_minutes", rules.window_minutes},
                   {"hold_minutes", rules.hold_minutes},
                   {"paid_plan", rules.eligibility.paid_plan},
                   {"min_tier", rules.eligibility.min_tier},
                   {"next_slot", Optional(NextSlotAtOrAfter(rules, time, now), time)}});
}

std::string DropClaimJson(const DropClaim& claim, const ProgramTime& time) {
  return json::serialize(ClaimObject(claim, time));
}

std::string DropClaimsJson(const std::vector<DropClaim>& claims, const ProgramTime& time) {
  json::array out;
  for (const DropClaim& claim : claims) out.push_back(ClaimObject(claim, time));
  return json::serialize(out);
}

std::string DropRegistrationJson(const DropRegistration& r, const ProgramTime& time) {
  return json::serialize(json::object{{"drop", r.drop},
                                      {"slot", time.FormatLocal(r.slot)},
                                      {"member", r.member},
                                      {"quantity", r.quantity},
                                      {"registered_at", time.FormatLocal(r.registered_at)}});
}

std::string DropSlotStatusJson(std::string_view drop, const DropSlotStatus& status,
                               const ProgramTime& time) {
  const SlotTally& t = status.tally;
  json::value draw = nullptr;
  if (status.draw) draw = DrawObject(*status.draw, time);
  return json::serialize(json::object{{"drop", drop},
                                      {"slot", time.FormatLocal(status.slot)},
                                      {"open", status.open},
                                      {"units", t.units},
                                      {"held", t.held},
                                      {"confirmed", t.confirmed},
                                      {"available", t.available()},
                                      {"released", t.released},
                                      {"expired", t.expired},
                                      {"claims", t.claims},
                                      {"registrations", status.registrations},
                                      {"draw", std::move(draw)}});
}

std::string DropDrawJson(const DropDraw& draw, const ProgramTime& time) {
  return json::serialize(DrawObject(draw, time));
}

std::string DropDrawCheckJson(const DropDrawCheck& check, const ProgramTime& time) {
  json::array winners;
  for (const LotteryWinner& w : check.recomputed) {
    winners.push_back(json::object{{"rank", w.rank + 1},
                                   {"member", w.member},
                                   {"ticket", w.ticket},
                                   {"units", Units(w.units)}});
  }
  return json::serialize(json::object{{"draw", DrawObject(check.draw, time)},
                                      {"winners", std::move(winners)},
                                      {"matches", check.matches},
                                      {"mismatch", check.mismatch}});
}

}  // namespace onecard
