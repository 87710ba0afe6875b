// Runs every checkout scenario (tests/scenarios/checkout/*.cscn): standings, quotes, commits,
// reversals, activations and the use log against the checkout service over a fresh SQLite
// database. The format is described in tests/scenarios/README.md.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/checkout_limits.h"
#include "engine/checkout_codec.h"
#include "engine/checkout_service.h"
#include "engine/config_loader.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fixed_standing_source.h"
#include "support/scenario_file.h"
#include "support/scripted_partner_gateway.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(ONECARD_SOURCE_DIR) / "tests" / "scenarios" / "checkout";

struct Block {
  int line = 0;
  std::vector<std::string> words;   // the command line
  std::vector<std::string> input;   // lines before ----
  std::vector<std::string> expect;  // lines after ----
};

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::vector<Block> Parse(const fs::path& path, std::string* config) {
  std::ifstream in(path);
  std::vector<Block> blocks;
  Block* current = nullptr;
  bool in_expect = false;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) {
      current = nullptr;
      in_expect = false;
    } else if (current == nullptr) {
      if (line[0] == '#') continue;
      if (line.rfind("config ", 0) == 0) {
        *config = line.substr(7);
        continue;
      }
      blocks.push_back(Block{number, Words(line), {}, {}});
      current = &blocks.back();
    } else if (line == "----") {
      in_expect = true;
    } else {
      (in_expect ? current->expect : current->input).push_back(line);
    }
  }
  return blocks;
}

std::string ErrorLine(const Error& error) {
  return "error " + std::string(ErrorCodeName(error.code));
}

class Runner {
 public:
  Runner(const fs::path& db, ProgramConfig config) : db_(db), config_(std::move(config)) {}

  Status Open() {
    service_.reset();
    store_.reset();
    auto store = OpenSqliteStore(db_.string());
    if (!store.ok()) return store.error();
    store_ = std::move(store).value();
    auto benefits = store_->OpenBenefitStore();
    if (!benefits.ok()) return benefits.error();
    auto service = CheckoutService::Open(config_, std::move(benefits).value(), &standing_,
                                         &gateway_, CheckoutOptions{.budget_shards = 4});
    if (!service.ok()) return service.error();
    service_ = std::move(service).value();
    return Status::Ok();
  }

  // The output lines of one block.
  std::vector<std::string> Run(const Block& block);

 private:
  Instant At(const std::string& text) {
    auto at = ProgramTime(config_.utc_offset_seconds).ParseTimestamp(text);
    EXPECT_TRUE(at.ok()) << text;
    return at.ok() ? *at : Instant{};
  }
  std::string Money2(Money m) { return FormatMoney(m); }
  const std::string& Id(int32_t benefit) {
    return config_.benefits.benefits[static_cast<size_t>(benefit)].id;
  }
  std::vector<std::string> Outcome(const Result<CheckoutOutcome>& outcome, bool commit);
  std::vector<std::string> Standing(const std::vector<std::string>& w);
  std::vector<std::string> Fulfilled(const Result<Fulfilment>& f);
  std::vector<std::string> Listing(const std::string& member, Instant at);

  fs::path db_;
  ProgramConfig config_;
  test_support::FixedStandingSource standing_;
  test_support::ScriptedPartnerGateway gateway_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CheckoutService> service_;
};

std::vector<std::string> Runner::Outcome(const Result<CheckoutOutcome>& outcome, bool commit) {
  if (!outcome.ok()) return {ErrorLine(outcome.error())};
  const Quote& q = outcome->quote;
  std::vector<std::string> out;
  for (const AppliedBenefit& a : q.applied) {
    out.push_back("applied " + Id(a.benefit) + " units " + std::to_string(a.units) + " discount " +
                  Money2(a.discount) + " cost " + Money2(a.cost) + (a.capped ? " capped" : ""));
  }
  for (size_t i = 0; i < q.line_totals.size(); ++i) {
    std::string line = "line " + std::to_string(i) + " total " + Money2(q.line_totals[i]);
    for (const LineDiscount& d : q.line_discounts) {
      if (d.line == static_cast<int32_t>(i)) {
        line +=
            " " + Id(q.applied[static_cast<size_t>(d.applied)].benefit) + " " + Money2(d.amount);
      }
    }
    out.push_back(line);
  }
  for (const DeclinedBenefit& d : q.declined) {
    out.push_back("declined " + Id(d.benefit) + " " + std::string(DeclineReasonName(d.reason)));
  }
  out.push_back("total subtotal " + Money2(q.subtotal) + " discount " + Money2(q.discount) +
                " tax " + Money2(q.tax) + " shipping " + Money2(q.shipping) + " deposit " +
                Money2(q.deposit) + " total " + Money2(q.total));
  if (commit && outcome->replayed) out.push_back("replayed");
  return out;
}

// standing M tier T [paid START END]
std::vector<std::string> Runner::Standing(const std::vector<std::string>& w) {
  MemberStanding s;
  s.member = w.at(1);
  s.tier = w.at(3);
  if (w.size() >= 7 && w[4] == "paid") {
    s.paid = true;
    s.term_start = At(w[5]);
    s.term_end = At(w[6]);
  }
  standing_.Set(s);
  return {};
}

std::vector<std::string> Runner::Fulfilled(const Result<Fulfilment>& f) {
  if (!f.ok()) return {ErrorLine(f.error())};
  return {"fulfilment " + std::string(FulfilmentStatusName(f->status)) + " attempts " +
          std::to_string(f->attempts) + " confirmation " +
          (f->confirmation.empty() ? "-" : f->confirmation) + " cost " + Money2(f->cost)};
}

