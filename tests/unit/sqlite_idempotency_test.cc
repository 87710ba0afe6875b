// The store side of the HTTP API's idempotency keys (issue 4): a record commits with the effect it
// answers for, or neither does; a key stored twice fails the whole transaction; old records purge.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine/program.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

class SqliteIdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("onecard-idem-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = OpenSqliteStore((dir_ / "t.db").string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  static IdempotencyRecord Record(const std::string& key, int64_t created_us) {
    return IdempotencyRecord{
        "ops", key, "fp-" + key, 200, "{\"answer\":\"" + key + "\"}", Instant{created_us}};
  }
  static onecard::Event Event(const std::string& id) {
    onecard::Event event;
    event.id = id;
    event.type = EventType::kVisit;
    event.member = "m1";
    event.at = Instant{1'000'000};
    event.site = "tmall";
    return event;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteIdempotencyTest, ARecordCommitsWithTheBatchOrNotAtAll) {
  IngestWrite write{1, {Event("e1")}, {Record("k1", 10)}};
  ASSERT_TRUE(store_->CommitIngest(write).ok());
  auto found = store_->FindIdempotencyRecord("ops", "k1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->fingerprint, "fp-k1");
  EXPECT_EQ((*found)->status, 200);
  EXPECT_EQ((*found)->body, "{\"answer\":\"k1\"}");
  EXPECT_EQ((*found)->created_at.us, 10);
  // Keys are per scope: the same key of another API key is another record.
  EXPECT_FALSE(store_->FindIdempotencyRecord("shop", "k1")->has_value());

  // A second batch naming k1 again fails whole: its event is not stored, the position stays.
  IngestWrite again{2, {Event("e2")}, {Record("k2", 11), Record("k1", 11)}};
  Status status = store_->CommitIngest(again);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kIdempotencyConflict);
  EXPECT_FALSE(store_->FindEvents({"e2"})->at(0).has_value());
  EXPECT_FALSE(store_->FindIdempotencyRecord("ops", "k2")->has_value());
  EXPECT_EQ(store_->LoadIngestPosition()->last_batch, 1);
}

TEST_F(SqliteIdempotencyTest, InvitationsAndPublicationsCarryTheirRecords) {
  Invitation invitation{"m1", MonthKey{2025 * 12 + 3}, Instant{5}, std::nullopt};
  ASSERT_TRUE(store_->SaveIdempotencyRecords({Record("taken", 1)}).ok());
  // The invitation with a taken key is not saved.
  Status status = store_->SaveInvitation(invitation, {Record("taken", 2)});
  EXPECT_EQ(status.error().code, ErrorCode::kIdempotencyConflict);
  EXPECT_FALSE(store_->LoadInvitation("m1")->has_value());
  ASSERT_TRUE(store_->SaveInvitation(invitation, {Record("inv", 2)}).ok());
  EXPECT_TRUE(store_->LoadInvitation("m1")->has_value());
  EXPECT_TRUE(store_->FindIdempotencyRecord("ops", "inv")->has_value());

  // A publication abandoned before Commit leaves neither rows nor its record.
  PublicationInfo info{MonthKey{2025 * 12 + 3}, Instant{1}, Instant{2}, "r1", 0};
  {
    auto writer = store_->BeginPublication(info);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->AddIdempotencyRecord(Record("pub", 3)).ok());
  }
  EXPECT_FALSE(store_->FindIdempotencyRecord("ops", "pub")->has_value());
  auto writer = store_->BeginPublication(info);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->AddIdempotencyRecord(Record("pub", 3)).ok());
  ASSERT_TRUE((*writer)->Commit(0).ok());
  writer->reset();
  EXPECT_TRUE(store_->FindIdempotencyRecord("ops", "pub")->has_value());
  EXPECT_EQ(store_->ListPublications()->size(), 1u);
}

TEST_F(SqliteIdempotencyTest, PurgeDeletesOnlyOlderRecords) {
  ASSERT_TRUE(
      store_->SaveIdempotencyRecords({Record("a", 100), Record("b", 200), Record("c", 300)}).ok());
  auto purged = store_->PurgeIdempotencyRecords(Instant{201});
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 2);
  EXPECT_FALSE(store_->FindIdempotencyRecord("ops", "a")->has_value());
  EXPECT_FALSE(store_->FindIdempotencyRecord("ops", "b")->has_value());
  EXPECT_TRUE(store_->FindIdempotencyRecord("ops", "c")->has_value());
}

TEST_F(SqliteIdempotencyTest, TheEngineStoresTheRecordEvenWhenNoEventIsNew) {
  auto engine = OpenEngine(std::move(store_), std::nullopt);
  ASSERT_TRUE(engine.ok());
  const std::string line =
      R"({"id":"v1","type":"visit","member":"m1","at":"2025-03-01T10:00:00+08:00","site":"x"})";
  int calls = 0;
  auto records = [&](const std::vector<IngestLineResult>& results) {
    ++calls;
    return std::vector<IdempotencyRecord>{
        Record(std::string("r") + std::string(IngestOutcomeName(results.at(0).outcome)), 7)};
  };
  ASSERT_TRUE((*engine)->IngestLines({line}, records).ok());
  ASSERT_TRUE((*engine)->IngestLines({line}, records).ok());  // a duplicate: no event to write
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE((*engine)->FindIdempotencyRecord("ops", "raccepted")->has_value());
  EXPECT_TRUE((*engine)->FindIdempotencyRecord("ops", "rduplicate")->has_value());
  EXPECT_EQ(*(*engine)->store().CountEvents(), 1);
}

}  // namespace
}  // namespace onecard
