// Kill -9 in the middle of a stream of plan purchases, then reopen: every purchase the service
// acknowledged is stored exactly once, a retry with its key replays it instead of charging again,
// and at most the one purchase in flight at the kill was stored unacknowledged.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "engine/config_loader.h"
#include "engine/plan_service.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fake_benefit_use_log.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;
using test_support::FakeBenefitUseLog;

constexpr int32_t kPurchasesMax = 100'000;
constexpr int32_t kAcknowledgedBeforeKill = 150;
const Instant kNow{1'326'124'800'000'000};  // 2012-01-10T00:00:00+08:00

ProgramConfig Config() {
  return LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) + "/config/eighty-eight.toml").value();
}

std::string Member(int32_t i) { return "m" + std::to_string(i); }

// The child: buys for member 0, 1, 2, … and writes each acknowledged number to `fd`, until the
// parent kills it. It never returns.
[[noreturn]] void BuyUntilKilled(const std::string& db, int fd) {
  auto store = OpenSqliteStore(db);
  if (!store.ok()) _exit(3);
  auto plan_store = (*store)->OpenPlanStore();
  if (!plan_store.ok()) _exit(4);
  FakeBenefitUseLog uses{ProgramTime(8 * 3600)};
  PlanService plan(std::move(plan_store).value(), Config(), &uses);
  for (int32_t i = 0; i < kPurchasesMax; ++i) {
    if (!plan.Buy(Member(i), "key-" + std::to_string(i), i % 2 == 0, kNow).ok()) _exit(5);
    if (write(fd, &i, sizeof(i)) != sizeof(i)) _exit(6);
  }
  _exit(0);
}

TEST(PlanCrash, AcknowledgedPurchasesSurviveKillAndRetriesDoNotChargeTwice) {
  const fs::path dir =
      fs::temp_directory_path() / ("onecard-plan-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "crash.db").string();

  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    BuyUntilKilled(db, pipe_fds[1]);
  }
  close(pipe_fds[1]);
  int32_t acknowledged = -1;
  int32_t number = 0;
  while (acknowledged < kAcknowledgedBeforeKill &&
         read(pipe_fds[0], &number, sizeof(number)) == sizeof(number)) {
    acknowledged = number;
  }
  kill(child, SIGKILL);
  int child_status = 0;
  waitpid(child, &child_status, 0);
  while (read(pipe_fds[0], &number, sizeof(number)) == sizeof(number)) acknowledged = number;
  close(pipe_fds[0]);
  ASSERT_GE(acknowledged, kAcknowledgedBeforeKill) << "the child stopped early";

  auto store = OpenSqliteStore(db);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto plan_store = (*store)->OpenPlanStore();
  ASSERT_TRUE(plan_store.ok());
  FakeBenefitUseLog uses{ProgramTime(8 * 3600)};
  PlanService plan(std::move(plan_store).value(), Config(), &uses);
  for (int32_t i = 0; i <= acknowledged; ++i) {
    const PlanReport report = plan.Report(Member(i), kNow).value();
    ASSERT_EQ(report.history.size(), 1u) << Member(i);
    EXPECT_EQ(report.auto_renew, i % 2 == 0) << Member(i);
    auto retry = plan.Buy(Member(i), "key-" + std::to_string(i), i % 2 == 0, kNow);
    ASSERT_TRUE(retry.ok()) << retry.error().ToString();
    EXPECT_TRUE(retry->replayed);
    EXPECT_EQ(retry->entry, report.history[0]);
  }
  // Purchases are made in order, so all stored ones are acknowledged but perhaps the last.
  const PlanFees fees = plan.FeesInMonth(MonthKey::FromYearMonth(2012, 1)).value();
  EXPECT_GE(fees.charges, acknowledged + 1);
  EXPECT_LE(fees.charges, acknowledged + 2);
  EXPECT_EQ(fees.charged, Money{fees.charges * 88'800});
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onecard
