// The subcommands of `onecard`, grouped by what they work on. Each Add* registers its commands on
// the app; the one CLI11 picks sets *run to the work to do after parsing.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/cli_common.h"

namespace onecard::cli {

void AddEventCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
void AddScoreCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
void AddInvitationCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
void AddServeCommand(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
void AddGenCommand(CLI::App& app, std::function<int()>* run);
// Exclusive drops (cmd_drops.cc).
void AddDropsCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
// The paid plan (cmd_plan.cc) and its economics (cmd_economics.cc).
void AddPlanCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
void AddEconomicsCommand(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
// Benefits and checkout (issue 3).
void AddCheckoutCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
void AddBenefitCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
// Points ledger (issue 5): `onecard points …` (cmd_points.cc, cmd_points_partner.cc) and
// `onecard ledger verify` (cmd_ledger.cc).
void AddPointsCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);
void AddPointsPartnerCommands(CLI::App& points, const GlobalOptions& global,
                              std::function<int()>* run);
void AddLedgerCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run);

}  // namespace onecard::cli