std::vector<std::string> Runner::Listing(const std::string& member, Instant at) {
  auto listings = service_->ListBenefits(member, at);
  if (!listings.ok()) return {ErrorLine(listings.error())};
  std::vector<std::string> out;
  for (const BenefitListing& l : *listings) {
    std::string line = Id(l.benefit) + " " + std::string(AvailabilityName(l.availability));
    if (l.vouchers_left) line += " vouchers_left " + std::to_string(*l.vouchers_left);
    if (l.cap_left) line += " cap_left " + Money2(*l.cap_left);
    if (l.day_left) line += " day_left " + std::to_string(*l.day_left);
    if (l.term_left) line += " term_left " + std::to_string(*l.term_left);
    if (l.fulfilment)
      line += " activation " + std::string(FulfilmentStatusName(l.fulfilment->status));
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> Runner::Run(const Block& block) {
  const std::vector<std::string>& w = block.words;
  const std::string& command = w.at(0);
  if (command == "standing") {  // one member per line; following lines may set more
    Standing(w);
    for (const std::string& line : block.input) Standing(Words(line));
    return {};
  }
  if (command == "restart") {
    Status opened = Open();
    return opened.ok() ? std::vector<std::string>{}
                       : std::vector<std::string>{ErrorLine(opened.error())};
  }
  if (command == "quote" || command == "commit") {
    auto input = DecodeCheckoutJson(block.input.at(0), config_.benefits);
    if (!input.ok()) return {ErrorLine(input.error())};
    if (command == "quote") return Outcome(service_->Quote(input->request, At(w.at(1))), false);
    return Outcome(service_->Commit(w.at(2), input->request, At(w.at(1))), true);
  }
  if (command == "reverse") {  // reverse AT MEMBER ORDER
    auto r = service_->Reverse(w.at(2), w.at(3), At(w.at(1)));
    if (!r.ok()) return {ErrorLine(r.error())};
    std::vector<std::string> out;
    for (const ReturnedUse& u : r->returned) {
      out.push_back("returned " + Id(u.benefit) + " units " + std::to_string(u.units) +
                    (u.units_returned ? "" : " expired") + " discount " + Money2(u.discount) +
                    " cost " + Money2(u.cost));
    }
    if (r->replayed) out.push_back("replayed");
    return out;
  }
  if (command == "activate")
    return Fulfilled(service_->ActivateSubscription(w.at(2), w.at(3), At(w.at(1))));
  if (command == "confirm") {
    return Fulfilled(service_->ConfirmFulfilment(w.at(2), w.at(3), w.at(4), At(w.at(1))));
  }
  if (command == "partner_fails") {
    gateway_.FailNext(std::stoi(w.at(1)));
    return {};
  }
  if (command == "retry") {
    auto confirmed = service_->RetryPendingFulfilments(100, At(w.at(1)));
    if (!confirmed.ok()) return {ErrorLine(confirmed.error())};
    return {"confirmed " + std::to_string(*confirmed) + " partner_calls " +
            std::to_string(gateway_.calls()) + " activations " +
            std::to_string(gateway_.distinct_activations())};
  }
  if (command == "benefits") return Listing(w.size() > 2 ? w[2] : "", At(w.at(1)));
  if (command == "used_since") {
    auto used = service_->AnyUseSince(w.at(1), At(w.at(2)));
    if (!used.ok()) return {ErrorLine(used.error())};
    return {*used ? "yes" : "no"};
  }
  if (command == "cost") {
    auto month = ParseMonthKey(w.at(1));
    auto cost = service_->CostInMonth(*month);
    if (!cost.ok()) return {ErrorLine(cost.error())};
    return {"uses " + std::to_string(cost->uses) + " members " + std::to_string(cost->members) +
            " cost " + Money2(cost->cost)};
  }
  ADD_FAILURE() << "line " << block.line << ": unknown command " << command;
  return {};
}

std::vector<fs::path> ScenarioFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (entry.path().extension() == ".cscn") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class CheckoutScenario : public ::testing::TestWithParam<fs::path> {};

TEST_P(CheckoutScenario, Runs) {
  const fs::path& path = GetParam();
  std::string config_name = "checkout-test";
  const std::vector<Block> blocks = Parse(path, &config_name);
  fs::path config_path = kDir / (config_name + ".toml");
  if (!fs::exists(config_path)) {
    config_path = fs::path(ONECARD_SOURCE_DIR) / "config" / (config_name + ".toml");
  }
  auto config = LoadProgramConfig(config_path.string());
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  const test_support::ScenarioDir dir("onecard-cscn", path);
  {
    Runner runner(dir.path() / "checkout.db", *config);
    Status opened = runner.Open();
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    for (const Block& block : blocks) {
      std::vector<std::string> got = runner.Run(block);
      std::ostringstream want_text, got_text;
      for (const auto& line : block.expect) want_text << line << "\n";
      for (const auto& line : got) got_text << line << "\n";
      EXPECT_EQ(want_text.str(), got_text.str())
          << path.filename().string() << ":" << block.line << ": " << block.words.at(0);
    }
  }
}

std::string ScenarioName(const testing::TestParamInfo<fs::path>& param) {
  return test_support::ScenarioTestName(param.param, param.param.parent_path());
}

INSTANTIATE_TEST_SUITE_P(Files, CheckoutScenario, ::testing::ValuesIn(ScenarioFiles()),
                         ScenarioName);

}  // namespace
}  // namespace onecard
