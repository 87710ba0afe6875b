// Arrival order never matters: the same events delivered in any order, in batches of any size,
// publish the same rows (scores, tiers and full breakdowns).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "engine/program.h"
#include "engine/synthetic_stream.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

std::vector<PublishedRow> IngestAndPublish(const fs::path& db, const std::vector<Event>& events,
                                           std::mt19937_64& rng) {
  auto store = OpenSqliteStore(db.string());
  EXPECT_TRUE(store.ok());
  auto engine = OpenEngine(std::move(store).value(), std::nullopt);
  EXPECT_TRUE(engine.ok());
  for (size_t i = 0; i < events.size();) {
    const size_t size = std::min<size_t>(events.size() - i, 1 + rng() % 3000);
    auto results = (*engine)->IngestEvents(
        std::vector<Event>(events.begin() + static_cast<std::ptrdiff_t>(i),
                           events.begin() + static_cast<std::ptrdiff_t>(i + size)));
    EXPECT_TRUE(results.ok());
    i += size;
  }
  std::vector<PublishedRow> rows;
  for (int32_t month : {2, 8, 13}) {  // 2025-02, 2025-08 and 2026-01
    const MonthKey key = MonthKey::FromYearMonth(2025, 1).plus(month - 1);
    EXPECT_TRUE((*engine)->Publish(key, Instant{4'102'444'800'000'000}).ok());
    EXPECT_TRUE((*engine)
                    ->ForEachScore(key,
                                   [&](const PublishedRow& row) -> Status {
                                     rows.push_back(row);
                                     return Status::Ok();
                                   })
                    .ok());
  }
  return rows;
}

TEST(EngineArrivalOrder, AnyPermutationPublishesTheSameRows) {
  SyntheticOptions options;
  options.members = 60;
  options.months = 12;
  options.seed = 2024;
  options.time = ProgramTime(8 * 3600);
  std::vector<Event> events;
  SyntheticStream stream(options);
  for (Event event; stream.Next(&event);) events.push_back(event);
  ASSERT_GT(events.size(), 10'000u);

  const fs::path dir = fs::temp_directory_path() / ("onecard-order-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::mt19937_64 rng(7);
  const std::vector<PublishedRow> in_order = IngestAndPublish(dir / "in-order.db", events, rng);
  ASSERT_FALSE(in_order.empty());
  for (int round = 0; round < 3; ++round) {
    std::vector<Event> shuffled = events;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const std::vector<PublishedRow> rows =
        IngestAndPublish(dir / ("shuffled-" + std::to_string(round) + ".db"), shuffled, rng);
    ASSERT_EQ(rows.size(), in_order.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].member, in_order[i].member);
      ASSERT_EQ(rows[i].score, in_order[i].score) << rows[i].member;
      ASSERT_EQ(rows[i].tier, in_order[i].tier) << rows[i].member;
      ASSERT_EQ(rows[i].breakdown, in_order[i].breakdown) << rows[i].member;
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onecard
