// Kill -9 in the middle of a stampede on a drop: a forked child claims units of a 20,000-unit
// operator drop from 8 threads (and confirms every third grant), writing each acknowledged claim or
// confirmation to a pipe, until the parent kills it. After the restart every acknowledged claim is
// stored (and every acknowledged confirmation is confirmed), the invariants hold, and the reopened
// service goes on from exactly the stock the store says is left.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "engine/config_loader.h"
#include "engine/drop_service.h"
#include "store/sqlite/sqlite_store.h"
#include "support/drop_invariants.h"
#include "support/fixed_standing_source.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

constexpr int kUnits = 20'000;
constexpr int kMembers = 60'000;
constexpr int kThreads = 8;
constexpr int kKillAfter = 1'500;  // acknowledged records before the kill

// A record on the pipe: the member's number, and 1 for a claim, 2 for a confirmation.
struct Ack {
  int32_t member;
  int32_t kind;
};

std::string Member(int i) { return "m" + std::to_string(i); }

// 2025-06-10 (a Tuesday) 10:00 program time, the drop's only slot.
DropRules CrashDrop() {
  DropRules rules;
  rules.id = "crash";
  rules.product = "phone";
  rules.schedule.date = LocalDay{20249};  // 2025-06-10
  rules.schedule.minute_of_day = 600;
  rules.units_per_slot = kUnits;
  rules.per_member_limit = 1;
  rules.window_minutes = 60;
  rules.hold_minutes = 15;
  rules.eligibility.paid_plan = true;
  return rules;
}

struct Opened {
  std::unique_ptr<Store> store;
  std::unique_ptr<DropService> drops;
};

Opened Open(const std::string& db, const ProgramConfig& config, MemberStandingSource* standing) {
  Opened opened;
  auto store = OpenSqliteStore(db);
  if (!store.ok()) return opened;
  opened.store = std::move(store).value();
  auto drop_store = opened.store->OpenDropStore();
  if (!drop_store.ok()) return opened;
  DropServiceOptions options;
  options.standing_source_thread_safe = true;
  auto drops = DropService::Open(std::move(drop_store).value(), config, standing, options);
  if (drops.ok()) opened.drops = std::move(drops).value();
  return opened;
}

[[noreturn]] void ClaimUntilKilled(const std::string& db, const ProgramConfig& config, int fd,
                                   Instant open) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  test_support::FixedStandingSource standing;
  for (int i = 0; i < kMembers; ++i) standing.Set(Member(i), true, "standard");
  Opened opened = Open(db, config, &standing);
  if (opened.drops == nullptr) _exit(3);
  if (!opened.drops->OpenDrop(CrashDrop(), open).ok()) _exit(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kMembers; i += kThreads) {
        const Instant now{open.us + i};
        auto answer = opened.drops->Claim("crash", Member(i), 1, now);
        if (!answer.ok()) continue;
        const Ack ack{i, 1};
        if (write(fd, &ack, sizeof(ack)) != sizeof(ack)) _exit(5);
        if (i % 3 != 0) continue;
        if (!opened.drops->Confirm("crash", open, Member(i), now).ok()) _exit(6);
        const Ack confirmed{i, 2};
        if (write(fd, &confirmed, sizeof(confirmed)) != sizeof(confirmed)) _exit(7);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  _exit(0);  // no destructors
}

TEST(DropCrash, AcknowledgedClaimsSurviveKillAndInvariantsHold) {
  const fs::path dir =
      fs::temp_directory_path() / ("onecard-drop-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "crash.db").string();
  auto config = LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) + "/config/eighty-eight.toml");
  ASSERT_TRUE(config.ok());
  const Instant open = ProgramTime(8 * 3600).ParseTimestamp("2025-06-10T10:00:00").value();

  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    ClaimUntilKilled(db, *config, pipe_fds[1], open);
  }
  close(pipe_fds[1]);
  std::map<int32_t, int32_t> acknowledged;  // member → 1 held, 2 confirmed
  Ack ack{};
  int records = 0;
  while (records < kKillAfter && read(pipe_fds[0], &ack, sizeof(ack)) == sizeof(ack)) {
    acknowledged[ack.member] = std::max(acknowledged[ack.member], ack.kind);
    ++records;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended before the kill: " << status;
  // Acknowledgements written before the kill landed are read too.
  while (read(pipe_fds[0], &ack, sizeof(ack)) == sizeof(ack)) {
    acknowledged[ack.member] = std::max(acknowledged[ack.member], ack.kind);
  }
  close(pipe_fds[0]);
  ASSERT_GE(records, kKillAfter);

  test_support::FixedStandingSource standing;
  standing.Set("late", true, "standard");
  Opened opened = Open(db, *config, &standing);
  ASSERT_NE(opened.drops, nullptr);
  auto claims = opened.drops->Results("crash", open);
  ASSERT_TRUE(claims.ok()) << claims.error().ToString();
  std::map<std::string, const DropClaim*> by_member;
  for (const DropClaim& claim : *claims) by_member[claim.member] = &claim;
  for (const auto& [member, kind] : acknowledged) {
    auto it = by_member.find(Member(member));
    ASSERT_NE(it, by_member.end()) << "acknowledged claim of " << Member(member) << " was lost";
    if (kind == 2) {
      EXPECT_EQ(it->second->status, DropClaimStatus::kConfirmed) << Member(member);
    } else {
      EXPECT_TRUE(it->second->counts_against_stock()) << Member(member);
    }
  }
  test_support::ExpectDropInvariants(*claims, kUnits, 1);
  std::printf("[ DropCrash ] %zu members acknowledged, %zu claims stored after the kill\n",
              acknowledged.size(), claims->size());

  // The reopened service counts exactly the stored claims against stock and goes on from there.
  auto before = opened.drops->SlotStatus("crash", open, Instant{open.us + 1'000'000});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->tally.held + before->tally.confirmed, static_cast<int64_t>(claims->size()));
  auto late = opened.drops->Claim("crash", "late", 1, Instant{open.us + 2'000'000});
  ASSERT_TRUE(late.ok()) << late.error().ToString();
  for (const DropClaim& claim : *claims) {
    EXPECT_NE(claim.units, late->claim.units) << "a stored unit was handed out again";
  }
  auto after = opened.drops->SlotStatus("crash", open, Instant{open.us + 3'000'000});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->tally.available(), before->tally.available() - 1);
  opened.drops.reset();
  opened.store.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onecard
