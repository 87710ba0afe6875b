// Kill -9 in the middle of a stream of acknowledged ledger batches, then reopen: the ledger
// rebuilt from its log verifies (core/ledger_verify.h), every acknowledged transfer is present
// exactly once (submitting the acknowledged batches again gives only duplicates), and the batch in
// flight at the kill is present whole or not at all. With a snapshot every two batches the kill
// also lands between an append and its snapshot: opening from whatever snapshot survived gives
// the state the whole log gives.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "core/ledger_verify.h"
#include "engine/ledger_service.h"
#include "engine/program.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fixed_standing_source.h"
#include "support/ledger_compare.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

constexpr int kBatchPairs = 100;  // an earning and a redemption each
constexpr int kBatches = 2000;    // at most; the kill comes long before
constexpr int kKillAfter = 30;

// 2025-03-01T00:00:00Z; purchases on 2025-01-01 are past the return window, so they post at once.
constexpr Instant kNow{1'740'787'200'000'000};
constexpr Instant kBought{1'735'689'600'000'000};

std::string Member(int batch, int i) { return "m" + std::to_string((batch * 7 + i) % 50); }

// Batch b: for each i, member earns 10 points (10.00 on the brand's shop, the shipped program,
// standing: no tier, not paid), then redeems 3 of them. Every request is accepted the first time.
std::vector<LedgerRequest> Batch(int batch) {
  std::vector<LedgerRequest> requests;
  for (int i = 0; i < kBatchPairs; ++i) {
    const std::string order = "o-" + std::to_string(batch) + "-" + std::to_string(i);
    requests.push_back(EarnRequest{"aurora_beauty", Member(batch, i), order, "tmall_flagship",
                                   "skincare", Money{1000}, kBought});
    requests.push_back(TransferRequest{"r-" + std::to_string(batch) + "-" + std::to_string(i),
                                       "aurora_beauty", TransferKind::kRedeem, Member(batch, i), "",
                                       3, false});
  }
  return requests;
}

struct Opened {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<LedgerService> ledger;
};

Result<Opened> Open(const std::string& db, MemberStandingSource* standing,
                    LedgerServiceOptions options = {}) {
  auto store = OpenSqliteStore(db);
  if (!store.ok()) return store.error();
  auto engine = OpenEngine(std::move(store).value(), std::nullopt);
  if (!engine.ok()) return engine.error();
  auto log = (*engine)->store().OpenLedgerStore();
  if (!log.ok()) return log.error();
  auto ledger =
      LedgerService::Open(std::move(log).value(), (*engine)->config().points, standing, options);
  if (!ledger.ok()) return ledger.error();
  return Opened{std::move(engine).value(), std::move(ledger).value()};
}

[[noreturn]] void SubmitUntilKilled(const std::string& db, int fd, LedgerServiceOptions options) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  test_support::FixedStandingSource standing;
  auto opened = Open(db, &standing, options);
  if (!opened.ok()) _exit(3);
  for (int32_t batch = 1; batch <= kBatches; ++batch) {
    auto results = opened->ledger->Submit(Batch(batch), kNow);
    if (!results.ok()) _exit(4);
    for (const auto& result : *results) {
      if (!result.ok() || result->duplicate) _exit(5);
    }
    if (write(fd, &batch, sizeof(batch)) != sizeof(batch)) _exit(6);
  }
  _exit(0);
}

void KillAndCheck(LedgerServiceOptions options) {
  const fs::path dir =
      fs::temp_directory_path() / ("onecard-ledger-crash-" + std::to_string(getpid()) + "-" +
                                   std::to_string(options.snapshot_every_batches));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "ledger.db").string();
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    SubmitUntilKilled(db, pipe_fds[1], options);
  }
  close(pipe_fds[1]);
  int32_t acknowledged = 0;
  int32_t batch = 0;
  while (acknowledged < kKillAfter && read(pipe_fds[0], &batch, sizeof(batch)) == sizeof(batch)) {
    acknowledged = batch;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  while (read(pipe_fds[0], &batch, sizeof(batch)) == sizeof(batch)) acknowledged = batch;
  close(pipe_fds[0]);
  ASSERT_GE(acknowledged, kKillAfter);

  test_support::FixedStandingSource standing;
  if (options.snapshot_every_batches > 0) {
    LedgerServiceOptions full_replay = options;
    full_replay.open_from_snapshot = false;
    auto replayed = Open(db, &standing, full_replay);
    ASSERT_TRUE(replayed.ok()) << replayed.error().ToString();
    // A second service on the same engine (one process holds the store's lock).
    auto log = replayed->engine->store().OpenLedgerStore();
    ASSERT_TRUE(log.ok()) << log.error().ToString();
    auto restored = LedgerService::Open(std::move(log).value(), replayed->engine->config().points,
                                        &standing, options);
    ASSERT_TRUE(restored.ok()) << restored.error().ToString();
    EXPECT_GE((*restored)->restored_from_batch(), kKillAfter - 2);
    test_support::ExpectSameLedger(replayed->ledger->ledger(), (*restored)->ledger());
  }
  auto opened = Open(db, &standing, options);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  const Ledger& ledger = opened->ledger->ledger();
  for (const std::string& violation : VerifyLedger(ledger)) ADD_FAILURE() << violation;
  // The batch in flight: all of its transfers or none.
  const int in_flight = acknowledged + 1;
  int present = 0;
  for (int i = 0; i < kBatchPairs; ++i) {
    present +=
        ledger.FindTransfer("r-" + std::to_string(in_flight) + "-" + std::to_string(i)).has_value();
  }
  EXPECT_TRUE(present == 0 || present == kBatchPairs) << present;
  const int64_t stored = static_cast<int64_t>(ledger.transfers().size());
  EXPECT_EQ(stored, (present == 0 ? acknowledged : in_flight) * 2 * kBatchPairs);
  // Every acknowledged request is there exactly once: submitting it again is a duplicate.
  for (int b = 1; b <= acknowledged; ++b) {
    auto results = opened->ledger->Submit(Batch(b), kNow);
    ASSERT_TRUE(results.ok());
    for (const auto& result : *results) {
      ASSERT_TRUE(result.ok()) << result.error().ToString();
      ASSERT_TRUE(result->duplicate) << "batch " << b << " was lost";
    }
  }
  EXPECT_EQ(static_cast<int64_t>(opened->ledger->ledger().transfers().size()), stored);
  opened->ledger.reset();
  opened->engine.reset();
  fs::remove_all(dir);
}

TEST(LedgerCrash, AcknowledgedTransfersSurviveKillExactlyOnce) {
  LedgerServiceOptions options;
  options.snapshot_every_batches = 0;
  KillAndCheck(options);
}

TEST(LedgerCrash, AKillBetweenAppendAndSnapshotIsHarmless) {
  LedgerServiceOptions options;
  options.snapshot_every_batches = 2;
  KillAndCheck(options);
}

}  // namespace
}  // namespace onecard
