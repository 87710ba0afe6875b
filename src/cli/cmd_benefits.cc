// `onecard benefits list [--member M]`, `benefits activate` and `benefits confirm` (subscription
// grants: the app asks for the activation, the partner confirms it).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/checkout_cli.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "engine/checkout_codec.h"

namespace onecard::cli {
namespace {

struct BenefitsOptions {
  std::string member;
  std::string benefit;
  std::string confirmation;
  std::string format = "table";
};

std::string Optional(const std::optional<int64_t>& value) {
  return value.has_value() ? std::to_string(*value) : "";
}

// The cells of one listing: id, partner, kind, name, then the member's view.
std::vector<std::string> Cells(const CheckoutService& service, const BenefitListing& listing,
                               bool for_member) {
  const BenefitCatalog& catalog = service.catalog();
  const Benefit& b = catalog.benefits[static_cast<size_t>(listing.benefit)];
  const Partner& partner = catalog.partners[static_cast<size_t>(b.partner)];
  std::vector<std::string> cells = {b.id,
                                    partner.id,
                                    std::string(ScenarioName(partner.scenario)),
                                    std::string(BenefitKindName(b.kind)),
                                    b.min_tier.empty() ? "-" : b.min_tier,
                                    b.paid_required ? "yes" : "no"};
  if (!for_member) {
    cells.push_back(b.name);
    return cells;
  }
  cells.push_back(std::string(AvailabilityName(listing.availability)));
  cells.push_back(Optional(listing.vouchers_left));
  cells.push_back(listing.cap_left ? FormatMoney(*listing.cap_left) : "");
  cells.push_back(Optional(listing.month_left));
  cells.push_back(listing.fulfilment ? std::string(FulfilmentStatusName(listing.fulfilment->status))
                                     : "");
  return cells;
}

std::vector<std::string> Header(bool for_member) {
  std::vector<std::string> header = {"benefit", "partner", "scenario", "kind", "min_tier", "paid"};
  if (!for_member) {
    header.push_back("name");
    return header;
  }
  for (const char* column :
       {"availability", "vouchers_left", "cap_left", "month_left", "activation"}) {
    header.push_back(column);
  }
  return header;
}

int RunList(const GlobalOptions& global, const BenefitsOptions& options) {
  if (options.format != "table" && options.format != "json") {
    return Fail(MakeError(ErrorCode::kInvalidArgument, "format", "expected table or json"));
  }
  auto session = OpenCheckoutFor(global);
  if (!session.ok()) return Fail(session.error());
  auto listings = session->service->ListBenefits(options.member, session->now);
  if (!listings.ok()) return Fail(listings.error());
  const bool for_member = !options.member.empty();
  const std::vector<std::string> header = Header(for_member);
  std::vector<std::vector<std::string>> rows;
  for (const BenefitListing& listing : *listings) {
    rows.push_back(Cells(*session->service, listing, for_member));
  }
  if (options.format == "table") {
    std::printf("%s", RenderTable(header, rows).c_str());
    return 0;
  }
  std::string out = "[";
  for (size_t r = 0; r < rows.size(); ++r) {
    out += r == 0 ? "{" : ",{";
    for (size_t c = 0; c < header.size(); ++c) {
      out += (c == 0 ? "" : ",") + JsonString(header[c]) + ":" + JsonString(rows[r][c]);
    }
    out += "}";
  }
  std::printf("%s]\n", out.c_str());
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
