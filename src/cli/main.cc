// `onecard`: the command line of the onecard membership engine.
#include <CLI/CLI.hpp>

#include "cli/cli_common.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace onecard::cli;
  CLI::App app{"onecard: an ecosystem membership engine (events, engagement scores, tiers)",
               "onecard"};
  app.set_version_flag("--version", ONECARD_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand: `onecard publish --db F`
  GlobalOptions global;
  app.add_option("--db", global.db, "the database file (SQLite; created if missing)");
  app.add_option("--config", global.config,
                 "program config (TOML) for a new database; default: built-in eighty-eight");
  app.add_option("--now", global.now,
                 "the current instant (ISO-8601) instead of the system clock, for replays");
  std::function<int()> run;
  AddEventCommands(app, global, &run);
  AddScoreCommands(app, global, &run);
  AddInvitationCommands(app, global, &run);
  AddServeCommand(app, global, &run);
  AddGenCommand(app, &run);
  AddDropsCommands(app, global, &run);  // exclusive drops
  AddPlanCommands(app, global, &run);  // the paid plan
  AddEconomicsCommand(app, global, &run);
  // Benefits and checkout (issue 3).
  AddCheckoutCommands(app, global, &run);
  AddBenefitCommands(app, global, &run);
  AddPointsCommands(app, global, &run);  // points ledger (issue 5)
  AddLedgerCommands(app, global, &run);
  CLI11_PARSE(app, argc, argv);
  return run ? run() : 0;
}
