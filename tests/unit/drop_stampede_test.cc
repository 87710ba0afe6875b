// A stampede on the shipped fold-phone drop: 120,000 distinct members (every tenth without a paid
// plan) press claim from 16 threads in the same second for 200 units; some retry. Afterwards,
// in memory and in the store: exactly 200 units held, each by a different paid member, no unit
// twice, every retry answered with its stored claim, every unpaid member refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
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

constexpr int kMembers = 120'000;
constexpr int kThreads = 16;

std::string Member(int i) { return "m" + std::to_string(i); }

TEST(DropStampede, OneHundredTwentyThousandMembersForTwoHundredUnits) {
  const fs::path dir =
      fs::temp_directory_path() / ("onecard-stampede-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto config = LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) + "/config/eighty-eight.toml");
  ASSERT_TRUE(config.ok());
  test_support::FixedStandingSource standing;
  for (int i = 0; i < kMembers; ++i) standing.Set(Member(i), i % 10 != 0, "standard");

  auto store = OpenSqliteStore((dir / "drops.db").string());
  ASSERT_TRUE(store.ok());
  auto drop_store = (*store)->OpenDropStore();
  ASSERT_TRUE(drop_store.ok());
  DropServiceOptions options;
  options.standing_source_thread_safe = true;
  auto service = DropService::Open(std::move(drop_store).value(), *config, &standing, options);
  ASSERT_TRUE(service.ok());
  DropService& drops = **service;
  // Tuesday 2025-06-03, 10:00:00 to 10:00:01 program time.
  const Instant open = drops.time().ParseTimestamp("2025-06-03T10:00:00").value();

  std::atomic<int> granted{0}, sold_out{0}, unpaid{0}, other{0}, retries_ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kMembers; i += kThreads) {
        const Instant now{open.us + (i % 1'000'000)};
        auto answer = drops.Claim("fold-phone", Member(i), 1, now);
        if (answer.ok()) {
          ++granted;
          // A retry from the same member gets the same claim: the same unit, the same hold.
          auto retry = drops.Claim("fold-phone", Member(i), 1, Instant{now.us + 500'000});
          if (retry.ok() && retry->repeated && retry->claim.units == answer->claim.units &&
              retry->claim.hold_until == answer->claim.hold_until) {
            ++retries_ok;
          }
        } else if (answer.error().code == ErrorCode::kSoldOut) {
          ++sold_out;
        } else if (answer.error().code == ErrorCode::kPaidPlanRequired && i % 10 == 0) {
          ++unpaid;
        } else {
          ++other;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(granted.load(), 200);
  EXPECT_EQ(retries_ok.load(), 200);
  EXPECT_EQ(unpaid.load(), kMembers / 10);
  EXPECT_EQ(sold_out.load(), kMembers - kMembers / 10 - 200);
  EXPECT_EQ(other.load(), 0);
  auto status = drops.SlotStatus("fold-phone", open, Instant{open.us + 2'000'000});
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->tally.held, 200);
  EXPECT_EQ(status->tally.available(), 0);
  std::printf("[ DropStampede ] %d claims, 200 granted in %lld transactions\n", kMembers,
              static_cast<long long>(drops.transactions()));

  // The store agrees, read on a connection of its own.
  auto reader = (*store)->OpenDropStore();
  ASSERT_TRUE(reader.ok());
  auto claims = (*reader)->LoadClaims(DropSlotKey{"fold-phone", open});
  ASSERT_TRUE(claims.ok());
  ASSERT_EQ(claims->size(), 200u);
  for (const DropClaim& claim : *claims) {
    EXPECT_EQ(claim.status, DropClaimStatus::kHeld);
    EXPECT_NE(std::stoi(claim.member.substr(1)) % 10, 0) << claim.member << " is not paid";
  }
  test_support::ExpectDropInvariants(*claims, 200, 1);
  service->reset();
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onecard
