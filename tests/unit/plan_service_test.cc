// The plan service over the SQLite store: concurrent requests for one member (same key, other
// keys, two processes' worth of connections) record each effect once; refund policies from the
// config; refused requests change nothing; the standing is what MemberStandingSource promises.
#include "engine/plan_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "engine/config_loader.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fake_benefit_use_log.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;
using test_support::FakeBenefitUseLog;

constexpr int64_t kDayUs = 86'400'000'000;
const Instant kJan10{1'326'124'800'000'000};  // 2012-01-10T00:00:00+08:00

Instant Later(int64_t days) { return Instant{kJan10.us + days * kDayUs}; }

class PlanServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("onecard-plan-" + std::to_string(getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto config = LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) + "/config/eighty-eight.toml");
    ASSERT_TRUE(config.ok()) << config.error().ToString();
    config_ = *config;
    auto store = OpenSqliteStore((dir_ / "plan.db").string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<PlanService> Service(ProgramConfig config) {
    auto plan_store = store_->OpenPlanStore();
    EXPECT_TRUE(plan_store.ok());
    return std::make_unique<PlanService>(std::move(plan_store).value(), std::move(config), &uses_);
  }

  // Publishes one row for `member` in 2012-01, as if the job ran on 2012-01-08.
  void PublishScore(const std::string& member, int64_t score, const std::string& tier) {
    PublicationInfo info;
    info.month = MonthKey::FromYearMonth(2012, 1);
    info.instant = Instant{1'325'952'000'000'000};  // 2012-01-08T00:00:00+08:00
    info.published_at = info.instant;
    info.rule_version = config_.rule_version;
    auto writer = store_->BeginPublication(info);
    ASSERT_TRUE(writer.ok());
    PublishedRow row;
    row.member = member;
    row.score = score;
    row.tier = tier;
    ASSERT_TRUE((*writer)->Add(row).ok());
    ASSERT_TRUE((*writer)->Commit(1).ok());
  }

  fs::path dir_;
  ProgramConfig config_;
  std::unique_ptr<Store> store_;
  FakeBenefitUseLog uses_{ProgramTime(8 * 3600)};
};

TEST_F(PlanServiceTest, ManyThreadsRetryingOneKeyBuyOnce) {
  auto plan = Service(config_);
  constexpr int kThreads = 8;
  std::vector<Result<PlanReceipt>> results(kThreads, Result<PlanReceipt>(Error{}));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[i] = plan->Buy("m1", "k1", false, kJan10); });
  }
  for (std::thread& thread : threads) thread.join();
  int replayed = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    EXPECT_EQ(result->entry.seq, 1);
    EXPECT_EQ(result->entry.amount, Money{88'800});
    replayed += result->replayed ? 1 : 0;
  }
  EXPECT_EQ(replayed, kThreads - 1);
  EXPECT_EQ(plan->Report("m1", kJan10).value().history.size(), 1u);
}

