// Runs the paid plan's scenario files (tests/scenarios/plan/*.scn): the score engine's commands
// (ingest, publish, ... as in every scenario) to make published scores, then the plan's commands
// (buy, renew, refund, suspend, ... ; tests/scenarios/README.md) against a PlanService on the same
// database, with a fake benefit-use log standing for the benefits service.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "engine/config_loader.h"
#include "engine/engine.h"
#include "engine/plan_service.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_scenario_commands.h"
#include "support/fake_benefit_use_log.h"
#include "support/scenario_file.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;
using test_support::FakeBenefitUseLog;
using test_support::Outcome;
using test_support::ScenarioBlock;

const fs::path kPlanScenarioDir = fs::path(ONECARD_SOURCE_DIR) / "tests" / "scenarios" / "plan";

// "buy m1 key k1 at 2012-01-10T00:00:00 auto_renew": the words after the verb (and the member, for
// commands that name one) as options with a value, flags, and a reason taking the rest.
struct Options {
  std::map<std::string, std::string> values;
  std::set<std::string> flags;
  std::string reason;
};

Options ParseOptions(const std::vector<std::string>& words, size_t first) {
  static const std::set<std::string> kWithValue = {"key", "at", "limit", "cost"};
  Options options;
  for (size_t i = first; i < words.size(); ++i) {
    if (words[i] == "reason") {
      for (size_t j = i + 1; j < words.size(); ++j) {
        options.reason += (options.reason.empty() ? "" : " ") + words[j];
      }
      break;
    }
    if (kWithValue.count(words[i]) != 0 && i + 1 < words.size()) {
      options.values[words[i]] = words[i + 1];
      ++i;
    } else {
      options.flags.insert(words[i]);
    }
  }
  return options;
}

class PlanScenarioRun {
 public:
  PlanScenarioRun(PlanService* plan, FakeBenefitUseLog* uses, ProgramTime time)
      : plan_(plan), uses_(uses), time_(time) {}

  std::optional<std::vector<std::string>> Run(const ScenarioBlock& block) {
    const std::vector<std::string> words = test_support::Words(block.command);
    const std::string& verb = words[0];
    if (verb == "renew_due") return RenewDue(ParseOptions(words, 1));
    if (verb == "fees") return std::vector<std::string>{Fees(words.at(1))};
    if (verb == "economics") return std::vector<std::string>{Economics(words.at(1))};
    if (words.size() < 2) return std::nullopt;
    const std::string& member = words[1];
    const Options options = ParseOptions(words, 2);
    const Instant at = At(options);
    const std::string key = options.values.count("key") ? options.values.at("key") : "";
    if (verb == "buy")
      return Receipt(plan_->Buy(member, key, options.flags.count("auto_renew"), at));
    if (verb == "renew") return Receipt(plan_->Renew(member, key, at));
    if (verb == "refund") return Receipt(plan_->Refund(member, key, at));
    if (verb == "suspend") return Report(plan_->Suspend(member, options.reason, at));
    if (verb == "reinstate") return Report(plan_->Reinstate(member, options.reason, at));
    if (verb == "revoke") return Report(plan_->Revoke(member, options.reason, at));
    if (verb == "auto_renew")
      return Report(plan_->SetAutoRenew(member, options.flags.count("on"), at));
    if (verb == "status") return Report(plan_->Report(member, at));
    if (verb == "standing") return Standing(plan_->Standing(member, at));
    if (verb == "use") return Use(member, options, at);
    return std::nullopt;
  }

 private:
  Instant At(const Options& options) const {
    auto found = options.values.find("at");
    if (found == options.values.end()) {
      ADD_FAILURE() << "a plan command needs at <ISO instant>";
      return Instant{};
    }
    return time_.ParseTimestamp(found->second).value();
  }

  std::string Local(Instant at) const { return time_.FormatLocal(at); }

  static std::string Publication(const std::optional<MonthKey>& month) {
    return month.has_value() ? FormatMonthKey(*month) : "none";
  }

  std::string Entry(const PlanEntry& e) const {
    std::string out = std::string(PlanEntryKindName(e.kind)) + " #" + std::to_string(e.seq);
    if (e.kind == PlanEntryKind::kRefund) {
      return out + " of #" + std::to_string(e.refunded_seq) + " amount " + FormatMoney(e.amount);
    }
    if (!IsPlanCharge(e.kind)) return out + (e.reason.empty() ? "" : " reason " + e.reason);
    return out + (e.automatic ? " automatic" : "") + " price " + FormatMoney(e.amount) + " score " +
           std::to_string(e.score) + " publication " + Publication(e.publication) + " rules " +
           e.rule_version + " term " + Local(e.term.start) + " " + Local(e.term.end);
  }

  std::vector<std::string> Receipt(const Result<PlanReceipt>& receipt) const {
    if (!receipt.ok()) return {Outcome(receipt.error())};
    return {Entry(receipt->entry) + (receipt->replayed ? " replayed" : ""),
            "status " + std::string(PlanStatusName(receipt->status)) + " paid_until " +
                Local(receipt->paid_until)};
  }

  std::vector<std::string> Report(const Result<PlanReport>& report) const {
    if (!report.ok()) return {Outcome(report.error())};
    std::string line = "status " + std::string(PlanStatusName(report->status)) + " paid " +
                       (report->paid ? "yes" : "no");
    if (report->term.has_value()) {
      line += " term " + Local(report->term->start) + " " + Local(report->term->end);
    }
    line += std::string(" auto_renew ") + (report->auto_renew ? "on" : "off");
    std::string basis = "price " + FormatMoney(report->price_now) + " score " +
                        std::to_string(report->basis.score) + " publication " +
                        Publication(report->basis.publication);
    if (report->not_eligible.has_value()) basis += " not_eligible";
    return {line, basis};
  }

