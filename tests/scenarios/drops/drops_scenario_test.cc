// Runs every *.drops file in this folder: drop commands in, exact answers and error codes out, on a
// fresh SQLite database with the eighty-eight program (its fold-phone drop) and a fixed table of
// member standings. Blocks are separated by blank lines; a block is one command, then "----",
// then the expected lines; '#' lines outside blocks are comments. Times are program-local
// ("2025-06-03T10:00:05", UTC+8). Commands and answers:
//   standing MEMBER paid|unpaid TIER|-          -> ok
//   open KEY=VALUE ...                          -> ok | error CODE
//       (id product mode weekdays date time units limit window hold paid min_tier; '_' in
//        product stands for a space)
//   claim DROP MEMBER QUANTITY NOW              -> held Q until T [repeated] | <status> Q
//   [repeated] register DROP MEMBER QUANTITY NOW           -> registered Q [repeated]
//   confirm|release DROP SLOT MEMBER NOW        -> confirmed | released
//   expire NOW                                  -> expired N
//   draw DROP SLOT SEED NOW                     -> drawn registrants R winners W units U
//   winners DROP SLOT                           -> one line per winner in ranking order:
//                                                  MEMBER units U… ; then "verified" or a mismatch
//   status DROP SLOT NOW                        -> units U held H confirmed C available A
//                                                  released R expired E claims N registrations G
//   results DROP SLOT                           -> MEMBER STATUS QUANTITY, by member
//   restart                                     -> ok (the service is opened again on the same
//                                                  database: what was answered must be there)
// Any refusal prints "error <code>".
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/drop_schedule.h"
#include "engine/config_loader.h"
#include "engine/drop_service.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fixed_standing_source.h"
#include "support/scenario_file.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(ONECARD_SOURCE_DIR) / "tests" / "scenarios" / "drops";

struct Block {
  int line = 0;
  std::string command;
  std::vector<std::string> expect;
};

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::vector<Block> Parse(const fs::path& path) {
  std::ifstream in(path);
  std::vector<Block> blocks;
  Block* current = nullptr;
  std::string line;
  int number = 0;
  bool in_expect = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) {
      current = nullptr;
      in_expect = false;
    } else if (current == nullptr) {
      if (line[0] == '#') continue;
      blocks.push_back(Block{number, line, {}});
      current = &blocks.back();
    } else if (line == "----") {
      in_expect = true;
    } else if (in_expect) {
      current->expect.push_back(line);
    } else {
      ADD_FAILURE() << path << ":" << number << ": a command is one line, then ----";
    }
  }
  return blocks;
}

std::string ErrorLine(const Error& error) {
  return "error " + std::string(ErrorCodeName(error.code));
}

class DropScenario {
 public:
  DropScenario(const fs::path& db, ProgramConfig config) : db_(db), config_(std::move(config)) {}

  ::testing::AssertionResult Open() {
    drops_.reset();
    store_.reset();
    auto store = OpenSqliteStore(db_.string());
    if (!store.ok()) return ::testing::AssertionFailure() << store.error().ToString();
    store_ = std::move(store).value();
    auto drop_store = store_->OpenDropStore();
    if (!drop_store.ok()) return ::testing::AssertionFailure() << drop_store.error().ToString();
    auto drops = DropService::Open(std::move(drop_store).value(), config_, &standing_);
    if (!drops.ok()) return ::testing::AssertionFailure() << drops.error().ToString();
    drops_ = std::move(drops).value();
    return ::testing::AssertionSuccess();
  }

  std::vector<std::string> Run(const std::string& command) {
    const std::vector<std::string> w = Words(command);
    const std::string& verb = w.at(0);
    if (verb == "standing") {
      standing_.Set(w.at(1), w.at(2) == "paid", w.at(3) == "-" ? "" : w.at(3));
      return {"ok"};
    }
    if (verb == "restart") return {Open() ? "ok" : "reopen failed"};
    if (verb == "open") return {OpenDrop(w)};
    if (verb == "claim") return {Claim(w)};
    if (verb == "register") return {Register(w)};
    if (verb == "confirm" || verb == "release") return {Decide(w)};
    if (verb == "expire") {
      auto expired = drops_->ExpireHolds(At(w.at(1)));
      return {expired.ok() ? "expired " + std::to_string(*expired) : ErrorLine(expired.error())};
    }
    if (verb == "draw") {
      auto draw = drops_->Draw(w.at(1), At(w.at(2)), w.at(3), At(w.at(4)));
      if (!draw.ok()) return {ErrorLine(draw.error())};
      return {"drawn registrants " + std::to_string(draw->registrants) + " winners " +
              std::to_string(draw->winners) + " units " + std::to_string(draw->units_won)};
    }
    if (verb == "winners") return Winners(w);
    if (verb == "status") return {Status(w)};
    if (verb == "results") return Results(w);
    ADD_FAILURE() << "unknown command " << command;
    return {};
  }

 private:
  Instant At(const std::string& text) { return drops_->time().ParseTimestamp(text).value(); }
  std::string Local(Instant instant) { return drops_->time().FormatLocal(instant); }

