// The real retail year (UCI Online Retail, data/online-retail/) replayed through the engine into a
// real SQLite file and published for 2011-12. The pinned figures were also computed independently
// from the CSV by a separate script applying PRODUCT §2 (one shop, one category, credit level 3);
// it agreed with every one of the 4,367 scores (tests/data/retail_cross_check.py).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "engine/online_retail.h"
#include "engine/program.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

TEST(RetailReplay, PublishesThePinnedFiguresFor2011_12) {
  const fs::path dir = fs::temp_directory_path() / ("onecard-retail-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto store = OpenSqliteStore((dir / "retail.db").string());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto engine = OpenEngine(std::move(store).value(), std::nullopt);
  ASSERT_TRUE(engine.ok()) << engine.error().ToString();

  IngestCounts counts;
  std::vector<Event> batch;
  auto flush = [&]() -> Status {
    auto results = (*engine)->IngestEvents(std::move(batch));
    batch.clear();
    if (!results.ok()) return results.error();
    counts.Add(*results);
    return Status::Ok();
  };
  OnlineRetailStats stats;
  Status status = ReadOnlineRetail(
      std::string(ONECARD_SOURCE_DIR) + "/data/online-retail/online_retail_2010-12_2011-12.csv.zst",
      (*engine)->time(),
      [&](const Event& event) -> Status {
        batch.push_back(event);
        return batch.size() >= 5'000 ? flush() : Status::Ok();
      },
      &stats);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  ASSERT_TRUE(flush().ok());
  EXPECT_EQ(counts.accepted, 22'190);  // 18,536 purchases + 3,654 refunds
  EXPECT_EQ(counts.duplicate, 0);
  EXPECT_EQ(counts.rejected, 0);

  const MonthKey december = MonthKey::FromYearMonth(2011, 12);
  auto info = (*engine)->Publish(december, Instant{4'102'444'800'000'000});
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  // 4,372 customers, of whom 5 have no event before 2011-12-08 00:00.
  EXPECT_EQ(info->members, 4'367);

  auto tiers = (*engine)->Tiers(december);
  ASSERT_TRUE(tiers.ok());
  std::map<std::string, int64_t> by_tier;
  for (const TierCount& count : *tiers) by_tier[count.tier] = count.members;
  EXPECT_EQ(by_tier, (std::map<std::string, int64_t>{
                         {"registered", 2'768}, {"standard", 1'539}, {"super", 60}, {"apass", 0}}));

  int64_t score_sum = 0;
  std::string top_member;
  int64_t top_score = -1;
  ASSERT_TRUE((*engine)
                  ->ForEachScore(december,
                                 [&](const PublishedRow& row) -> Status {
                                   score_sum += row.score;
                                   if (row.score > top_score) {
                                     top_score = row.score;
                                     top_member = row.member;
                                   }
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(score_sum, 1'418'594);
  EXPECT_EQ(top_member, "13089");
  EXPECT_EQ(top_score, 1'700);

  engine->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onecard
