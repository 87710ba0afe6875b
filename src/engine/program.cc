#include "engine/program.h"

#include <fstream>
#include <sstream>

#include "engine/config_loader.h"
#include "engine/default_config.h"

namespace onecard {
namespace {

constexpr std::string_view kConfigSetting = "program_config";

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIoError, "config", "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<std::unique_ptr<Engine>> OpenEngine(std::unique_ptr<Store> store,
                                           const std::optional<std::string>& config_path,
                                           EngineOptions options) {
  std::optional<std::string> given;
  if (config_path.has_value()) {
    auto text = ReadFile(*config_path);
    if (!text.ok()) return text.error();
    given = std::move(text).value();
  }
  auto recorded = store->GetSetting(kConfigSetting);
  if (!recorded.ok()) return recorded.error();
  std::string text;
  std::string source;
  if (recorded->has_value()) {
    if (given.has_value() && *given != **recorded) {
      return MakeError(ErrorCode::kInvalidConfig, "config",
                       "this database was made with another program config; open it without "
                       "--config or use a new database");
    }
    text = **recorded;
    source = "(database config)";
  } else {
    text = given.has_value() ? *given : std::string(DefaultConfigToml());
    source = config_path.value_or("(built-in eighty-eight.toml)");
  }
  auto config = ParseProgramConfig(text, source);
  if (!config.ok()) return config.error();
  if (!recorded->has_value()) {
    if (Status saved = store->PutSetting(kConfigSetting, text); !saved.ok()) {
      return saved.error();
    }
  }
  return Engine::Open(std::move(store), std::move(config).value(), options);
}

}  // namespace onecard
