// `onecard points link|exchange|stay|challenge|status`: partner programs — linking a member's
// partner account with consent, moving points out at the partner's ratio with the block bonus
// (posted by `onecard points post --confirmation`), stays and status challenges.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/points_common.h"

namespace onecard::cli {
namespace {

struct PartnerOptions {
  std::string program;
  std::string member;
  std::string partner;
  std::string account;
  std::string id;
  std::string at;
  int64_t points = 0;
  bool consent = false;
};

int RunExchange(const GlobalOptions& global, const PartnerOptions& o) {
  auto session = OpenLedgerFor(global, false);
  if (!session.ok()) return Fail(session.error());
  auto program = ProgramOption(session->ledger->config(), o.program);
  if (!program.ok()) return Fail(program.error());
  auto outcome = session->ledger->SubmitOne(
      ExchangeRequest{o.id, *program, o.member, o.partner, o.points}, session->now);
  if (!outcome.ok()) return Fail(outcome.error());
  std::printf(
      "%s: %s points out, %s partner points + %s bonus; pending until the partner "
      "confirms (onecard points post --id ... --pending %s --confirmation ...)\n",
      outcome->duplicate ? "duplicate" : "ok", Thousands(o.points).c_str(),
      Thousands(outcome->points).c_str(), Thousands(outcome->bonus).c_str(), o.id.c_str());
  PrintOutcome(session->ledger->ledger(), *outcome);
  return 0;
}

int RunStay(const GlobalOptions& global, const PartnerOptions& o) {
  auto session = OpenLedgerFor(global, false);
  if (!session.ok()) return Fail(session.error());
  auto program = ProgramOption(session->ledger->config(), o.program);
  if (!program.ok()) return Fail(program.error());
  auto at = session->engine->time().ParseTimestamp(o.at);
  if (!at.ok()) return Fail(at.error());
  auto outcome = session->ledger->SubmitOne(StayRequest{o.id, *program, o.member, o.partner, *at},
                                            session->now);
  if (!outcome.ok()) return Fail(outcome.error());
  std::printf("%s\n", outcome->duplicate ? "duplicate" : "ok");
  return 0;
}

int RunStatus(const GlobalOptions& global, const PartnerOptions& o) {
  auto session = OpenLedgerFor(global, false);
  if (!session.ok()) return Fail(session.error());
  const Ledger& ledger = session->ledger->ledger();
  auto program_id = ProgramOption(ledger.config(), o.program);
  if (!program_id.ok()) return Fail(program_id.error());
  auto program = ProgramIndex(ledger.config(), *program_id);
  if (!program.ok()) return Fail(program.error());
  const PartnerExchange* partner = FindPartner(ledger.config().programs[*program], o.partner);
  if (partner == nullptr) {
    return Fail(MakeError(ErrorCode::kUnknownPartner, "partner", "no partner " + o.partner));
  }
  auto standing = session->standing->Standing(o.member, session->now);
  if (!standing.ok()) return Fail(standing.error());
  const PartnerStatus status =
      PartnerStatusFor(ledger, *program, *partner, o.member, standing->paid, session->now);
  const ProgramTime& time = session->engine->time();
  if (!status.linked) {
    std::printf("%s is not linked to %s\n", o.member.c_str(), partner->partner.c_str());
    return 0;
  }
  std::printf("%s with %s: %s", o.member.c_str(), partner->partner.c_str(),
              status.status.empty() ? "no status" : status.status.c_str());
  if (!status.reason.empty()) std::printf(" (%s)", status.reason.c_str());
  if (status.until.has_value()) std::printf(" until %s", time.FormatLocal(*status.until).c_str());
  if (status.challenge_ends.has_value()) {
    std::printf("; challenge %lld of %lld stays, window ends %s",
                static_cast<long long>(status.challenge_stays),
                static_cast<long long>(status.challenge_stays_needed),
                time.FormatLocal(*status.challenge_ends).c_str());
  }
  std::printf("\n");
  return 0;
}

CLI::App* Command(CLI::App& points, const char* name, const char* help, PartnerOptions& o) {
  CLI::App* command = points.add_subcommand(name, help);
  command->add_option("--program", o.program, "the points program id (default: the only one)");
  command->add_option("--member", o.member, "the member")->required();
  command->add_option("--partner", o.partner, "the partner program id")->required();
  return command;
}

}  // namespace

void AddPointsPartnerCommands(CLI::App& points, const GlobalOptions& global,
                              std::function<int()>* run) {
  auto o = std::make_shared<PartnerOptions>();
  auto on = [&global, run, o](CLI::App* command,
                              int (*body)(const GlobalOptions&, const PartnerOptions&)) {
    command->callback(
        [&global, run, o, body]() { *run = [&global, o, body]() { return body(global, *o); }; });
  };
  auto submit = [&global, run, o](CLI::App* command, LedgerRequest (*make)(const PartnerOptions&,
                                                                           const std::string&)) {
    command->callback([&global, run, o, make]() {
      *run = [&global, o, make]() {
        return SubmitAndPrint(global, o->program,
                              [&](const std::string& program) { return make(*o, program); });
      };
    });
  };
  CLI::App* link = Command(points, "link", "Link a member's partner account (with consent)", *o);
  link->add_option("--account", o->account, "the member's account with the partner")->required();
  link->add_flag("--consent", o->consent, "the member consented to the link");
  submit(link, [](const PartnerOptions& r, const std::string& program) -> LedgerRequest {
    return LinkRequest{program, r.member, r.partner, r.account, r.consent};
  });
  CLI::App* exchange = Command(points, "exchange", "Move points out to a partner program", *o);
  exchange->add_option("--id", o->id, "the transfer id (idempotency key)")->required();
  exchange->add_option("--points", o->points, "brand points to move")->required();
  on(exchange, RunExchange);
  CLI::App* stay = Command(points, "stay", "Record a qualifying stay the partner reported", *o);
  stay->add_option("--id", o->id, "the partner's stay id")->required();
  stay->add_option("--at", o->at, "when the stay was (ISO-8601)")->required();
  on(stay, RunStay);
  CLI::App* challenge = Command(points, "challenge", "Start a status challenge", *o);
  submit(challenge, [](const PartnerOptions& r, const std::string& program) -> LedgerRequest {
    return ChallengeRequest{program, r.member, r.partner};
  });
  CLI::App* status = Command(points, "status", "A member's status with a partner", *o);
  on(status, RunStatus);
}

}  // namespace onecard::cli
