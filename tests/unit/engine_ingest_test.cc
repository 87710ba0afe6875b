// The engine's ingest contract: per-line results, idempotency by event id, atomic rejection and
// state that survives closing and reopening the database.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine/config_loader.h"
#include "engine/engine.h"
#include "engine/program.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

class EngineIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("onecard-engine-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    engine_.reset();
    fs::remove_all(dir_);
  }
  void Reopen() {
    engine_.reset();
    auto store = OpenSqliteStore((dir_ / "test.db").string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    auto engine = OpenEngine(std::move(store).value(), std::nullopt);
    ASSERT_TRUE(engine.ok()) << engine.error().ToString();
    engine_ = std::move(engine).value();
  }
  std::vector<std::string> Ingest(const std::vector<std::string>& lines) {
    std::vector<std::string_view> views(lines.begin(), lines.end());
    auto results = engine_->IngestLines(views);
    EXPECT_TRUE(results.ok());
    std::vector<std::string> out;
    for (const auto& result : *results) {
      std::string text(IngestOutcomeName(result.outcome));
      if (result.error) text += " " + std::string(ErrorCodeName(result.error->code));
      out.push_back(text);
    }
    return out;
  }

  fs::path dir_;
  std::unique_ptr<Engine> engine_;
};

const std::string kPurchase =
    R"({"id":"e1","type":"purchase","member":"m1","at":"2011-03-01T10:00:00","order":"o1",)"
    R"("amount":"100.00","site":"tmall","shop":"s1","category":"shoes","goods":"physical"})";
// The same content with other key order, spacing and an explicit offset.
const std::string kPurchaseReordered =
    R"({ "member":"m1", "id":"e1", "type":"purchase", "at":"2011-03-01T02:00:00Z", "order":"o1",)"
    R"( "amount":"100", "site":"tmall", "shop":"s1", "category":"shoes", "goods":"physical" })";
const std::string kPurchaseOtherAmount =
    R"({"id":"e1","type":"purchase","member":"m1","at":"2011-03-01T10:00:00","order":"o1",)"
    R"("amount":"101.00","site":"tmall","shop":"s1","category":"shoes","goods":"physical"})";

TEST_F(EngineIngestTest, SameIdSameContentIsADuplicateWhateverItsSpelling) {
  EXPECT_EQ(Ingest({kPurchase}), (std::vector<std::string>{"accepted"}));
  EXPECT_EQ(Ingest({kPurchaseReordered, kPurchase}),
            (std::vector<std::string>{"duplicate", "duplicate"}));
  EXPECT_EQ(engine_->store().CountEvents().value(), 1);
}

TEST_F(EngineIngestTest, SameIdOtherContentIsRejected) {
  EXPECT_EQ(Ingest({kPurchase, kPurchaseOtherAmount}),
            (std::vector<std::string>{"accepted", "rejected id_conflict"}));
  EXPECT_EQ(Ingest({kPurchaseOtherAmount}), (std::vector<std::string>{"rejected id_conflict"}));
}

TEST_F(EngineIngestTest, BadLinesNeitherStopNorChangeTheRest) {
  const std::string second_order =
      R"({"id":"e2","type":"purchase","member":"m1","at":"2011-03-02T10:00:00","order":"o1",)"
      R"("amount":"5.00","site":"tmall","shop":"s1","category":"shoes","goods":"physical"})";
  EXPECT_EQ(Ingest({"not json", kPurchase, "{\"id\":\"x\"}", second_order, second_order}),
            (std::vector<std::string>{"rejected invalid_json", "accepted", "rejected missing_field",
                                      "rejected duplicate_order", "rejected duplicate_order"}));
  EXPECT_EQ(engine_->store().CountEvents().value(), 1);
}

TEST_F(EngineIngestTest, AcceptedEventsSurviveReopen) {
  EXPECT_EQ(Ingest({kPurchase}), (std::vector<std::string>{"accepted"}));
  Reopen();
  EXPECT_EQ(Ingest({kPurchase}), (std::vector<std::string>{"duplicate"}));
  auto report = engine_->Member("m1");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->events, 1);
}

TEST_F(EngineIngestTest, PublicationsAreFinalAndMoveForward) {
  EXPECT_EQ(Ingest({kPurchase}), (std::vector<std::string>{"accepted"}));
  const Instant far_future{4'102'444'800'000'000};
  auto month = ParseMonthKey("2011-06").value();
  ASSERT_TRUE(engine_->Publish(month, far_future).ok());
  EXPECT_EQ(engine_->Publish(month, far_future).error().code, ErrorCode::kAlreadyPublished);
  EXPECT_EQ(engine_->Publish(ParseMonthKey("2011-05").value(), far_future).error().code,
            ErrorCode::kMonthNotAfterLatest);
  // 2011-07-08T00:00+08:00 has not come at 2011-07-07T16:00Z minus one microsecond.
  const Instant just_before{engine_->time().ParseTimestamp("2011-07-08T00:00:00").value().us - 1};
  EXPECT_EQ(engine_->Publish(ParseMonthKey("2011-07").value(), just_before).error().code,
            ErrorCode::kInstantInFuture);
  EXPECT_TRUE(engine_->Publish(ParseMonthKey("2011-07").value(), Instant{just_before.us + 1}).ok());
}

TEST_F(EngineIngestTest, ADatabaseKeepsItsProgram) {
  engine_.reset();
  auto store = OpenSqliteStore((dir_ / "test.db").string());
  ASSERT_TRUE(store.ok());
  auto other = OpenEngine(std::move(store).value(),
                          std::string(ONECARD_SOURCE_DIR) + "/config/super-member-2025.toml");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidConfig);
}

}  // namespace
}  // namespace onecard