TEST_F(PlanServiceTest, TwoConnectionsRacingForOneMemberRecordOnePurchase) {
  // Two services, two connections: what two processes on one database would do. Each buys with
  // its own key; the membership's version lets exactly one purchase through.
  auto first = Service(config_);
  auto second = Service(config_);
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const std::string member = "m" + std::to_string(round);
    Result<PlanReceipt> a(Error{}), b(Error{});
    std::thread ta([&] { a = first->Buy(member, "a", false, kJan10); });
    std::thread tb([&] { b = second->Buy(member, "b", false, kJan10); });
    ta.join();
    tb.join();
    ASSERT_NE(a.ok(), b.ok()) << member;
    const Error& refused = a.ok() ? b.error() : a.error();
    EXPECT_EQ(refused.code, ErrorCode::kPlanActive) << refused.ToString();
    EXPECT_EQ(first->Report(member, kJan10).value().history.size(), 1u);
  }
  const PlanFees fees = first->FeesInMonth(MonthKey::FromYearMonth(2012, 1)).value();
  EXPECT_EQ(fees.charges, kRounds);
  EXPECT_EQ(fees.charged, Money{kRounds * 88'800});
}

TEST_F(PlanServiceTest, ConcurrentMembersAreAllRecorded) {
  auto plan = Service(config_);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string member = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (!plan->Buy(member, "buy", true, kJan10).ok()) ++failures;
        if (!plan->Renew(member, "renew", Later(1)).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const PlanFees fees = plan->FeesInMonth(MonthKey::FromYearMonth(2012, 1)).value();
  // 100 members, each a purchase and a renewal paid ahead, 888.00 each: 200 charges, 177,600.00.
  EXPECT_EQ(fees.charges, kThreads * kPerThread * 2);
  EXPECT_EQ(fees.charged, Money{kThreads * kPerThread * 2 * 88'800});
  EXPECT_EQ(fees.paying_members, kThreads * kPerThread);
}

TEST_F(PlanServiceTest, RefundPolicyNoneRefusesAndFullIgnoresUse) {
  ProgramConfig none = config_;
  none.plan.refund_policy = RefundPolicy::kNone;
  auto strict = Service(none);
  ASSERT_TRUE(strict->Buy("m1", "b", false, kJan10).ok());
  EXPECT_EQ(strict->Refund("m1", "r", Later(1)).error().code, ErrorCode::kRefundNotAllowed);
  EXPECT_TRUE(strict->Report("m1", Later(1)).value().paid);

  ProgramConfig full = config_;
  full.plan.refund_policy = RefundPolicy::kFull;
  auto generous = Service(full);
  ASSERT_TRUE(generous->Buy("m2", "b", false, kJan10).ok());
  uses_.AddUse("m2", Later(1), Money{500});
  auto refund = generous->Refund("m2", "r", Later(2));
  ASSERT_TRUE(refund.ok()) << refund.error().ToString();
  EXPECT_EQ(refund->entry.amount, Money{88'800});
  EXPECT_EQ(refund->status, PlanStatus::kRefunded);
}

TEST_F(PlanServiceTest, APublishedScoreSetsThePriceAndTheStanding) {
  PublishScore("m1", 1000, "super");
  auto plan = Service(config_);
  MemberStandingSource& source = *plan;
  const MemberStanding before = source.Standing("m1", kJan10).value();
  EXPECT_EQ(before.publication, MonthKey::FromYearMonth(2012, 1));
  EXPECT_EQ(before.score, 1000);
  EXPECT_EQ(before.tier, "super");
  EXPECT_FALSE(before.paid);
  EXPECT_FALSE(before.term_start.has_value());

  auto bought = plan->Buy("m1", "b", false, kJan10);
  ASSERT_TRUE(bought.ok());
  EXPECT_EQ(bought->entry.amount, Money{8'800});
  EXPECT_EQ(bought->entry.score, 1000);
  EXPECT_EQ(bought->entry.rule_version, "88-2019.1");
  const MemberStanding after = source.Standing("m1", kJan10).value();
  EXPECT_TRUE(after.paid);
  EXPECT_EQ(after.term_start, kJan10);
  EXPECT_EQ(after.term_end, Later(365));

  ASSERT_TRUE(plan->Suspend("m1", "review", Later(3)).ok());
  EXPECT_FALSE(source.Standing("m1", Later(3)).value().paid);
  EXPECT_TRUE(source.Standing("m1", Later(2)).value().paid);
  EXPECT_EQ(source.Standing("", kJan10).error().code, ErrorCode::kInvalidMember);
}

TEST_F(PlanServiceTest, RefusedRequestsChangeNothing) {
  auto plan = Service(config_);
  ASSERT_TRUE(plan->Buy("m1", "b", false, kJan10).ok());
  const PlanReport before = plan->Report("m1", Later(1)).value();
  EXPECT_EQ(plan->Buy("m1", "b2", false, Later(1)).error().code, ErrorCode::kPlanActive);
  EXPECT_EQ(plan->Buy("m1", "", false, Later(1)).error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(plan->Renew("m1", "n", Later(-1)).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(plan->Suspend("m1", std::string(300, 'x'), Later(1)).error().code,
            ErrorCode::kInvalidText);
  EXPECT_EQ(plan->Reinstate("m1", "", Later(1)).error().code, ErrorCode::kPlanNotSuspended);
  EXPECT_EQ(plan->RenewDue(Later(1), 0).error().code, ErrorCode::kInvalidArgument);
  const PlanReport after = plan->Report("m1", Later(1)).value();
  EXPECT_EQ(after.history, before.history);
  EXPECT_EQ(after.status, before.status);
  // The refused keys are free: b2 now buys nothing (still active) but n renews.
  EXPECT_TRUE(plan->Renew("m1", "n", Later(1)).ok());
}

TEST_F(PlanServiceTest, EconomicsReadsTheSubsidyFromTheBenefitUseLog) {
  auto plan = Service(config_);
  ASSERT_TRUE(plan->Buy("m1", "b", false, kJan10).ok());
  ASSERT_TRUE(plan->Buy("m2", "b", false, kJan10).ok());
  uses_.AddUse("m1", Later(1), Money{1'000});
  uses_.AddUse("m2", Later(2), Money{501});
  const PlanEconomics e = plan->Economics(MonthKey::FromYearMonth(2012, 1)).value();
  // Fees 2 × 888.00 = 1776.00; subsidy 15.01; net 1760.99; per paid member (2): 888.00, 7.505 ->
  // 7.51, 880.495 -> 880.50.
  EXPECT_EQ(e.fees.net(), Money{177'600});
  EXPECT_EQ(e.subsidy.cost, Money{1'501});
  EXPECT_EQ(e.subsidy.uses, 2);
  EXPECT_EQ(e.subsidy.members, 2);
  EXPECT_EQ(e.net, Money{176'099});
  EXPECT_EQ(e.subsidy_per_paid_member, Money{751});
  EXPECT_EQ(e.net_per_paid_member, Money{88'050});
}

}  // namespace
}  // namespace onecard
