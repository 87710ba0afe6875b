// When the store fails a batch's commit, nothing of the batch is acknowledged or kept: the engine
// rebuilds its folded states from the checkpoint and the log, and the same batch sent again is
// accepted as if the failure never happened.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine/engine.h"
#include "engine/program.h"
#include "store/forwarding_store.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

// Forwards to a real store and fails CommitIngest when told to.
class FailingStore final : public ForwardingStore {
 public:
  FailingStore(std::unique_ptr<Store> inner, bool* fail_commit)
      : ForwardingStore(std::move(inner)), fail_commit_(fail_commit) {}

  Status CommitIngest(const IngestWrite& write) override {
    if (*fail_commit_) return MakeError(ErrorCode::kStoreError, "", "injected commit failure");
    return ForwardingStore::CommitIngest(write);
  }

 private:
  bool* fail_commit_;
};

std::string Purchase(const std::string& id, const std::string& order, const std::string& day) {
  return R"({"id":")" + id + R"(","type":"purchase","member":"m1","at":"2025-03-)" + day +
         R"(T10:00:00","order":")" + order +
         R"(","amount":"300.00","site":"tmall","shop":"s1","category":"c1","goods":"physical"})";
}

TEST(EngineStoreFailure, AFailedCommitLeavesNoTrace) {
  const fs::path dir = fs::temp_directory_path() / ("onecard-failure-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  bool fail_commit = false;
  auto inner = OpenSqliteStore((dir / "test.db").string());
  ASSERT_TRUE(inner.ok());
  auto engine = OpenEngine(std::make_unique<FailingStore>(std::move(inner).value(), &fail_commit),
                           std::nullopt);
  ASSERT_TRUE(engine.ok());

  const std::string first = Purchase("e1", "o1", "01");
  ASSERT_TRUE((*engine)->IngestLines({first}).ok());

  // The failed batch names a new order o2 and repeats order o1 under a new id.
  fail_commit = true;
  const std::string second = Purchase("e2", "o2", "02");
  auto failed = (*engine)->IngestLines({second});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kStoreError);

  // Sent again, the batch is accepted: o2 was not left behind in the folded state.
  fail_commit = false;
  auto retried = (*engine)->IngestLines({second});
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ((*retried)[0].outcome, IngestOutcome::kAccepted);
  EXPECT_EQ((*engine)->store().CountEvents().value(), 2);

  auto info = (*engine)->Publish(MonthKey::FromYearMonth(2025, 4), Instant{4'102'444'800'000'000});
  ASSERT_TRUE(info.ok());
  auto report = (*engine)->Member("m1");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->events, 2);
  // Two orders of 300.00 on two days: 30 points each → shopping 60, active 5, score 265.
  EXPECT_EQ(report->publications.at(0).row.score, 265);
  engine->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onecard
