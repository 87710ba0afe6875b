// Snapshots (core/ledger_snapshot.cc): a randomized run of every kind of request in batches of
// random size, with a snapshot every few batches; then the ledger opened from the latest snapshot
// (plus the log after it) equals, field by field, the ledger opened by applying the whole log and
// the ledger that ran — balances, lots, pending transfers, history, orders, refunds, links,
// stays — answers every request again the same way (idempotency) and verifies. A failed snapshot
// write fails nothing, and a damaged snapshot is passed over for the whole log.
#include <gtest/gtest.h>

#include <random>

#include "core/ledger_verify.h"
#include "engine/ledger_service.h"
#include "support/fixed_standing_source.h"
#include "support/ledger_compare.h"
#include "support/ledger_harness.h"
#include "support/memory_ledger_store.h"

namespace onecard {
namespace {

using namespace test_support;

struct Log {
  std::vector<std::string> batches;
  std::optional<LedgerStore::Snapshot> snapshot;
};

std::unique_ptr<LedgerService> OpenService(Log& log, const PointsConfig& config,
                                           MemberStandingSource* standing,
                                           LedgerServiceOptions options,
                                           MemoryLedgerStore** store_out = nullptr) {
  auto store = std::make_unique<MemoryLedgerStore>(&log.batches, &log.snapshot);
  if (store_out != nullptr) *store_out = store.get();
  auto service = LedgerService::Open(std::move(store), config, standing, options);
  EXPECT_TRUE(service.ok()) << service.error().ToString();
  return service.ok() ? std::move(service).value() : nullptr;
}

// A random request of any kind over a few members, orders and holds made before.
LedgerRequest RandomRequest(std::mt19937_64& random, int64_t n, Instant now,
                            std::vector<std::string>* holds, std::vector<std::string>* orders) {
  auto pick = [&](int64_t k) { return static_cast<int64_t>(random() % static_cast<uint64_t>(k)); };
  const std::string id = "q" + std::to_string(n);
  const std::string a = "m" + std::to_string(pick(6));
  const std::string b = "m" + std::to_string((pick(5) + 1 + std::stoi(a.substr(1))) % 6);
  switch (pick(10)) {
    case 0:
    case 1: {
      orders->push_back(id);
      // Some purchases inside the return window (pending), some long before (posted at once).
      const Instant at{now.us - (pick(2) == 0 ? 0 : 30 * kDayUs)};
      return Earn(a, id, std::to_string(100 + pick(5000)) + ".00", at, "online",
                  pick(3) == 0 ? "big" : "misc");
    }
    case 2:
      return Redeem(id, a, 1 + pick(500));
    case 3:
      holds->push_back(id);
      return Redeem(id, a, 1 + pick(500), true);
    case 4:
      return Move(id, a, b, 1 + pick(500));
    case 5: {
      if (holds->empty()) return Move(id, a, b, 1 + pick(50));
      const std::string hold = (*holds)[static_cast<size_t>(pick(std::ssize(*holds)))];
      return SettleRequest{id, hold, pick(2) == 0, ""};
    }
    case 6: {
      if (orders->empty()) return Redeem(id, a, 1);
      const std::string order = (*orders)[static_cast<size_t>(pick(std::ssize(*orders)))];
      return Refund(id, order, std::to_string(1 + pick(300)) + ".00", now);
    }
    case 7:
      return LinkRequest{"shop", a, "hotel", "H-" + a, true};
    case 8:
      if (pick(2) == 0) return StayRequest{id, "shop", a, "hotel", now};
      return ChallengeRequest{"shop", a, "hotel"};
    default:
      holds->push_back(id);
      return ExchangeRequest{id, "shop", a, "hotel", 3'000 + pick(3'000)};
  }
}

TEST(LedgerSnapshot, OpeningFromTheSnapshotGivesTheStateOfTheFullReplay) {
  const PointsConfig config = LedgerTestConfig();
  FixedStandingSource standing;
  Log log;
  LedgerServiceOptions options;
  options.snapshot_every_batches = 7;
  MemoryLedgerStore* store = nullptr;
  auto running = OpenService(log, config, &standing, options, &store);
  ASSERT_NE(running, nullptr);
  std::mt19937_64 random(5050);
  std::vector<std::string> holds;
  std::vector<std::string> orders;
  std::vector<std::vector<LedgerRequest>> submitted;
  int64_t now = Day(40).us;
  int64_t n = 0;
  for (int batch = 0; batch < 160; ++batch) {
    now += static_cast<int64_t>(random() % 3) * kDayUs / 2;
    if (batch % 9 == 0) {
      ASSERT_TRUE(running->RunJob(Instant{now}).ok());
    }
    // A stretch of failed snapshot writes: the batches still commit.
    store->FailSnapshots(batch >= 60 && batch < 75);
    std::vector<LedgerRequest> requests;
    const int64_t size = 1 + static_cast<int64_t>(random() % 8);
    for (int64_t i = 0; i < size; ++i) {
      requests.push_back(RandomRequest(random, ++n, Instant{now}, &holds, &orders));
    }
    ASSERT_TRUE(running->Submit(requests, Instant{now}).ok());
    submitted.push_back(std::move(requests));
  }
  ASSERT_TRUE(log.snapshot.has_value());
  EXPECT_GT(log.snapshot->batch, 100);
  EXPECT_LT(log.snapshot->batch, running->last_batch());  // some log is applied after it
  EXPECT_GT(running->ledger().transfers().size(), 200u);
  EXPECT_GT(running->ledger().pendings().size(), 10u);

  LedgerServiceOptions full_replay = options;
  full_replay.open_from_snapshot = false;
  Log replay_log = log;  // each service below writes its own log when asked again
  auto replayed = OpenService(replay_log, config, &standing, full_replay);
  auto restored = OpenService(log, config, &standing, options);
  ASSERT_NE(replayed, nullptr);
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(replayed->restored_from_batch(), 0);
  EXPECT_EQ(restored->restored_from_batch(), log.snapshot->batch);
  EXPECT_EQ(restored->last_batch(), running->last_batch());
  ExpectSameLedger(replayed->ledger(), restored->ledger());
  ExpectSameLedger(running->ledger(), restored->ledger());
  EXPECT_TRUE(VerifyLedger(restored->ledger()).empty());

  // Every request again: the same answers from both (duplicates, conflicts, or — for requests
  // that failed the first time — the same new decision), and the states stay equal.
  const Instant later{now};
  for (const auto& requests : submitted) {
    auto a = replayed->Submit(requests, later);
    auto b = restored->Submit(requests, later);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i) {
      ASSERT_EQ((*a)[i].ok(), (*b)[i].ok());
      if (!(*a)[i].ok()) {
        EXPECT_EQ((*a)[i].error().code, (*b)[i].error().code);
        continue;
      }
      EXPECT_EQ((*a)[i]->duplicate, (*b)[i]->duplicate);
      EXPECT_EQ((*a)[i]->transfers, (*b)[i]->transfers);
      EXPECT_EQ((*a)[i]->points, (*b)[i]->points);
    }
  }
  ExpectSameLedger(replayed->ledger(), restored->ledger());
}

