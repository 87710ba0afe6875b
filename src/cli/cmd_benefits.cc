// `onecard benefits list [--member M]`, `benefits activate` and `benefits confirm` (subscription
// grants: the app asks for the activation, the partner confirms it).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/checkout_cli.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "engine/benefit_json.h"
#include "engine/checkout_codec.h"

namespace onecard::cli {
namespace {

struct BenefitsOptions {
  std::string member;
  std::string benefit;
  std::string confirmation;
  std::string format = "table";
};

int RunList(const GlobalOptions& global, const BenefitsOptions& options) {
  if (options.format != "table" && options.format != "json") {
    return Fail(MakeError(ErrorCode::kInvalidArgument, "format", "expected table or json"));
  }
  auto session = OpenCheckoutFor(global);
  if (!session.ok()) return Fail(session.error());
  auto listings = session->service->ListBenefits(options.member, session->now);
  if (!listings.ok()) return Fail(listings.error());
  const bool for_member = !options.member.empty();
  const BenefitCatalog& catalog = session->service->catalog();
  if (options.format == "json") {
    std::printf("%s\n", BenefitListingsJson(catalog, *listings, for_member).c_str());
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const BenefitListing& listing : *listings) {
    rows.push_back(BenefitListingCells(catalog, listing, for_member));
  }
  std::printf("%s", RenderTable(BenefitListingHeader(for_member), rows).c_str());
  return 0;
}

int RunActivation(const GlobalOptions& global, const BenefitsOptions& options, bool confirm) {
  auto session = OpenCheckoutFor(global);
  if (!session.ok()) return Fail(session.error());
  CheckoutService& service = *session->service;
  auto fulfilment =
      confirm ? service.ConfirmFulfilment(options.member, options.benefit, options.confirmation,
                                          session->now)
              : service.ActivateSubscription(options.member, options.benefit, session->now);
  if (!fulfilment.ok()) return Fail(fulfilment.error());
  std::printf("%s\n", EncodeFulfilmentJson(*fulfilment, session->engine->time()).c_str());
  return 0;
}

}  // namespace

void AddBenefitCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  auto options = std::make_shared<BenefitsOptions>();
  CLI::App* benefits =
      app.add_subcommand("benefits", "The benefit catalogue; subscription activations");
  benefits->require_subcommand(1);
  CLI::App* list = benefits->add_subcommand(
      "list", "The catalogue, or with --member what the member has of it now");
  list->add_option("--member", options->member, "show this member's availability and counters");
  list->add_option("--format", options->format, "table (default) or json");
  list->callback(
      [&global, run, options] { *run = [&global, options] { return RunList(global, *options); }; });
  CLI::App* activate = benefits->add_subcommand(
      "activate", "Ask the partner to activate a subscription for the member's term (once)");
  activate->add_option("--member", options->member, "the member")->required();
  activate->add_option("--benefit", options->benefit, "the subscription benefit id")->required();
  activate->callback([&global, run, options] {
    *run = [&global, options] { return RunActivation(global, *options, false); };
  });
  CLI::App* confirm = benefits->add_subcommand(
      "confirm", "Record the partner's confirmation of a pending activation");
  confirm->add_option("--member", options->member, "the member")->required();
  confirm->add_option("--benefit", options->benefit, "the subscription benefit id")->required();
  confirm->add_option("--confirmation", options->confirmation, "the partner's confirmation id")
      ->required();
  confirm->callback([&global, run, options] {
    *run = [&global, options] { return RunActivation(global, *options, true); };
  });
}

}  // namespace onecard::cli
