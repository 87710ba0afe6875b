// The check both crash tests end with: a clean database fed exactly the events the recovered one
// stored must publish the same rows, member by member — so the states folded again after the crash
// are exactly those the stored events give.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/event_codec.h"
#include "engine/program.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard::test_support {

inline std::vector<PublishedRow> PublishRows(Engine& engine, MonthKey month) {
  EXPECT_TRUE(engine.Publish(month, Instant{4'102'444'800'000'000}).ok());  // 2100-01-01
  std::vector<PublishedRow> rows;
  EXPECT_TRUE(engine
                  .ForEachScore(month,
                                [&](const PublishedRow& row) -> Status {
                                  rows.push_back(row);
                                  return Status::Ok();
                                })
                  .ok());
  return rows;
}

// Publishes `month` in `recovered` and in a clean database at `clean_db` fed the recovered store's
// events, and expects equal rows. Sets *events_stored and *rows_compared for further checks.
inline void ExpectSameRowsAsCleanRefold(Engine& recovered, const std::filesystem::path& clean_db,
                                        MonthKey month, int64_t* events_stored,
                                        size_t* rows_compared) {
  constexpr size_t kBatchEvents = 1'000;
  auto clean_store = OpenSqliteStore(clean_db.string());
  ASSERT_TRUE(clean_store.ok());
  auto clean = OpenEngine(std::move(clean_store).value(), std::nullopt);
  ASSERT_TRUE(clean.ok());
  std::vector<std::string> stored;
  // Fed as JSONL, so that the clean database also goes through decoding.
  const ProgramTime utc(0);
  ASSERT_TRUE(recovered.store()
                  .ForEachEventAfterBatch(0,
                                          [&](const Event& event) -> Status {
                                            stored.push_back(EncodeEventJson(event, utc));
                                            return Status::Ok();
                                          })
                  .ok());
  *events_stored = static_cast<int64_t>(stored.size());
  for (size_t i = 0; i < stored.size(); i += kBatchEvents) {
    const std::vector<std::string_view> lines(
        stored.begin() + static_cast<std::ptrdiff_t>(i),
        stored.begin() + static_cast<std::ptrdiff_t>(std::min(stored.size(), i + kBatchEvents)));
    auto results = (*clean)->IngestLines(lines);
    ASSERT_TRUE(results.ok());
    for (const IngestLineResult& result : *results) {
      ASSERT_EQ(result.outcome, IngestOutcome::kAccepted);
    }
  }
  const std::vector<PublishedRow> recovered_rows = PublishRows(recovered, month);
  const std::vector<PublishedRow> clean_rows = PublishRows(**clean, month);
  ASSERT_EQ(recovered_rows.size(), clean_rows.size());
  for (size_t i = 0; i < clean_rows.size(); ++i) {
    EXPECT_EQ(recovered_rows[i].member, clean_rows[i].member);
    EXPECT_EQ(recovered_rows[i].score, clean_rows[i].score) << clean_rows[i].member;
    EXPECT_EQ(recovered_rows[i].breakdown, clean_rows[i].breakdown) << clean_rows[i].member;
  }
  *rows_compared = clean_rows.size();
}

}  // namespace onecard::test_support
