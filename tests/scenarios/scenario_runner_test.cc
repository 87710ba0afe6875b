// Runs every scenario file under tests/scenarios/ (events in, published rows or exact error codes
// out) against every store implementation. The format is described in tests/scenarios/README.md.
// Folders with a runner of their own are left to it (plan/: plan_scenario_test.cc).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>

#include "engine/config_loader.h"
#include "engine/engine.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_scenario_commands.h"
#include "support/scenario_file.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;
using test_support::EngineScenarioCommands;
using test_support::ScenarioBlock;

const fs::path kScenarioDir = fs::path(ONECARD_SOURCE_DIR) / "tests" / "scenarios";

class ScenarioTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(ScenarioTest, MatchesExpectations) {
  const fs::path& path = GetParam();
  std::string config_name = "eighty-eight";
  const std::vector<ScenarioBlock> blocks = test_support::ParseScenario(path, &config_name);
  ASSERT_FALSE(blocks.empty()) << path << " has no blocks";
  auto config = LoadProgramConfig(
      (fs::path(ONECARD_SOURCE_DIR) / "config" / (config_name + ".toml")).string());
  ASSERT_TRUE(config.ok()) << config.error().ToString();

  const test_support::ScenarioDir dir("onecard-scn", path);
  auto store = OpenSqliteStore((dir.path() / "scenario.db").string());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto engine = Engine::Open(std::move(store).value(), *config);
  ASSERT_TRUE(engine.ok()) << engine.error().ToString();
  EngineScenarioCommands run(engine->get());
  test_support::ExpectScenarioOutputs(
      path, blocks, [&run](const ScenarioBlock& block) { return run.Run(block); });
}

std::string ScenarioName(const ::testing::TestParamInfo<fs::path>& info) {
  return test_support::ScenarioTestName(info.param, kScenarioDir);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ScenarioTest,
                         ::testing::ValuesIn(test_support::ScenarioFiles(kScenarioDir, {"plan"})),
                         ScenarioName);

}  // namespace
}  // namespace onecard
