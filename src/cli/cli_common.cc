#include "cli/cli_common.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "engine/program.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard::cli {
namespace {

int64_t SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<Engine>> OpenEngineFor(const GlobalOptions& options, bool create_database) {
  if (options.db.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "db", "--db FILE is required");
  }
  auto store = OpenSqliteStore(options.db, create_database);
  if (!store.ok()) return store.error();
  std::optional<std::string> config;
  if (!options.config.empty()) config = options.config;
  return OpenEngine(std::move(store).value(), config);
}

Result<Instant> Now(const GlobalOptions& options, const ProgramTime& time) {
  if (!options.now.empty()) {
    auto parsed = time.ParseTimestamp(options.now);
    if (!parsed.ok()) return MakeError(ErrorCode::kInvalidArgument, "now", parsed.error().message);
    return *parsed;
  }
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return Instant{std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count()};
}

int Fail(const Error& error) {
  std::fprintf(stderr, "onecard: %s\n", error.ToString().c_str());
  return kExitFailure;
}

std::string Thousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return value < 0 ? "-" + out : out;
}

Progress::Progress(std::string label, int64_t total_units)
    : label_(std::move(label)), total_(total_units), enabled_(isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() { Finish(); }

void Progress::Update(int64_t done_units, const std::string& detail) {
  if (!enabled_ || finished_) return;
  const int64_t now = SteadyMicros();
  if (now - last_draw_us_ < 100'000) return;  // redraw at most ten times a second
  last_draw_us_ = now;
  constexpr int kWidth = 30;
  if (total_ > 0) {
    const int64_t filled = std::min<int64_t>(kWidth, done_units * kWidth / total_);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r%s [%s] %3d%% %s   ", label_.c_str(), bar.c_str(),
                 static_cast<int>(done_units * 100 / total_), detail.c_str());
  } else {
    std::fprintf(stderr, "\r%s %s   ", label_.c_str(), detail.c_str());
  }
  std::fflush(stderr);
}

void Progress::Clear() {
  if (enabled_ && !finished_ && last_draw_us_ != 0) std::fprintf(stderr, "\r\033[K");
}

void Progress::Finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  if (last_draw_us_ != 0) std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace onecard::cli