  std::vector<std::string> Standing(const Result<MemberStanding>& standing) const {
    if (!standing.ok()) return {Outcome(standing.error())};
    std::string line = "publication " + Publication(standing->publication) + " score " +
                       std::to_string(standing->score) + " tier " +
                       (standing->tier.empty() ? "-" : standing->tier) + " paid " +
                       (standing->paid ? "yes" : "no");
    if (standing->term_start.has_value()) {
      line += " term " + Local(*standing->term_start) + " " + Local(*standing->term_end);
    }
    return {line};
  }

  std::vector<std::string> Use(const std::string& member, const Options& options, Instant at) {
    auto cost = ParseMoney(options.values.count("cost") ? options.values.at("cost") : "0");
    if (!cost.ok()) return {Outcome(cost.error())};
    uses_->AddUse(member, at, *cost, options.flags.count("reversed") != 0);
    return {"ok"};
  }

  std::vector<std::string> RenewDue(const Options& options) {
    const int64_t limit =
        options.values.count("limit") ? std::stoll(options.values.at("limit")) : 1000;
    auto report = plan_->RenewDue(At(options), limit);
    if (!report.ok()) return {Outcome(report.error())};
    std::vector<std::string> out;
    for (const RenewDueOutcome& outcome : report->outcomes) {
      if (outcome.receipt.has_value()) {
        out.push_back("renewed " + outcome.member + " " + Entry(outcome.receipt->entry));
      } else {
        out.push_back("lapsed " + outcome.member + " " +
                      std::string(ErrorCodeName(outcome.error->code)));
      }
    }
    out.push_back("renewed " + std::to_string(report->renewed) + " lapsed " +
                  std::to_string(report->lapsed) + " more " + (report->more ? "yes" : "no"));
    return out;
  }

  std::string Fees(const std::string& month_text) {
    auto month = ParseMonthKey(month_text);
    if (!month.ok()) return Outcome(month.error());
    auto fees = plan_->FeesInMonth(*month);
    if (!fees.ok()) return Outcome(fees.error());
    return "charged " + std::to_string(fees->charges) + " " + FormatMoney(fees->charged) +
           " refunded " + std::to_string(fees->refunds) + " " + FormatMoney(fees->refunded) +
           " paying " + std::to_string(fees->paying_members) + " paid " +
           std::to_string(fees->paid_members);
  }

  std::string Economics(const std::string& month_text) {
    auto month = ParseMonthKey(month_text);
    if (!month.ok()) return Outcome(month.error());
    auto e = plan_->Economics(*month);
    if (!e.ok()) return Outcome(e.error());
    auto per = [](const std::optional<Money>& money) {
      return money.has_value() ? FormatMoney(*money) : std::string("-");
    };
    return "net_fees " + FormatMoney(e->fees.net()) + " subsidy " + FormatMoney(e->subsidy.cost) +
           " uses " + std::to_string(e->subsidy.uses) + " net " + FormatMoney(e->net) +
           " per_paid_member " + per(e->net_fees_per_paid_member) + " " +
           per(e->subsidy_per_paid_member) + " " + per(e->net_per_paid_member);
  }

  PlanService* plan_;
  FakeBenefitUseLog* uses_;
  ProgramTime time_;
};

class PlanScenarioTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(PlanScenarioTest, MatchesExpectations) {
  const fs::path& path = GetParam();
  std::string config_name = "eighty-eight";
  const std::vector<ScenarioBlock> blocks = test_support::ParseScenario(path, &config_name);
  ASSERT_FALSE(blocks.empty()) << path << " has no blocks";
  auto config = LoadProgramConfig(
      (fs::path(ONECARD_SOURCE_DIR) / "config" / (config_name + ".toml")).string());
  ASSERT_TRUE(config.ok()) << config.error().ToString();

  const test_support::ScenarioDir dir("onecard-plan-scn", path);
  auto store = OpenSqliteStore((dir.path() / "scenario.db").string());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto engine = Engine::Open(std::move(store).value(), *config);
  ASSERT_TRUE(engine.ok()) << engine.error().ToString();
  auto plan_store = (*engine)->store().OpenPlanStore();
  ASSERT_TRUE(plan_store.ok()) << plan_store.error().ToString();
  const ProgramTime time(config->utc_offset_seconds);
  FakeBenefitUseLog uses(time);
  PlanService plan(std::move(plan_store).value(), *config, &uses);

  test_support::EngineScenarioCommands engine_commands(engine->get());
  PlanScenarioRun plan_commands(&plan, &uses, time);
  test_support::ExpectScenarioOutputs(path, blocks, [&](const ScenarioBlock& block) {
    std::optional<std::vector<std::string>> actual = engine_commands.Run(block);
    if (!actual.has_value()) actual = plan_commands.Run(block);
    return actual;
  });
}

std::string PlanScenarioName(const ::testing::TestParamInfo<fs::path>& info) {
  return test_support::ScenarioTestName(info.param, kPlanScenarioDir);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, PlanScenarioTest,
                         ::testing::ValuesIn(test_support::ScenarioFiles(kPlanScenarioDir)),
                         PlanScenarioName);

}  // namespace
}  // namespace onecard
