// BeginClaim and PendingClaim: two threads keep thousands of claims in flight on a 5,000-unit drop,
// each granted claim answered only once durable, many of them in one transaction. Afterwards every
// grant is in the store exactly once, no unit twice, the refusals are sold out, and a retry that
// arrives while the first claim is still being written waits for and returns that same claim.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <thread>

#include "engine/config_loader.h"
#include "engine/drop_service.h"
#include "store/sqlite/sqlite_store.h"
#include "support/drop_invariants.h"
#include "support/fixed_standing_source.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

constexpr int kMembers = 12'000;
constexpr int64_t kUnits = 5'000;
constexpr int kThreads = 2;
constexpr size_t kWindow = 2'048;

std::string Member(int i) { return "a" + std::to_string(i); }

DropRules BigDrop(const ProgramTime& time) {
  DropRules rules;
  rules.id = "big-drop";
  rules.product = "async test";
  rules.schedule.date = time.DayOf(time.ParseTimestamp("2025-06-10T10:00:00").value());
  rules.schedule.minute_of_day = 600;
  rules.units_per_slot = kUnits;
  rules.per_member_limit = 1;
  rules.window_minutes = 60;
  rules.hold_minutes = 15;
  rules.eligibility.paid_plan = true;
  return rules;
}

class DropAsyncClaim : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("onecard-async-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto config = LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) + "/config/eighty-eight.toml");
    ASSERT_TRUE(config.ok());
    for (int i = 0; i < kMembers; ++i) standing_.Set(Member(i), true, "standard");
    auto store = OpenSqliteStore((dir_ / "drops.db").string());
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    auto drop_store = store_->OpenDropStore();
    ASSERT_TRUE(drop_store.ok());
    DropServiceOptions options;
    options.standing_source_thread_safe = true;
    auto service = DropService::Open(std::move(drop_store).value(), *config, &standing_, options);
    ASSERT_TRUE(service.ok());
    drops_ = std::move(service).value();
    open_ = drops_->time().ParseTimestamp("2025-06-10T10:00:00").value();
    ASSERT_TRUE(drops_->OpenDrop(BigDrop(drops_->time()), open_).ok());
  }
  void TearDown() override {
    drops_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  // The store's claims, read on a connection of its own, checked against the invariants.
  void ExpectStoredClaims(int64_t count) {
    auto reader = store_->OpenDropStore();
    ASSERT_TRUE(reader.ok());
    auto claims = (*reader)->LoadClaims(DropSlotKey{"big-drop", open_});
    ASSERT_TRUE(claims.ok());
    ASSERT_EQ(static_cast<int64_t>(claims->size()), count);
    test_support::ExpectDropInvariants(*claims, kUnits, 1);
  }

  fs::path dir_;
  test_support::FixedStandingSource standing_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<DropService> drops_;
  Instant open_;
};

TEST_F(DropAsyncClaim, ThousandsInFlightFromTwoThreadsGrantExactlyTheStock) {
  DropService& drops = *drops_;
  const Instant open = open_;
  std::atomic<int> granted{0}, sold_out{0}, other{0}, retries_ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::deque<std::pair<int, PendingClaim>> in_flight;
      auto settle = [&](int i, PendingClaim& pending) {
        auto answer = pending.Wait();
        if (answer.ok() && !answer->repeated) {
          ++granted;
        } else if (!answer.ok() && answer.error().code == ErrorCode::kSoldOut) {
          ++sold_out;
        } else {
          ADD_FAILURE() << Member(i) << ": "
                        << (answer.ok() ? "repeated" : answer.error().ToString());
          ++other;
        }
      };
      for (int i = t; i < kMembers; i += kThreads) {
        in_flight.emplace_back(i, drops.BeginClaim("big-drop", Member(i), 1, open));
        if (i % 1'000 == t) {
          // A retry while the claim may still be in flight: it waits and gets the same claim.
          const PendingClaim& first = in_flight.back().second;
          auto retry = drops.Claim("big-drop", Member(i), 1, Instant{open.us + 1});
          if (retry.ok() && retry->repeated) {
            auto original = PendingClaim(first).Wait();
            if (original.ok() && original->claim.units == retry->claim.units) ++retries_ok;
          } else if (!retry.ok() && retry.error().code == ErrorCode::kSoldOut) {
            ++retries_ok;  // the first was refused too
          }
        }
        while (in_flight.size() > kWindow) {
          settle(in_flight.front().first, in_flight.front().second);
          in_flight.pop_front();
        }
      }
      for (auto& [i, pending] : in_flight) settle(i, pending);
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(granted.load(), kUnits);
  EXPECT_EQ(sold_out.load(), kMembers - kUnits);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(retries_ok.load(), kThreads * kMembers / 1'000);  // i % 1000 == t, per thread
  // Group commit: far fewer transactions than grants.
  EXPECT_LT(drops.transactions(), kUnits / 4);

  ExpectStoredClaims(kUnits);
}

// Then: every claim answered by a callback, none waited for; each callback runs exactly once.
TEST_F(DropAsyncClaim, ThenAnswersEveryClaimOnceWithoutAWaitingThread) {
  std::atomic<int> answered{0}, granted{0}, sold_out{0};
  for (int i = 0; i < kMembers; ++i) {
    drops_->BeginClaim("big-drop", Member(i), 1, open_).Then([&](Result<DropClaimAnswer> answer) {
      if (answer.ok()) {
        ++granted;
      } else if (answer.error().code == ErrorCode::kSoldOut) {
        ++sold_out;
      }
      ++answered;
    });
  }
  // The callbacks of grants run on the committer thread; wait (bounded) for the last of them.
  for (int waited_ms = 0; answered.load() < kMembers && waited_ms < 60'000; waited_ms += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(answered.load(), kMembers);
  EXPECT_EQ(granted.load(), kUnits);
  EXPECT_EQ(sold_out.load(), kMembers - kUnits);
  ExpectStoredClaims(kUnits);
}

}  // namespace
}  // namespace onecard
