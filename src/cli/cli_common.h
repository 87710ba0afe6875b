// What every `onecard` subcommand shares: the global options, opening the engine over the
// database, the clock, error reporting and the progress bar for long work.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/program_time.h"
#include "core/result.h"
#include "engine/engine.h"

namespace onecard::cli {

struct GlobalOptions {
  std::string db;
  std::string config;  // empty: the database's recorded config, or the built-in default
  std::string now;     // empty: the system clock; else an ISO-8601 instant (tests, replays)
};

// Exit codes: 0 success, 1 the command failed (an Error), 2 bad usage (CLI11's own).
inline constexpr int kExitFailure = 1;

// Opens the engine over --db. Commands that only read or publish pass create_database = false, so
// that a mistyped path is an error rather than a new empty database.
Result<std::unique_ptr<Engine>> OpenEngineFor(const GlobalOptions& options, bool create_database);
Result<Instant> Now(const GlobalOptions& options, const ProgramTime& time);
// Prints "onecard: <code> (<field>): <message>" to stderr and returns kExitFailure.
int Fail(const Error& error);

// A one-line progress bar on stderr, drawn only when stderr is a terminal.
class Progress {
 public:
  Progress(std::string label, int64_t total_units);  // total 0: unknown, show a count
  ~Progress();
  void Update(int64_t done_units, const std::string& detail);
  // Erases the bar so that other stderr output starts on a clean line; the next Update redraws.
  void Clear();
  void Finish();

 private:
  std::string label_;
  int64_t total_;
  bool enabled_;
  bool finished_ = false;
  int64_t last_draw_us_ = 0;
};

// "12,345"
std::string Thousands(int64_t value);

}  // namespace onecard::cli
