// Kill -9 in the middle of a stream of ingests, then reopen: every batch the engine acknowledged
// is present exactly once, and the member states folded again at open are exactly those a clean
// run over the same stored events produces (compared through a publication of both).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "engine/engine.h"
#include "engine/program.h"
#include "engine/synthetic_stream.h"
#include "store/sqlite/sqlite_store.h"
#include "support/refold_check.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kBatchEvents = 500;
constexpr int kBatches = 400;

SyntheticOptions StreamOptions() {
  SyntheticOptions options;
  options.members = 300;
  options.months = 12;
  options.seed = 42;
  options.first_month = MonthKey::FromYearMonth(2024, 1);
  options.time = ProgramTime(8 * 3600);
  options.events_per_member_mean = 60;
  return options;
}

// The child: ingests batches and writes the number of each acknowledged batch to `fd`, until the
// parent kills it. It never returns.
[[noreturn]] void IngestUntilKilled(const std::string& db, int fd) {
  auto store = OpenSqliteStore(db);
  EngineOptions options;
  options.checkpoint_batches_max = 7;  // checkpoints happen mid-stream, too
  auto engine = OpenEngine(std::move(store).value(), std::nullopt, options);
  if (!engine.ok()) _exit(3);
  SyntheticStream stream(StreamOptions());
  Event event;
  for (int32_t batch = 1; batch <= kBatches; ++batch) {
    std::vector<Event> events;
    while (static_cast<int64_t>(events.size()) < kBatchEvents && stream.Next(&event)) {
      events.push_back(event);
    }
    if (events.empty()) break;
    if (!(*engine)->IngestEvents(std::move(events)).ok()) _exit(4);
    if (write(fd, &batch, sizeof(batch)) != sizeof(batch)) _exit(5);
  }
  _exit(0);  // no destructors: the last states are left for the next open to fold again
}

TEST(IngestCrash, AcknowledgedBatchesSurviveKillAndStatesRefoldExactly) {
  const fs::path dir = fs::temp_directory_path() / ("onecard-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "crash.db").string();

  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    IngestUntilKilled(db, pipe_fds[1]);
  }
  close(pipe_fds[1]);
  int32_t acknowledged = 0;
  int32_t batch = 0;
  while (acknowledged < 40 && read(pipe_fds[0], &batch, sizeof(batch)) == sizeof(batch)) {
    acknowledged = batch;
  }
  kill(child, SIGKILL);
  int child_status = 0;
  waitpid(child, &child_status, 0);
  // Batches acknowledged after the 40th but before the kill landed are read too.
  while (read(pipe_fds[0], &batch, sizeof(batch)) == sizeof(batch)) acknowledged = batch;
  close(pipe_fds[0]);
  ASSERT_GE(acknowledged, 40);

  // Every acknowledged event is stored: replaying the first `acknowledged` batches finds each one
  // a duplicate (the stream is deterministic, so the same batches can be rebuilt).
  auto store = OpenSqliteStore(db);
  ASSERT_TRUE(store.ok());
  auto recovered = OpenEngine(std::move(store).value(), std::nullopt);
  ASSERT_TRUE(recovered.ok()) << recovered.error().ToString();
  SyntheticStream stream(StreamOptions());
  Event event;
  for (int32_t b = 1; b <= acknowledged; ++b) {
    std::vector<Event> events;
    while (static_cast<int64_t>(events.size()) < kBatchEvents && stream.Next(&event)) {
      events.push_back(event);
    }
    auto results = (*recovered)->IngestEvents(std::move(events));
    ASSERT_TRUE(results.ok());
    for (const IngestLineResult& result : *results) {
      ASSERT_NE(result.outcome, IngestOutcome::kAccepted) << "batch " << b << " was lost";
    }
  }

  // A clean database fed exactly the stored events publishes the same rows as the recovered one.
  int64_t events_stored = 0;
  size_t rows_compared = 0;
  test_support::ExpectSameRowsAsCleanRefold(**recovered, dir / "clean.db",
                                            MonthKey::FromYearMonth(2025, 1), &events_stored,
                                            &rows_compared);
  EXPECT_GT(rows_compared, 0u);
  recovered->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onecard