  std::string OpenDrop(const std::vector<std::string>& w) {
    DropRules rules;
    rules.window_minutes = 60;
    rules.hold_minutes = 15;
    rules.per_member_limit = 1;
    for (size_t i = 1; i < w.size(); ++i) {
      const size_t eq = w[i].find('=');
      const std::string key = w[i].substr(0, eq);
      std::string value = w[i].substr(eq + 1);
      if (key == "id") rules.id = value;
      if (key == "product") {
        std::replace(value.begin(), value.end(), '_', ' ');
        rules.product = value;
      }
      if (key == "mode")
        rules.mode = value == "lottery" ? DropMode::kLottery : DropMode::kFirstCome;
      if (key == "weekdays") {
        for (size_t p = 0; p < value.size(); p += 4) {
          rules.schedule.weekdays = static_cast<uint8_t>(
              rules.schedule.weekdays | (1u << ParseWeekdayName(value.substr(p, 3)).value()));
        }
      }
      if (key == "date") rules.schedule.date = ParseLocalDate(value).value();
      if (key == "time") rules.schedule.minute_of_day = ParseMinuteOfDay(value).value();
      if (key == "units") rules.units_per_slot = std::stoll(value);
      if (key == "limit") rules.per_member_limit = std::stoll(value);
      if (key == "window") rules.window_minutes = std::stoi(value);
      if (key == "hold") rules.hold_minutes = std::stoi(value);
      if (key == "paid") rules.eligibility.paid_plan = value == "yes";
      if (key == "min_tier") rules.eligibility.min_tier = value;
    }
    auto opened = drops_->OpenDrop(rules, Instant{0});
    return opened.ok() ? "ok" : ErrorLine(opened.error());
  }

  std::string DescribeClaim(const DropClaim& claim, bool repeated) {
    std::string out =
        std::string(DropClaimStatusName(claim.status)) + " " + std::to_string(claim.quantity);
    if (claim.status == DropClaimStatus::kHeld) out += " until " + Local(claim.hold_until);
    return out + (repeated ? " repeated" : "");
  }

  std::string Claim(const std::vector<std::string>& w) {
    auto answer = drops_->Claim(w.at(1), w.at(2), std::stoll(w.at(3)), At(w.at(4)));
    if (!answer.ok()) return ErrorLine(answer.error());
    return DescribeClaim(answer->claim, answer->repeated);
  }

  std::string Register(const std::vector<std::string>& w) {
    auto answer = drops_->Register(w.at(1), w.at(2), std::stoll(w.at(3)), At(w.at(4)));
    if (!answer.ok()) return ErrorLine(answer.error());
    return "registered " + std::to_string(answer->registration.quantity) +
           (answer->repeated ? " repeated" : "");
  }

  std::string Decide(const std::vector<std::string>& w) {
    auto claim = w[0] == "confirm" ? drops_->Confirm(w.at(1), At(w.at(2)), w.at(3), At(w.at(4)))
                                   : drops_->Release(w.at(1), At(w.at(2)), w.at(3), At(w.at(4)));
    if (!claim.ok()) return ErrorLine(claim.error());
    return std::string(DropClaimStatusName(claim->status));
  }

  std::vector<std::string> Winners(const std::vector<std::string>& w) {
    auto check = drops_->VerifyDraw(w.at(1), At(w.at(2)));
    if (!check.ok()) return {ErrorLine(check.error())};
    std::vector<std::string> out;
    for (const LotteryWinner& winner : check->recomputed) {
      std::string line = winner.member + " units";
      for (int32_t unit : winner.units) line += " " + std::to_string(unit);
      out.push_back(line);
    }
    out.push_back(check->matches ? "verified" : "mismatch: " + check->mismatch);
    return out;
  }

  std::string Status(const std::vector<std::string>& w) {
    auto status = drops_->SlotStatus(w.at(1), At(w.at(2)), At(w.at(3)));
    if (!status.ok()) return ErrorLine(status.error());
    const SlotTally& t = status->tally;
    return "units " + std::to_string(t.units) + " held " + std::to_string(t.held) + " confirmed " +
           std::to_string(t.confirmed) + " available " + std::to_string(t.available()) +
           " released " + std::to_string(t.released) + " expired " + std::to_string(t.expired) +
           " claims " + std::to_string(t.claims) + " registrations " +
           std::to_string(status->registrations);
  }

  std::vector<std::string> Results(const std::vector<std::string>& w) {
    auto claims = drops_->Results(w.at(1), At(w.at(2)));
    if (!claims.ok()) return {ErrorLine(claims.error())};
    std::vector<std::string> out;
    for (const DropClaim& claim : *claims) {
      out.push_back(claim.member + " " + std::string(DropClaimStatusName(claim.status)) + " " +
                    std::to_string(claim.quantity));
    }
    return out;
  }

  fs::path db_;
  ProgramConfig config_;
  test_support::FixedStandingSource standing_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<DropService> drops_;  // after store_: closed first
};

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

std::vector<fs::path> ScenarioFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (entry.path().extension() == ".drops") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class DropScenarioTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(DropScenarioTest, MatchesExpectations) {
  const fs::path& path = GetParam();
  const std::vector<Block> blocks = Parse(path);
  ASSERT_FALSE(blocks.empty()) << path;
  auto config =
      LoadProgramConfig((fs::path(ONECARD_SOURCE_DIR) / "config" / "eighty-eight.toml").string());
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  const test_support::ScenarioDir dir("onecard-drops", path);
  {
    DropScenario scenario(dir.path() / "drops.db", *config);
    ASSERT_TRUE(scenario.Open());
    for (const Block& block : blocks) {
      EXPECT_EQ(Join(block.expect), Join(scenario.Run(block.command)))
          << path.filename().string() << ":" << block.line << ": " << block.command;
    }
  }
}

std::string Name(const ::testing::TestParamInfo<fs::path>& info) {
  return test_support::ScenarioTestName(info.param, info.param.parent_path());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, DropScenarioTest, ::testing::ValuesIn(ScenarioFiles()), Name);

}  // namespace
}  // namespace onecard
