// Reading scenario files (tests/scenarios/README.md): blocks of a command, its input lines and,
// after ----, the expected output lines. Shared by the scenario runners.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace onecard::test_support {

struct ScenarioBlock {
  int line = 0;                     // where the command stands in the file
  std::string command;              // "ingest", "publish 2012-01", ...
  std::vector<std::string> input;   // lines between the command and ----
  std::vector<std::string> expect;  // lines after ----
};

inline std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// Blocks are separated by blank lines; '#' lines outside bodies are comments; "config NAME" picks
// config/NAME.toml.
inline std::vector<ScenarioBlock> ParseScenario(const std::filesystem::path& path,
                                                std::string* config_name) {
  std::ifstream in(path);
  std::vector<ScenarioBlock> blocks;
  ScenarioBlock* current = nullptr;
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
      blocks.push_back(ScenarioBlock{number, line, {}, {}});
      current = &blocks.back();
    } else if (line == "----") {
      in_expect = true;
    } else {
      (in_expect ? current->expect : current->input).push_back(line);
    }
  }
  return blocks;
}

inline std::string Outcome(const Status& status) {
  return status.ok() ? "ok" : "error " + std::string(ErrorCodeName(status.error().code));
}

inline std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// Every *.scn file under dir (recursively), sorted, leaving out the folders named in `skip`
// (direct subfolders of dir that another runner owns).
inline std::vector<std::filesystem::path> ScenarioFiles(const std::filesystem::path& dir,
                                                        const std::vector<std::string>& skip = {}) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".scn") continue;
    const std::string top = fs::relative(entry.path(), dir).begin()->string();
    if (std::find(skip.begin(), skip.end(), top) != skip.end()) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A gtest-safe name for a scenario file: its path below `root` without the extension, every
// character other than a letter or digit made '_' ("caps/day_cap.scn" -> "caps_day_cap").
inline std::string ScenarioTestName(const std::filesystem::path& file,
                                    const std::filesystem::path& root) {
  std::string name = std::filesystem::relative(file, root).replace_extension().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// Runs every block through `run` and expects the block's output lines; a command `run` does not
// know (std::nullopt) fails the test. Failures name the file and the block's line.
using ScenarioCommand =
    std::function<std::optional<std::vector<std::string>>(const ScenarioBlock& block)>;
inline void ExpectScenarioOutputs(const std::filesystem::path& path,
                                  const std::vector<ScenarioBlock>& blocks,
                                  const ScenarioCommand& run) {
  for (const ScenarioBlock& block : blocks) {
    const std::optional<std::vector<std::string>> actual = run(block);
    if (!actual.has_value()) {
      ADD_FAILURE() << path.filename().string() << ":" << block.line
                    << ": unknown scenario command: " << block.command;
      continue;
    }
    EXPECT_EQ(JoinLines(block.expect), JoinLines(*actual))
        << path.filename().string() << ":" << block.line << ": " << block.command;
  }
}

// A fresh scratch directory for one scenario file (named by the runner's prefix, this process and
// the file), removed again when the runner is done.
class ScenarioDir {
 public:
  ScenarioDir(std::string_view prefix, const std::filesystem::path& file)
      : path_(
            std::filesystem::temp_directory_path() /
            (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + file.stem().string())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScenarioDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScenarioDir(const ScenarioDir&) = delete;
  ScenarioDir& operator=(const ScenarioDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace onecard::test_support
