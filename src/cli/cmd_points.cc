// `onecard points balance|history|earn|redeem|transfer|post|void|expire`: a member's points in a
// brand program, earning from purchase lines, spending, holds, and the expiry job.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/line_reader.h"
#include "cli/output.h"
#include "cli/points_common.h"
#include "core/ledger_limits.h"
#include "engine/ledger_json.h"
#include "engine/points_json.h"

namespace onecard::cli {
namespace {

struct PointsOptions {
  std::string program;
  std::string member;
  std::string to;
  std::string id;
  std::string pending;
  std::string confirmation;
  std::string input = "-";
  int64_t points = 0;
  int64_t limit = 50;
  bool hold = false;
  std::string format = "table";
};

std::string Name(const Ledger& ledger, AccountIndex index) {
  const Account& account = ledger.accounts()[index];
  return account.owner.empty() ? std::string(AccountKindName(account.kind)) : account.owner;
}

int RunBalance(const GlobalOptions& global, const PointsOptions& o) {
  auto session = OpenLedgerFor(global, false);
  if (!session.ok()) return Fail(session.error());
  const Ledger& ledger = session->ledger->ledger();
  auto program_id = ProgramOption(ledger.config(), o.program);
  if (!program_id.ok()) return Fail(program_id.error());
  auto program = ProgramIndex(ledger.config(), *program_id);
  if (!program.ok()) return Fail(program.error());
  const auto index = ledger.FindAccount(*program, AccountKind::kMember, o.member);
  const Account empty;
  const Account& a = index.has_value() ? ledger.accounts()[*index] : empty;
  const ProgramTime& time = session->engine->time();
  if (o.format == "json") {
    std::printf("%s\n", PointsBalanceJson(ledger, *program, o.member, time).c_str());
    return 0;
  }
  std::printf("%s in %s: %s available, %s pending (return window open), %s held, debt %s\n",
              o.member.c_str(), program_id->c_str(), Thousands(a.available()).c_str(),
              Thousands(a.credits_pending).c_str(), Thousands(a.debits_pending).c_str(),
              Thousands(a.debt).c_str());
  std::vector<std::vector<std::string>> rows;
  const int64_t warn_us = session->now.us + ledger.config().programs[*program].expiry_warning_days *
                                                int64_t{86'400'000'000};
  for (const Lot& lot : a.lots) {
    rows.push_back({Thousands(lot.remaining), time.FormatLocal(lot.expires),
                    lot.expires.us <= warn_us ? "soon" : ""});
  }
  if (!rows.empty()) std::printf("%s", RenderTable({"points", "expires", "warning"}, rows).c_str());
  return 0;
}

int RunHistory(const GlobalOptions& global, const PointsOptions& o) {
  auto session = OpenLedgerFor(global, false);
  if (!session.ok()) return Fail(session.error());
  const Ledger& ledger = session->ledger->ledger();
  auto program_id = ProgramOption(ledger.config(), o.program);
  if (!program_id.ok()) return Fail(program_id.error());
  auto program = ProgramIndex(ledger.config(), *program_id);
  if (!program.ok()) return Fail(program.error());
  const auto index = ledger.FindAccount(*program, AccountKind::kMember, o.member);
  if (!index.has_value()) {
    std::printf("%s has no points history in %s\n", o.member.c_str(), program_id->c_str());
    return 0;
  }
  const std::vector<TransferIndex>& history = ledger.accounts()[*index].history;
  const size_t first = history.size() > static_cast<size_t>(o.limit)
                           ? history.size() - static_cast<size_t>(o.limit)
                           : 0;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = first; i < history.size(); ++i) {
    const Transfer& t = ledger.transfers()[history[i]];
    const bool out = t.debit == *index;
    rows.push_back({session->engine->time().FormatLocal(t.at), t.id,
                    std::string(TransferKindName(t.kind)), std::string(TransferPhaseName(t.phase)),
                    (out ? "-" : "+") + std::to_string(t.amount),
                    Name(ledger, out ? t.credit : t.debit), t.reference});
  }
  std::printf(
      "%s",
      RenderTable({"at", "id", "kind", "phase", "points", "with", "reference"}, rows).c_str());
  return 0;
}

// Reads JSONL earn and refund lines and submits them in batches; prints rejects by line number.
int RunEarn(const GlobalOptions& global, const PointsOptions& o) {
  auto session = OpenLedgerFor(global, /*create_database=*/true);
  if (!session.ok()) return Fail(session.error());
  LineReader reader;
  if (Status opened = reader.Open(o.input, limits::kLedgerLineBytesMax); !opened.ok()) {
    return Fail(opened.error());
  }
  int64_t accepted = 0, duplicate = 0, rejected = 0, points = 0;
  std::vector<LedgerRequest> batch;
  std::vector<int64_t> line_numbers;
  auto flush = [&]() -> Status {
    auto results = session->ledger->Submit(batch, session->now);
    if (!results.ok()) return results.error();
    for (size_t i = 0; i < results->size(); ++i) {
      const Result<LedgerOutcome>& result = (*results)[i];
      if (!result.ok()) {
        ++rejected;
        std::fprintf(stderr, "line %lld: rejected %s\n", static_cast<long long>(line_numbers[i]),
                     result.error().ToString().c_str());
      } else if (result->duplicate) {
        ++duplicate;
      } else {
        ++accepted;
        points += std::holds_alternative<EarnRequest>(batch[i]) ? result->points : -result->points;
      }
    }
    batch.clear();
    line_numbers.clear();
    return Status::Ok();
  };
  std::string line;
  int64_t line_number = 0;
  while (reader.Next(&line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto request = DecodeLedgerRequestJson(line, session->engine->time());
    if (!request.ok()) {
      ++rejected;
      std::fprintf(stderr, "line %lld: rejected %s\n", static_cast<long long>(line_number),
                   request.error().ToString().c_str());
      continue;
    }
    batch.push_back(std::move(request).value());
    line_numbers.push_back(line_number);
    if (static_cast<int64_t>(batch.size()) >= 10'000) {
      if (Status s = flush(); !s.ok()) return Fail(s.error());
    }
  }
  if (Status s = flush(); !s.ok()) return Fail(s.error());
  if (Status read = reader.status(); !read.ok()) return Fail(read.error());
  std::printf("accepted %s, duplicate %s, rejected %s; net points %s\n",
              Thousands(accepted).c_str(), Thousands(duplicate).c_str(),
              Thousands(rejected).c_str(), Thousands(points).c_str());
  return 0;
}

int RunExpire(const GlobalOptions& global, const PointsOptions& /*options*/) {
  auto session = OpenLedgerFor(global, false);
  if (!session.ok()) return Fail(session.error());
  auto counts = session->ledger->RunJob(session->now);
  if (!counts.ok()) return Fail(counts.error());
  std::printf(
      "posted %s pending earnings (debt paid %s), voided %s holds and exchanges, expired %s "
      "points of %s members\n",
      Thousands(counts->posted).c_str(), Thousands(counts->settled).c_str(),
      Thousands(counts->voided).c_str(), Thousands(counts->expired_points).c_str(),
      Thousands(counts->expired_accounts).c_str());
  const Ledger& ledger = session->ledger->ledger();
  for (uint16_t p = 0; p < ledger.config().programs.size(); ++p) {
    for (const ExpiryWarning& w : ExpiryWarnings(ledger, p, session->now)) {
      std::printf("warn %s %s: %s points expire from %s\n", ledger.config().programs[p].id.c_str(),
                  w.member.c_str(), Thousands(w.points).c_str(),
                  session->engine->time().FormatLocal(w.first_expiry).c_str());
    }
  }
  return 0;
}

CLI::App* Command(CLI::App& points, const char* name, const char* help, PointsOptions& o) {
  CLI::App* command = points.add_subcommand(name, help);
  command->add_option("--program", o.program, "the points program id (default: the only one)");
  return command;
}

void AddSpendCommands(CLI::App& points, const GlobalOptions& global, std::function<int()>* run,
                      const std::shared_ptr<PointsOptions>& o) {
  auto submit = [&global, run, o](
                    CLI::App* command,
                    std::function<LedgerRequest(const PointsOptions&, const std::string&)> make) {
    command->callback([&global, run, o, make]() {
      *run = [&global, o, make]() {
        return SubmitAndPrint(global, o->program,
                              [&](const std::string& program) { return make(*o, program); });
      };
    });
  };
  CLI::App* redeem = Command(points, "redeem", "Spend points (earliest-expiring first)", *o);
  redeem->add_option("--id", o->id, "the transfer id (idempotency key)")->required();
  redeem->add_option("--member", o->member, "the member")->required();
  redeem->add_option("--points", o->points, "points to spend")->required();
  redeem->add_flag("--hold", o->hold,
                   "only hold them (checkout): `points post` redeems, `points void` or the "
                   "program's hold timeout returns them");
  submit(redeem, [](const PointsOptions& r, const std::string& program) -> LedgerRequest {
    return TransferRequest{r.id, program, TransferKind::kRedeem, r.member, "", r.points, r.hold};
  });
  CLI::App* transfer = Command(points, "transfer", "Move points to another member", *o);
  transfer->add_option("--id", o->id, "the transfer id (idempotency key)")->required();
  transfer->add_option("--from", o->member, "the member giving")->required();
  transfer->add_option("--to", o->to, "the member receiving")->required();
  transfer->add_option("--points", o->points, "points to move")->required();
  submit(transfer, [](const PointsOptions& r, const std::string& program) -> LedgerRequest {
    return TransferRequest{r.id, program, TransferKind::kTransfer, r.member, r.to, r.points, false};
  });
  for (const bool post : {true, false}) {
    CLI::App* settle = points.add_subcommand(
        post ? "post" : "void",
        post ? "Complete a hold, or an exchange with the partner's confirmation"
             : "Cancel a hold or an exchange; its points return");
    settle->add_option("--id", o->id, "this transfer's id (idempotency key)")->required();
    settle->add_option("--pending", o->pending, "the pending transfer's id")->required();
    if (post) settle->add_option("--confirmation", o->confirmation, "the partner's confirmation");
    submit(settle, [post](const PointsOptions& r, const std::string&) -> LedgerRequest {
      return SettleRequest{r.id, r.pending, post, r.confirmation};
    });
  }
}

}  // namespace

void AddPointsCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  auto o = std::make_shared<PointsOptions>();
  CLI::App* points = app.add_subcommand("points", "Brand points: balances, earning, spending");
  points->require_subcommand(1);
  auto on = [&global, run, o](CLI::App* command,
                              int (*body)(const GlobalOptions&, const PointsOptions&)) {
    command->callback(
        [&global, run, o, body]() { *run = [&global, o, body]() { return body(global, *o); }; });
  };
  CLI::App* balance = Command(*points, "balance", "A member's points, lots and expiry", *o);
  balance->add_option("member", o->member, "the member id")->required();
  balance->add_option("--format", o->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  on(balance, RunBalance);
  CLI::App* history = Command(*points, "history", "A member's transfers, latest last", *o);
  history->add_option("member", o->member, "the member id")->required();
  history->add_option("--limit", o->limit, "show at most this many")
      ->check(CLI::Range(int64_t{1}, int64_t{100'000}));
  on(history, RunHistory);
  CLI::App* earn = points->add_subcommand(
      "earn", "Earn from purchase lines and reverse refunds (JSONL; see engine/ledger_json.h)");
  earn->add_option("input", o->input, "JSONL file, or - for standard input");
  on(earn, RunEarn);
  CLI::App* expire = points->add_subcommand(
      "expire",
      "Run the job: post earnings whose return window closed, void timed-out holds, "
      "expire lots; list members to warn");
  on(expire, RunExpire);
  AddSpendCommands(*points, global, run, o);
  AddPointsPartnerCommands(*points, global, run);
}

}  // namespace onecard::cli
