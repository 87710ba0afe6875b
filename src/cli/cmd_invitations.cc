// `onecard invite` (an operator invites an eligible member to the invitation tier) and
// `onecard accept` (the member accepts).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"

namespace onecard::cli {
namespace {

int RunInvitation(const GlobalOptions& global, const std::string& member, bool accept) {
  auto engine = OpenEngineFor(global, /*create_database=*/false);
  if (!engine.ok()) return Fail(engine.error());
  auto now = Now(global, (*engine)->time());
  if (!now.ok()) return Fail(now.error());
  auto invitation = accept ? (*engine)->Accept(member, *now) : (*engine)->Invite(member, *now);
  if (!invitation.ok()) return Fail(invitation.error());
  const std::string tier = (*engine)->config().tiers.invitation->name;
  if (accept) {
    std::printf(
        "%s accepted the %s invitation; %s is published from the next publication on "
        "while the member stays eligible\n",
        member.c_str(), tier.c_str(), tier.c_str());
  } else {
    std::printf("%s invited to %s (eligible in the %s publication)\n", member.c_str(), tier.c_str(),
                FormatMonthKey(invitation->month).c_str());
  }
  return 0;
}

}  // namespace

void AddInvitationCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  auto member = std::make_shared<std::string>();
  CLI::App* invite = app.add_subcommand(
      "invite", "Invite a member eligible in the latest publication to the invitation tier");
  invite->add_option("id", *member, "the member id")->required();
  invite->callback([&global, run, member]() {
    *run = [&global, member]() { return RunInvitation(global, *member, false); };
  });
  CLI::App* accept = app.add_subcommand("accept", "Accept a member's invitation");
  accept->add_option("id", *member, "the member id")->required();
  accept->callback([&global, run, member]() {
    *run = [&global, member]() { return RunInvitation(global, *member, true); };
  });
}

}  // namespace onecard::cli