TEST(LedgerSnapshot, ADamagedSnapshotIsPassedOverForTheWholeLog) {
  const PointsConfig config = LedgerTestConfig();
  FixedStandingSource standing;
  Log log;
  LedgerServiceOptions options;
  options.snapshot_every_batches = 2;
  auto running = OpenService(log, config, &standing, options);
  ASSERT_NE(running, nullptr);
  for (int i = 0; i < 5; ++i) {
    const std::string member = "m" + std::to_string(i);
    ASSERT_TRUE(running->SubmitOne(Earn(member, "o" + member, "500.00", Day(0)), Day(30)).ok());
  }
  ASSERT_TRUE(log.snapshot.has_value());
  EXPECT_EQ(log.snapshot->batch, 4);
  for (std::string damaged :
       {std::string("\x07"), log.snapshot->bytes.substr(0, 9), log.snapshot->bytes + "x"}) {
    Log copy = log;
    copy.snapshot->bytes = damaged;
    auto reopened = OpenService(copy, config, &standing, options);
    ASSERT_NE(reopened, nullptr);
    EXPECT_EQ(reopened->restored_from_batch(), 0);
    ExpectSameLedger(running->ledger(), reopened->ledger());
  }
  // A snapshot that claims more of the log than there is.
  Log ahead = log;
  ahead.snapshot->batch = 9;
  auto reopened = OpenService(ahead, config, &standing, options);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->restored_from_batch(), 0);
  ExpectSameLedger(running->ledger(), reopened->ledger());
}

}  // namespace
}  // namespace onecard
