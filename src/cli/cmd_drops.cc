// `onecard drops open|claim|confirm|release|status|results|register|draw|verify-draw|
// expire-holds`: exclusive drops from the command line (engine/drop_service.h does the work).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <random>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/drops_context.h"
#include "cli/output.h"
#include "core/drop_lottery.h"
#include "core/drop_schedule.h"
#include "engine/drop_json.h"
#include "engine/drop_rules_text.h"

namespace onecard::cli {
namespace {

struct DropsOptions {
  std::string drop;
  std::string member;
  std::string slot;  // empty: the latest slot of the drop at or before now
  int64_t quantity = 1;
  std::string seed;
  std::string format = "table";
  bool registrants = false;
  DropRulesText open;  // drops open
};

std::string Local(const DropsContext& c, Instant instant) {
  return c.drops->time().FormatLocal(instant);
}

// The slot named by --slot, or the drop's latest slot at or before now.
Result<Instant> SlotOption(const DropsContext& c, const DropsOptions& o) {
  return NamedSlot(*c.drops, o.drop, o.slot, c.now);
}

std::string Units(const std::vector<int32_t>& units) {
  std::string out;
  for (int32_t unit : units) out += (out.empty() ? "" : " ") + std::to_string(unit);
  return out;
}

void PrintClaim(const DropsContext& c, const DropClaim& claim, bool repeated) {
  std::printf("%s %s: %lld unit(s) of %s, slot %s, units [%s]", claim.member.c_str(),
              std::string(DropClaimStatusName(claim.status)).c_str(),
              static_cast<long long>(claim.quantity), claim.drop.c_str(),
              Local(c, claim.slot).c_str(), Units(claim.units).c_str());
  if (claim.status == DropClaimStatus::kHeld) {
    std::printf(", confirm before %s", Local(c, claim.hold_until).c_str());
  }
  std::printf("%s\n", repeated ? " (repeated: the stored claim)" : "");
}

int RunOpen(DropsContext& c, const DropsOptions& o) {
  DropRulesText text = o.open;
  text.id = o.drop;
  auto rules = DropRulesFromText(text);
  if (!rules.ok()) return Fail(rules.error());
  auto opened = c.drops->OpenDrop(*rules, c.now);
  if (!opened.ok()) return Fail(opened.error());
  const std::optional<Instant> next = NextSlotAtOrAfter(*opened, c.drops->time(), c.now);
  std::printf("opened drop %s (%s, %lld units a slot); next slot %s\n", opened->id.c_str(),
              std::string(DropModeName(opened->mode)).c_str(),
              static_cast<long long>(opened->units_per_slot),
              next ? Local(c, *next).c_str() : "none (the date has passed)");
  return 0;
}

int RunClaim(DropsContext& c, const DropsOptions& o) {
  auto answer = c.drops->Claim(o.drop, o.member, o.quantity, c.now);
  if (!answer.ok()) return Fail(answer.error());
  PrintClaim(c, answer->claim, answer->repeated);
  return 0;
}

int RunDecide(DropsContext& c, const DropsOptions& o, bool confirm) {
  auto slot = SlotOption(c, o);
  if (!slot.ok()) return Fail(slot.error());
  auto claim = confirm ? c.drops->Confirm(o.drop, *slot, o.member, c.now)
                       : c.drops->Release(o.drop, *slot, o.member, c.now);
  if (!claim.ok()) return Fail(claim.error());
  PrintClaim(c, *claim, false);
  return 0;
}

int RunRegister(DropsContext& c, const DropsOptions& o) {
  auto answer = c.drops->Register(o.drop, o.member, o.quantity, c.now);
  if (!answer.ok()) return Fail(answer.error());
  std::printf("%s registered for %lld unit(s) of %s, slot %s%s\n", o.member.c_str(),
              static_cast<long long>(answer->registration.quantity), o.drop.c_str(),
              Local(c, answer->registration.slot).c_str(),
              answer->repeated ? " (repeated: the stored registration)" : "");
  return 0;
}

// 32 hex digits from the system's random generator, when the operator gives no seed.
std::string RandomSeed() {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string seed;
  for (int i = 0; i < 32; ++i) seed += kHex[device() & 0xF];
  return seed;
}

int RunDraw(DropsContext& c, const DropsOptions& o) {
  auto slot = SlotOption(c, o);
  if (!slot.ok()) return Fail(slot.error());
  const std::string seed = o.seed.empty() ? RandomSeed() : o.seed;
  auto draw = c.drops->Draw(o.drop, *slot, seed, c.now);
  if (!draw.ok()) return Fail(draw.error());
  std::printf("drew %s slot %s with seed %s: %lld registrants, %lld winners, %lld units\n",
              o.drop.c_str(), Local(c, *slot).c_str(), draw->seed.c_str(),
              static_cast<long long>(draw->registrants), static_cast<long long>(draw->winners),
              static_cast<long long>(draw->units_won));
  return 0;
}

int RunVerifyDraw(DropsContext& c, const DropsOptions& o) {
  auto slot = SlotOption(c, o);
  if (!slot.ok()) return Fail(slot.error());
  auto check = c.drops->VerifyDraw(o.drop, *slot);
  if (!check.ok()) return Fail(check.error());
  std::printf("seed %s, %lld registrants: %zu winners recomputed\n", check->draw.seed.c_str(),
              static_cast<long long>(check->draw.registrants), check->recomputed.size());
  for (const LotteryWinner& winner : check->recomputed) {
    std::printf("  #%lld %s ticket %s units [%s]\n", static_cast<long long>(winner.rank + 1),
                winner.member.c_str(), winner.ticket.c_str(), Units(winner.units).c_str());
  }
  if (!check->matches) {
    return Fail(MakeError(ErrorCode::kCorruptState, "draw",
                          "the stored winners differ from the draw re-run: " + check->mismatch));
  }
  std::printf("the stored winners match the draw re-run from the seed\n");
  return 0;
}

int RunStatus(DropsContext& c, const DropsOptions& o) {
  if (o.drop.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const DropRules& rules : c.drops->Drops()) {
      const std::optional<Instant> next = NextSlotAtOrAfter(rules, c.drops->time(), c.now);
      rows.push_back({rules.id, std::string(DropModeName(rules.mode)),
                      std::to_string(rules.units_per_slot), std::to_string(rules.per_member_limit),
                      rules.eligibility.paid_plan ? "yes" : "no",
                      rules.eligibility.min_tier.empty() ? "-" : rules.eligibility.min_tier,
                      next ? Local(c, *next) : "-", rules.product});
    }
    std::fputs(
        RenderTable({"drop", "mode", "units", "limit", "paid", "min_tier", "next_slot", "product"},
                    rows)
            .c_str(),
        stdout);
    return 0;
  }
  auto slot = SlotOption(c, o);
  if (!slot.ok()) return Fail(slot.error());
  auto status = c.drops->SlotStatus(o.drop, *slot, c.now);
  if (!status.ok()) return Fail(status.error());
  const SlotTally& t = status->tally;
  std::printf(
      "%s slot %s (%s): units %lld held %lld confirmed %lld available %lld released "
      "%lld expired %lld claims %lld registrations %lld\n",
      o.drop.c_str(), Local(c, *slot).c_str(), status->open ? "open" : "closed",
      static_cast<long long>(t.units), static_cast<long long>(t.held),
      static_cast<long long>(t.confirmed), static_cast<long long>(t.available()),
      static_cast<long long>(t.released), static_cast<long long>(t.expired),
      static_cast<long long>(t.claims), static_cast<long long>(status->registrations));
  if (status->draw) {
    std::printf("drawn %s with seed %s: %lld winners\n", Local(c, status->draw->drawn_at).c_str(),
                status->draw->seed.c_str(), static_cast<long long>(status->draw->winners));
  }
  return 0;
}

int RunResults(DropsContext& c, const DropsOptions& o) {
  auto slot = SlotOption(c, o);
  if (!slot.ok()) return Fail(slot.error());
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  if (o.registrants) {
    // Registrants with their tickets: what anyone needs, with the published seed, to re-run a draw.
    auto registrations = c.drops->Registrations(o.drop, *slot);
    if (!registrations.ok()) return Fail(registrations.error());
    auto status = c.drops->SlotStatus(o.drop, *slot, c.now);
    if (!status.ok()) return Fail(status.error());
    header = {"member", "quantity", "registered_at", "ticket"};
    for (const DropRegistration& r : *registrations) {
      rows.push_back({r.member, std::to_string(r.quantity), Local(c, r.registered_at),
                      status->draw
                          ? LotteryTicket(status->draw->seed, o.drop, Local(c, *slot), r.member)
                          : "-"});
    }
  } else {
    auto claims = c.drops->Results(o.drop, *slot);
    if (!claims.ok()) return Fail(claims.error());
    header = {"member", "status", "quantity", "units", "claimed_at", "hold_until", "decided_at"};
    for (const DropClaim& claim : *claims) {
      rows.push_back({claim.member, std::string(DropClaimStatusName(claim.status)),
                      std::to_string(claim.quantity), Units(claim.units),
                      Local(c, claim.claimed_at), Local(c, claim.hold_until),
                      claim.decided_at ? Local(c, *claim.decided_at) : ""});
    }
  }
  if (o.format == "table") {
    std::fputs(RenderTable(header, rows).c_str(), stdout);
    return 0;
  }
  const bool json = o.format == "json";
  std::string out = json ? "[" : "";
  if (!json) {
    for (size_t i = 0; i < header.size(); ++i) out += (i ? "," : "") + CsvField(header[i]);
    out += "\n";
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    if (json) out += r ? ",{" : "{";
    for (size_t i = 0; i < header.size(); ++i) {
      out += json ? (i ? "," : "") + JsonString(header[i]) + ":" + JsonString(rows[r][i])
                  : (i ? "," : "") + CsvField(rows[r][i]);
    }
    out += json ? "}" : "\n";
  }
  if (json) out += "]\n";
  std::fputs(out.c_str(), stdout);
  return 0;
}

int RunExpire(DropsContext& c) {
  auto expired = c.drops->ExpireHolds(c.now);
  if (!expired.ok()) return Fail(expired.error());
  std::printf("%lld hold(s) expired; their units are back in stock\n",
              static_cast<long long>(*expired));
  return 0;
}

using Runner = int (*)(DropsContext&, const DropsOptions&);

void Add(CLI::App& drops, const GlobalOptions& global, std::function<int()>* run,
         std::shared_ptr<DropsOptions> o, const std::string& name, const std::string& help,
         bool creates, Runner runner, const std::function<void(CLI::App*)>& options) {
  CLI::App* command = drops.add_subcommand(name, help);
  options(command);
  command->callback([&global, run, o, creates, runner]() {
    *run = [&global, o, creates, runner]() {
      auto context = OpenDropsContext(global, creates);
      if (!context.ok()) return Fail(context.error());
      return runner(*context, *o);
    };
  });
}

}  // namespace

void AddDropsCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  CLI::App* drops =
      app.add_subcommand("drops", "Exclusive drops: scarce products for eligible members");
  drops->require_subcommand(1);
  auto o = std::make_shared<DropsOptions>();
  auto drop = [o](CLI::App* c) { c->add_option("--drop", o->drop, "the drop id")->required(); };
  auto member = [o](CLI::App* c) {
    c->add_option("member", o->member, "the member id")->required();
  };
  auto slot = [o](CLI::App* c) {
    c->add_option("--slot", o->slot, "the slot (ISO-8601); default: the latest at or before now");
  };
  auto quantity = [o](CLI::App* c) {
    c->add_option("--quantity", o->quantity, "units (1 … the drop's per-member limit)");
  };
  Add(*drops, global, run, o, "open", "Create a drop (persisted)", true, RunOpen, [o](CLI::App* c) {
    c->add_option("--drop", o->drop, "the new drop's id ([a-z0-9_-])")->required();
    c->add_option("--product", o->open.product, "what is sold")->required();
    c->add_option("--mode", o->open.mode, "first_come (default) or lottery");
    c->add_option("--weekdays", o->open.weekdays, "slots every week on these days: tue,thu,sat");
    c->add_option("--date", o->open.date, "or one slot on this date: YYYY-MM-DD");
    c->add_option("--time", o->open.time, "slot time of day, program time: HH:MM")->required();
    c->add_option("--units", o->open.units, "units per slot")->required();
    c->add_option("--limit", o->open.limit, "units per member per slot (default 1)");
    c->add_option("--window-minutes", o->open.window_minutes, "claim or registration window (60)");
    c->add_option("--hold-minutes", o->open.hold_minutes,
                  "minutes a hold waits for confirmation (15)");
    c->add_flag("--paid-only", o->open.paid_only, "only members with an active paid plan");
    c->add_option("--min-tier", o->open.min_tier, "lowest tier that may claim (default: any)");
  });
  Add(*drops, global, run, o, "claim", "Claim units of the slot open now (first come)", true,
      RunClaim, [=](CLI::App* c) { drop(c), member(c), quantity(c); });
  Add(
      *drops, global, run, o, "confirm", "Confirm (buy) a held claim", true,
      [](DropsContext& c, const DropsOptions& opts) { return RunDecide(c, opts, true); },
      [=](CLI::App* c) { drop(c), member(c), slot(c); });
  Add(
      *drops, global, run, o, "release", "Release a held claim back to stock", true,
      [](DropsContext& c, const DropsOptions& opts) { return RunDecide(c, opts, false); },
      [=](CLI::App* c) { drop(c), member(c), slot(c); });
  Add(*drops, global, run, o, "status", "Drops, or one slot's units by state", false, RunStatus,
      [=](CLI::App* c) {
        c->add_option("--drop", o->drop, "the drop id (default: list every drop)");
        slot(c);
      });
  Add(*drops, global, run, o, "results", "A slot's claims (or --registrants with tickets)", false,
      RunResults, [=](CLI::App* c) {
        drop(c), slot(c);
        c->add_option("--format", o->format, "table, csv or json")
            ->check(CLI::IsMember({"table", "csv", "json"}));
        c->add_flag("--registrants", o->registrants, "list lottery registrants and tickets");
      });
  Add(*drops, global, run, o, "register", "Register for the lottery slot open now", true,
      RunRegister, [=](CLI::App* c) { drop(c), member(c), quantity(c); });
  Add(*drops, global, run, o, "draw", "Draw a lottery slot after its window", true, RunDraw,
      [=](CLI::App* c) {
        drop(c), slot(c);
        c->add_option("--seed", o->seed, "the published seed (default: 32 random hex digits)");
      });
  Add(*drops, global, run, o, "verify-draw", "Re-run a draw from its seed and compare", false,
      RunVerifyDraw, [=](CLI::App* c) { drop(c), slot(c); });
  Add(
      *drops, global, run, o, "expire-holds", "Return holds that ran out to stock", true,
      [](DropsContext& c, const DropsOptions&) { return RunExpire(c); }, [](CLI::App*) {});
}

}  // namespace onecard::cli
