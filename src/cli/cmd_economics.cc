// `onecard economics --month YYYY-MM`: the paid plan's fees against what benefits cost the program
// in a program-local month (PRODUCT §7), in total and per paid member.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/plan_output.h"
#include "cli/plan_session.h"

namespace onecard::cli {
namespace {

struct EconomicsOptions {
  std::string month;
  std::string format = "table";
};

int RunEconomics(const GlobalOptions& global, const EconomicsOptions& options) {
  auto month = ParseMonthKey(options.month);
  if (!month.ok()) return Fail(MakeError(ErrorCode::kInvalidMonth, "month", month.error().message));
  auto session = OpenPlanSession(global);
  if (!session.ok()) return Fail(session.error());
  auto economics = session->plan->Economics(*month);
  if (!economics.ok()) return Fail(economics.error());
  if (options.format == "json") {
    std::printf("%s\n", EconomicsJson(*economics).c_str());
  } else if (options.format == "csv") {
    std::fputs(EconomicsCsv(*economics).c_str(), stdout);
  } else {
    std::printf("the paid plan's economics in %s\n", FormatMonthKey(*month).c_str());
    std::fputs(EconomicsTable(*economics).c_str(), stdout);
  }
  return 0;
}

}  // namespace

void AddEconomicsCommand(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  auto options = std::make_shared<EconomicsOptions>();
  CLI::App* economics = app.add_subcommand(
      "economics", "The paid plan's fees against the benefits' cost (subsidy) in a month");
  economics->add_option("--month", options->month, "YYYY-MM (program time)")->required();
  economics->add_option("--format", options->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  economics->callback([&global, run, options]() {
    *run = [&global, options]() { return RunEconomics(global, *options); };
  });
}

}  // namespace onecard::cli
