// Runs every scenario file under tests/scenarios/ (events in, published rows or exact error codes
// out) against every store implementation. The format is described in tests/scenarios/README.md.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/breakdown_codec.h"
#include "engine/config_loader.h"
#include "engine/engine.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

const fs::path kScenarioDir = fs::path(ONECARD_SOURCE_DIR) / "tests" / "scenarios";

struct Block {
  int line = 0;                     // where the command stands in the file
  std::string command;              // "ingest", "publish 2012-01", ...
  std::vector<std::string> input;   // lines between the command and ----
  std::vector<std::string> expect;  // lines after ----
};

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// Blocks are separated by blank lines; '#' lines outside bodies are comments.
std::vector<Block> ParseScenario(const fs::path& path, std::string* config_name) {
  std::ifstream in(path);
  std::vector<Block> blocks;
  Block* current = nullptr;
  bool in_expect = false;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) {
      current = nullptr;
      in_expect = false;
      continue;
    }
    if (current == nullptr) {
      if (line[0] == '#') continue;
      if (line.rfind("config ", 0) == 0) {
        *config_name = line.substr(7);
        continue;
      }
      blocks.push_back(Block{number, line, {}, {}});
      current = &blocks.back();
    } else if (line == "----") {
      in_expect = true;
    } else {
      (in_expect ? current->expect : current->input).push_back(line);
    }
  }
  return blocks;
}

std::string Outcome(const Status& status) {
  return status.ok() ? "ok" : "error " + std::string(ErrorCodeName(status.error().code));
}

std::string DescribeMonth(const MonthBreakdown& m) {
  std::ostringstream out;
  out << FormatMonthKey(m.month) << " orders " << m.orders << " capped " << m.orders_capped << " P "
      << m.order_points << " D " << m.day_sum << " S " << m.shop_sum << " C " << m.category_sum
      << " shopping " << m.shopping << " bound " << ShoppingBoundName(m.bound) << " reviews "
      << m.review_points << " social " << m.social_points << " reward " << m.reward << " active "
      << (m.active ? "yes" : "no");
  return out.str();
}

std::vector<std::string> DescribeBreakdown(const ScoreBreakdown& b) {
  std::ostringstream head;
  head << "score " << b.score << " base " << b.credit_base << " multiplier "
       << b.multiplier_permille << " credit " << b.credit_level << " shopping " << b.shopping
       << " reward " << b.reward << " active " << b.active << " breadth " << b.breadth
       << " categories " << b.categories << " net_spend " << FormatMoney(b.net_spend) << " caps "
       << b.caps;
  std::vector<std::string> lines = {head.str()};
  for (const MonthBreakdown& m : b.months) {
    if (m.orders > 0 || m.review_points > 0 || m.social_points > 0) {
      lines.push_back(DescribeMonth(m));
    }
  }
  return lines;
}

class ScenarioRun {
 public:
  explicit ScenarioRun(Engine* engine) : engine_(engine) {}

  // Runs one block and returns its actual output lines, to compare with block.expect.
  std::vector<std::string> Run(const Block& block) {
    const std::vector<std::string> words = Words(block.command);
    const std::string& verb = words[0];
    if (verb == "ingest") return Ingest(block.input);
    if (verb == "publish") return {Publish(words)};
    if (verb == "scores") return Scores(words.at(1));
    if (verb == "breakdown") return Breakdown(words.at(1), words.at(2));
    if (verb == "tiers") return Tiers(words.at(1));
    if (verb == "invite" || verb == "accept") return {Invitation(verb, words.at(1))};
    ADD_FAILURE() << "unknown scenario command: " << block.command;
    return {};
  }

 private:
  std::vector<std::string> Ingest(const std::vector<std::string>& lines) {
    std::vector<std::string_view> views(lines.begin(), lines.end());
    auto results = engine_->IngestLines(views);
    if (!results.ok()) return {Outcome(results.error())};
    std::vector<std::string> out;
    for (const IngestLineResult& result : *results) {
      std::string text(IngestOutcomeName(result.outcome));
      if (result.error) text += " " + std::string(ErrorCodeName(result.error->code));
      out.push_back(text);
    }
    return out;
  }

