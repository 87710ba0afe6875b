// `onecard ledger verify`: rebuilds the points ledger from its log and checks every invariant
// (core/ledger_verify.h). Exit 0 when it holds, 1 on any violation.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/points_common.h"
#include "core/ledger_verify.h"

namespace onecard::cli {
namespace {

int RunVerify(const GlobalOptions& global) {
  auto session = OpenLedgerFor(global, false);
  if (!session.ok()) return Fail(session.error());  // a log that does not apply is a violation
  const Ledger& ledger = session->ledger->ledger();
  const std::vector<std::string> violations = VerifyLedger(ledger);
  for (const std::string& violation : violations) {
    std::fprintf(stderr, "violation: %s\n", violation.c_str());
  }
  std::printf("%s batches, %s transfers, %s accounts, %s programs: %s\n",
              Thousands(session->ledger->last_batch()).c_str(),
              Thousands(static_cast<int64_t>(ledger.transfers().size())).c_str(),
              Thousands(static_cast<int64_t>(ledger.accounts().size())).c_str(),
              Thousands(static_cast<int64_t>(ledger.config().programs.size())).c_str(),
              violations.empty()
                  ? "every invariant holds"
                  : (Thousands(static_cast<int64_t>(violations.size())) + " violations").c_str());
  return violations.empty() ? 0 : kExitFailure;
}

}  // namespace

void AddLedgerCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  CLI::App* ledger = app.add_subcommand("ledger", "The points ledger as a whole");
  ledger->require_subcommand(1);
  CLI::App* verify = ledger->add_subcommand(
      "verify", "Rebuild the ledger from its log and check every invariant (exit 1 if broken)");
  verify->callback([&global, run]() { *run = [&global]() { return RunVerify(global); }; });
}

}  // namespace onecard::cli
