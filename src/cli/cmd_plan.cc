// `onecard plan buy|renew|refund|status|suspend|reinstate|revoke|auto-renew|renew-due`: the paid
// plan (engine/plan_service.h). Every command takes the moment from --now (or the clock).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <tuple>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/plan_output.h"
#include "cli/plan_session.h"
#include "core/plan_limits.h"

namespace onecard::cli {
namespace {

struct PlanOptions {
  std::string member;
  std::string key;
  std::string reason;
  std::string format = "table";
  std::string auto_renew_setting;  // "on" or "off" (plan auto-renew)
  bool auto_renew = false;         // plan buy --auto-renew
  int64_t limit = 10'000;          // plan renew-due
};

enum class PlanAction { kBuy, kRenew, kRefund, kStatus, kSuspend, kReinstate, kRevoke, kAutoRenew };

Result<PlanReceipt> RunKeyed(PlanService& plan, PlanAction action, const PlanOptions& o,
                             Instant now) {
  switch (action) {
    case PlanAction::kBuy:
      return plan.Buy(o.member, o.key, o.auto_renew, now);
    case PlanAction::kRenew:
      return plan.Renew(o.member, o.key, now);
    default:
      return plan.Refund(o.member, o.key, now);
  }
}

Result<PlanReport> RunReported(PlanService& plan, PlanAction action, const PlanOptions& o,
                               Instant now) {
  switch (action) {
    case PlanAction::kSuspend:
      return plan.Suspend(o.member, o.reason, now);
    case PlanAction::kReinstate:
      return plan.Reinstate(o.member, o.reason, now);
    case PlanAction::kRevoke:
      return plan.Revoke(o.member, o.reason, now);
    case PlanAction::kAutoRenew:
      return plan.SetAutoRenew(o.member, o.auto_renew_setting == "on", now);
    default:
      return plan.Report(o.member, now);
  }
}

int RunPlan(const GlobalOptions& global, PlanAction action, const PlanOptions& options) {
  auto session = OpenPlanSession(global);
  if (!session.ok()) return Fail(session.error());
  const ProgramTime& time = session->engine->time();
  auto now = Now(global, time);
  if (!now.ok()) return Fail(now.error());
  const bool json = options.format == "json";
  if (action == PlanAction::kBuy || action == PlanAction::kRenew || action == PlanAction::kRefund) {
    auto receipt = RunKeyed(*session->plan, action, options, *now);
    if (!receipt.ok()) return Fail(receipt.error());
    std::fputs(
        json ? (ReceiptJson(*receipt, time) + "\n").c_str() : ReceiptText(*receipt, time).c_str(),
        stdout);
    return 0;
  }
  auto report = RunReported(*session->plan, action, options, *now);
  if (!report.ok()) return Fail(report.error());
  std::fputs(json ? (ReportJson(*report, time) + "\n").c_str() : ReportText(*report, time).c_str(),
             stdout);
  return 0;
}

int RunRenewDue(const GlobalOptions& global, const PlanOptions& options) {
  auto session = OpenPlanSession(global);
  if (!session.ok()) return Fail(session.error());
  const ProgramTime& time = session->engine->time();
  auto now = Now(global, time);
  if (!now.ok()) return Fail(now.error());
  auto report = session->plan->RenewDue(*now, options.limit);
  if (!report.ok()) return Fail(report.error());
  std::fputs(options.format == "json" ? (RenewDueJson(*report, time) + "\n").c_str()
                                      : RenewDueText(*report, time).c_str(),
             stdout);
  return 0;
}

void AddFormat(CLI::App* command, PlanOptions* options) {
  command->add_option("--format", options->format, "table (for people) or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
}

CLI::App* AddMemberCommand(CLI::App* plan, const char* name, const char* help,
                           PlanOptions* options) {
  CLI::App* command = plan->add_subcommand(name, help);
  command->add_option("--member", options->member, "the member id")->required();
  AddFormat(command, options);
  return command;
}

}  // namespace

void AddPlanCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* plan = app.add_subcommand("plan", "The paid plan: buy, renew, refund, operate");
  plan->require_subcommand(1);
  auto bind = [&global, run, options](CLI::App* command, PlanAction action) {
    command->callback([&global, run, options, action]() {
      *run = [&global, options, action]() { return RunPlan(global, action, *options); };
    });
  };
  const char* key_help = "idempotency key: a retry with the same key returns the first result";
  CLI::App* buy = AddMemberCommand(
      plan, "buy", "Buy the plan, priced by the member's latest published score", options.get());
  buy->add_option("--key", options->key, key_help)->required();
  buy->add_flag("--auto-renew", options->auto_renew, "renew automatically when the term ends");
  bind(buy, PlanAction::kBuy);
  CLI::App* renew =
      AddMemberCommand(plan, "renew", "Renew the plan, priced again now", options.get());
  renew->add_option("--key", options->key, key_help)->required();
  bind(renew, PlanAction::kRenew);
  CLI::App* refund = AddMemberCommand(
      plan, "refund", "Refund the last charge under the refund policy; ends its term",
      options.get());
  refund->add_option("--key", options->key, key_help)->required();
  bind(refund, PlanAction::kRefund);
  bind(AddMemberCommand(plan, "status", "The member's plan, price and history", options.get()),
       PlanAction::kStatus);
  for (auto [name, help, action] :
       {std::tuple{"suspend", "Suspend the plan: every benefit ends at once", PlanAction::kSuspend},
        std::tuple{"reinstate", "Reinstate a suspended plan", PlanAction::kReinstate},
        std::tuple{"revoke", "Revoke the plan for good: every benefit ends at once",
                   PlanAction::kRevoke}}) {
    CLI::App* command = AddMemberCommand(plan, name, help, options.get());
    command->add_option("--reason", options->reason, "why (kept with the plan's history)");
    bind(command, action);
  }
  CLI::App* auto_renew =
      AddMemberCommand(plan, "auto-renew", "Turn automatic renewal on or off", options.get());
  auto_renew->add_option("--set", options->auto_renew_setting, "on or off")
      ->required()
      ->check(CLI::IsMember({"on", "off"}));
  bind(auto_renew, PlanAction::kAutoRenew);

  CLI::App* renew_due = plan->add_subcommand(
      "renew-due", "Renew every plan with automatic renewal whose term ended by --now");
  renew_due->add_option("--limit", options->limit, "at most this many renewals in this run")
      ->check(CLI::Range(int64_t{1}, limits::kPlanRenewDueMembersMax))
      ->capture_default_str();
  AddFormat(renew_due, options.get());
  renew_due->callback([&global, run, options]() {
    *run = [&global, options]() { return RunRenewDue(global, *options); };
  });
}

}  // namespace onecard::cli