  std::string Publish(const std::vector<std::string>& words) {
    auto month = ParseMonthKey(words.at(1));
    if (!month.ok()) return Outcome(month.error());
    Instant now{4'102'444'800'000'000};  // 2100-01-01: every month's instant has passed
    if (words.size() >= 4 && words[2] == "now") {
      now = engine_->time().ParseTimestamp(words[3]).value();
    }
    auto info = engine_->Publish(*month, now);
    if (!info.ok()) return Outcome(info.error());
    return "ok " + std::to_string(info->members) + " members";
  }

  std::vector<std::string> Scores(const std::string& month_text) {
    auto month = ParseMonthKey(month_text);
    if (!month.ok()) return {Outcome(month.error())};
    std::vector<std::string> out = {
        "member,score,tier,shopping,reward,active,breadth,credit_level"};
    Status status = engine_->ForEachScore(*month, [&](const PublishedRow& r) -> Status {
      std::ostringstream row;
      row << r.member << ',' << r.score << ',' << r.tier << ',' << r.shopping << ',' << r.reward
          << ',' << r.active << ',' << r.breadth << ',' << r.credit_level;
      out.push_back(row.str());
      return Status::Ok();
    });
    if (!status.ok()) return {Outcome(status)};
    return out;
  }

  std::vector<std::string> Breakdown(const std::string& month_text, const std::string& member) {
    auto month = ParseMonthKey(month_text);
    if (!month.ok()) return {Outcome(month.error())};
    auto row = engine_->store().LoadPublishedRow(*month, member);
    if (!row.ok()) return {Outcome(row.error())};
    if (!row->has_value()) return {"no row"};
    auto breakdown = DecodeBreakdown((*row)->breakdown);
    if (!breakdown.ok()) return {Outcome(breakdown.error())};
    std::vector<std::string> out = DescribeBreakdown(*breakdown);
    out.insert(out.begin(), "tier " + (*row)->tier);
    return out;
  }

  std::vector<std::string> Tiers(const std::string& month_text) {
    auto month = ParseMonthKey(month_text);
    if (!month.ok()) return {Outcome(month.error())};
    auto counts = engine_->Tiers(*month);
    if (!counts.ok()) return {Outcome(counts.error())};
    std::vector<std::string> out;
    for (const TierCount& count : *counts) {
      out.push_back(count.tier + " " + std::to_string(count.members));
    }
    return out;
  }

  std::string Invitation(const std::string& verb, const std::string& member) {
    const Instant now{4'102'444'800'000'000};
    auto result = verb == "invite" ? engine_->Invite(member, now) : engine_->Accept(member, now);
    return result.ok() ? "ok" : Outcome(result.error());
  }

  Engine* engine_;
};

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

std::vector<fs::path> ScenarioFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kScenarioDir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".scn") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class ScenarioTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(ScenarioTest, MatchesExpectations) {
  const fs::path& path = GetParam();
  std::string config_name = "eighty-eight";
  const std::vector<Block> blocks = ParseScenario(path, &config_name);
  ASSERT_FALSE(blocks.empty()) << path << " has no blocks";
  auto config = LoadProgramConfig(
      (fs::path(ONECARD_SOURCE_DIR) / "config" / (config_name + ".toml")).string());
  ASSERT_TRUE(config.ok()) << config.error().ToString();

  const fs::path dir = fs::temp_directory_path() /
                       ("onecard-scn-" + std::to_string(::getpid()) + "-" + path.stem().string());
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto store = OpenSqliteStore((dir / "scenario.db").string());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto engine = Engine::Open(std::move(store).value(), *config);
  ASSERT_TRUE(engine.ok()) << engine.error().ToString();
  ScenarioRun run(engine->get());
  for (const Block& block : blocks) {
    const std::vector<std::string> actual = run.Run(block);
    EXPECT_EQ(Join(block.expect), Join(actual))
        << path.filename().string() << ":" << block.line << ": " << block.command;
  }
  fs::remove_all(dir);
}

std::string ScenarioName(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = fs::relative(info.param, kScenarioDir).replace_extension().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ScenarioTest, ::testing::ValuesIn(ScenarioFiles()), ScenarioName);

}  // namespace
}  // namespace onecard
