// One bad write must not fail its batch: a write that fails in the store (an injected row error,
// a version or budget check that another process broke) fails only its own request and the
// member's requests decided after it; every other job of the batch commits in the same
// transaction and is stored once; afterwards the service's caps, vouchers and budgets equal a
// recomputation from the store, and a retry of the failed key commits.
#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/checkout_record.h"
#include "engine/checkout_service.h"
#include "engine/config_loader.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fault_injecting_benefit_store.h"
#include "support/fixed_standing_source.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;
using test_support::FaultInjectingBenefitStore;

constexpr int32_t kShards = 4;

class CheckoutBatchFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) +
                                    "/tests/scenarios/checkout/checkout-test.toml");
    ASSERT_TRUE(config.ok()) << config.error().ToString();
    config_ = std::move(config).value();
    const ProgramTime time(config_.utc_offset_seconds);
    term_start_ = *time.ParseTimestamp("2025-01-01T00:00:00");
    term_end_ = *time.ParseTimestamp("2026-01-01T00:00:00");
    now_ = *time.ParseTimestamp("2025-03-10T12:00:00");
    month_ = time.MonthOf(now_);
    dir_ = fs::temp_directory_path() /
           ("onecard-checkout-batch-failure-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = OpenSqliteStore((dir_ / "c.db").string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(store).value();
    auto benefits = store_->OpenBenefitStore();
    ASSERT_TRUE(benefits.ok());
    auto faulty = std::make_unique<FaultInjectingBenefitStore>(std::move(benefits).value());
    faults_ = faulty.get();
    auto service = CheckoutService::Open(config_, std::move(faulty), &standing_, nullptr,
                                         CheckoutOptions{.budget_shards = kShards});
    ASSERT_TRUE(service.ok()) << service.error().ToString();
    service_ = std::move(service).value();
  }

  void TearDown() override {
    service_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  // A paid member (remembered for the checks).
  const std::string& Member(const std::string& id) {
    standing_.SetPaid(id, "standard", term_start_, term_end_);
    members_.push_back(id);
    return members_.back();
  }

  // tmall_95 on 100.00 (5.00 of a 10.00 cap) and a delivery voucher (4 a month); with `coffee`,
  // a coffee voucher (2.00 of a 5.00 budget shared by every member).
  CheckoutRequest Order(const std::string& member, const std::string& order, bool coffee) {
    const BenefitCatalog& catalog = config_.benefits;
    CheckoutRequest r;
    r.member = member;
    r.order = order;
    r.cart.lines = {CartLine{"", Money{10000}, 1, {"tmall_95"}, "tmall", "", ""},
                    CartLine{"", Money{3000}, 1, {}, "eleme", "", ""}};
    r.choices = {BenefitChoice{catalog.FindBenefit("tmall_95"), 1},
                 BenefitChoice{catalog.FindBenefit("delivery_voucher"), 1}};
    if (coffee) {
      r.cart.lines.push_back(CartLine{"", Money{1000}, 1, {}, "coffee", "", ""});
      r.choices.push_back(BenefitChoice{catalog.FindBenefit("coffee_voucher"), 1});
    }
    return r;
  }

  PendingCommit Begin(const std::string& member, const std::string& order, bool coffee) {
    auto pending = service_->Begin("k-" + order, Order(member, order, coffee), now_);
    EXPECT_TRUE(pending.ok()) << pending.error().ToString();
    return pending.ok() ? std::move(pending).value() : PendingCommit();
  }

  // Holds the committer inside its first batch (a warm-up order), so that what is begun next
  // shares the batch after it.
  void HoldCommitter() {
    faults_->Pause();
    warm_ = Begin(Member("warm"), "warm", false);
    faults_->AwaitBatchesStarted(1);
  }

  // Every order of the remembered members as the store has it: member/order → times stored.
  std::map<std::string, int> Stored() {
    auto benefits = store_->OpenBenefitStore();
    EXPECT_TRUE(benefits.ok());
    std::map<std::string, int> stored;
    for (const std::string& member : members_) {
      auto data = (*benefits)->LoadMember(member);
      EXPECT_TRUE(data.ok());
      if (!data.ok()) continue;
      for (const CheckoutCommitRecord& c : data->commits) ++stored[c.member + "/" + c.order];
    }
    return stored;
  }

  // The service's caps, vouchers and budgets equal an independent recomputation from the orders
  // the store holds.
  void ExpectServiceMatchesStore() {
    const BenefitCatalog& catalog = config_.benefits;
    const int32_t tmall = catalog.FindBenefit("tmall_95");
    const int32_t delivery = catalog.FindBenefit("delivery_voucher");
    const int32_t coffee = catalog.FindBenefit("coffee_voucher");
    auto benefits = store_->OpenBenefitStore();
    ASSERT_TRUE(benefits.ok());
    int64_t coffee_cost = 0;
    for (const std::string& member : members_) {
      auto data = (*benefits)->LoadMember(member);
      ASSERT_TRUE(data.ok());
      int64_t discount = 0, vouchers = 0;
      for (const CheckoutCommitRecord& c : data->commits) {
        UseWindow window;
        Quote quote;
        ASSERT_TRUE(DecodeCheckoutRecord(c.record, catalog, &window, &quote).ok());
        if (c.reversed_at.has_value()) continue;
        for (const AppliedBenefit& a : quote.applied) {
          if (a.benefit == tmall && window.month == month_) discount += a.discount.minor;
          if (a.benefit == delivery && window.month == month_) vouchers += a.units;
          if (a.benefit == coffee) coffee_cost += a.cost.minor;
        }
      }
      auto listing = service_->ListBenefits(member, now_);
      ASSERT_TRUE(listing.ok());
      const BenefitListing& cap = (*listing)[static_cast<size_t>(tmall)];
      const BenefitListing& voucher = (*listing)[static_cast<size_t>(delivery)];
      ASSERT_TRUE(cap.cap_left.has_value() && voucher.vouchers_left.has_value());
      EXPECT_EQ(cap.cap_left->minor, 1000 - discount) << member;
      EXPECT_EQ(*voucher.vouchers_left, 4 - vouchers) << member;
    }
    auto budgets = (*benefits)->LoadBudgets();
    ASSERT_TRUE(budgets.ok());
    int64_t coffee_used = 0;
    for (const BudgetShardUsed& b : *budgets) {
      if (b.benefit == "coffee_voucher") coffee_used += b.used_minor;
    }
    EXPECT_EQ(coffee_used, coffee_cost);
    // The service's budget: fresh members take coffee vouchers until it declines; by then the
    // store must hold the whole budget's worth (two of 2.00 out of 5.00), no less (a take that
    // failed but was not given back) and no more.
    for (int probe = 0; probe < 4; ++probe) {
      const std::string& member = Member("probe" + std::to_string(probe));
      auto outcome = service_->Commit("k-probe", Order(member, "probe", true), now_);
      ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
      bool took = false;
      for (const AppliedBenefit& a : outcome->quote.applied) took = took || a.benefit == coffee;
      if (!took) break;
    }
    budgets = (*benefits)->LoadBudgets();
    ASSERT_TRUE(budgets.ok());
    coffee_used = 0;
    for (const BudgetShardUsed& b : *budgets) {
      if (b.benefit == "coffee_voucher") coffee_used += b.used_minor;
    }
    EXPECT_EQ(coffee_used, 400);
  }

  ProgramConfig config_;
  Instant term_start_, term_end_, now_;
  MonthKey month_;
  fs::path dir_;
  test_support::FixedStandingSource standing_;
  std::unique_ptr<Store> store_;
  FaultInjectingBenefitStore* faults_ = nullptr;
  std::unique_ptr<CheckoutService> service_;
  std::deque<std::string> members_;  // stable references
  PendingCommit warm_;
};

const Error kRowError = MakeError(ErrorCode::kStoreError, "", "injected: disk I/O error on a row");

TEST_F(CheckoutBatchFailure, OneFailingJobAmongManyFailsAlone) {
  HoldCommitter();
  // The victim's order is decided first and takes a coffee voucher from the shared budget.
  const std::string& victim = Member("victim");
  faults_->FailKey(victim, "k-v", kRowError);
  PendingCommit failing = Begin(victim, "v", true);
  // 16 other members, two orders each, begun from four threads at once.
  constexpr int kThreads = 4, kMembersPerThread = 4, kOrders = 2;
  std::vector<std::string> ids;
  for (int m = 0; m < kThreads * kMembersPerThread; ++m)
    ids.push_back(Member("m" + std::to_string(m)));
  std::vector<std::vector<std::pair<std::string, PendingCommit>>> begun(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOrders; ++i) {
        for (int m = t * kMembersPerThread; m < (t + 1) * kMembersPerThread; ++m) {
          const std::string order = ids[static_cast<size_t>(m)] + "-" + std::to_string(i);
          begun[static_cast<size_t>(t)].emplace_back(
              ids[static_cast<size_t>(m)] + "/" + order,
              Begin(ids[static_cast<size_t>(m)], order, true));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  faults_->Resume();

  auto failed = failing.Wait();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, kRowError.code);
  EXPECT_EQ(failed.error().message, kRowError.message);
  std::vector<std::string> committed = {"warm/warm"};
  for (auto& thread_begun : begun) {
    for (auto& [name, pending] : thread_begun) {
      auto outcome = pending.Wait();
      ASSERT_TRUE(outcome.ok()) << name << ": " << outcome.error().ToString();
      committed.push_back(name);
    }
  }
  ASSERT_TRUE(warm_.Wait().ok());
  // They shared one transaction: the warm-up's, then one batch of everything else.
  const std::vector<int64_t> sizes = faults_->batch_sizes();
  ASSERT_GE(sizes.size(), 2u);
  EXPECT_EQ(sizes[1], 1 + kThreads * kMembersPerThread * kOrders);
  EXPECT_EQ(faults_->injected(), 1);

  std::map<std::string, int> stored = Stored();
  EXPECT_EQ(stored.size(), committed.size());
  for (const std::string& name : committed) EXPECT_EQ(stored[name], 1) << name;
  EXPECT_FALSE(stored.contains("victim/v"));

  // The fault is gone: a retry of the failed key commits (anew), and its retry replays it.
  faults_->Heal();
  auto retried = service_->Commit("k-v", Order(victim, "v", true), now_);
  ASSERT_TRUE(retried.ok()) << retried.error().ToString();
  EXPECT_FALSE(retried->replayed);
  auto again = service_->Commit("k-v", Order(victim, "v", true), now_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->quote.total, retried->quote.total);
  EXPECT_EQ(Stored()["victim/v"], 1);
  ExpectServiceMatchesStore();
}

TEST_F(CheckoutBatchFailure, LaterJobsOfTheFailedMemberFailToo) {
  faults_->FailKey("v", "k-v1", kRowError);
  HoldCommitter();
  const std::string& v = Member("v");
  const std::string& other = Member("other");
  PendingCommit v0 = Begin(v, "v0", false);
  PendingCommit o0 = Begin(other, "o0", true);
  PendingCommit v1 = Begin(v, "v1", true);
  PendingCommit v2 = Begin(v, "v2", false);
  PendingCommit o1 = Begin(other, "o1", false);
  // The next batch is held inside the store while one more order of each member is begun: the
  // member v's was decided on a state that included v1.
  faults_->Step();
  faults_->AwaitBatchesStarted(2);
  PendingCommit v3 = Begin(v, "v3", false);
  PendingCommit o2 = Begin(other, "o2", false);
  faults_->Resume();

  ASSERT_TRUE(v0.Wait().ok());
  auto f1 = v1.Wait();
  ASSERT_FALSE(f1.ok());
  EXPECT_EQ(f1.error().message, kRowError.message);
  auto f2 = v2.Wait();
  ASSERT_FALSE(f2.ok());
  EXPECT_EQ(f2.error().code, ErrorCode::kConcurrentUpdate) << f2.error().ToString();
  auto f3 = v3.Wait();
  ASSERT_FALSE(f3.ok());
  EXPECT_EQ(f3.error().code, ErrorCode::kConcurrentUpdate) << f3.error().ToString();
  for (PendingCommit* ok : {&o0, &o1, &o2, &warm_}) {
    auto outcome = ok->Wait();
    EXPECT_TRUE(outcome.ok()) << outcome.error().ToString();
  }
  std::map<std::string, int> stored = Stored();
  EXPECT_EQ(stored,
            (std::map<std::string, int>{
                {"v/v0", 1}, {"other/o0", 1}, {"other/o1", 1}, {"other/o2", 1}, {"warm/warm", 1}}));
  ExpectServiceMatchesStore();

  // Retries decide anew on the restored state: v has cap room for one more tmall_95 discount.
  faults_->Heal();
  for (const char* order : {"v1", "v2", "v3"}) {
    auto outcome = service_->Commit(std::string("k-") + order, Order(v, order, false), now_);
    ASSERT_TRUE(outcome.ok()) << order << ": " << outcome.error().ToString();
    EXPECT_FALSE(outcome->replayed);
  }
  stored = Stored();
  for (const char* name : {"v/v0", "v/v1", "v/v2", "v/v3"}) EXPECT_EQ(stored[name], 1) << name;
  ExpectServiceMatchesStore();
}

TEST_F(CheckoutBatchFailure, AFailedTransactionFailsItsBatchOnly) {
  HoldCommitter();
  const std::string& a = Member("a");
  const std::string& b = Member("b");
  const std::string& c = Member("c");
  PendingCommit a0 = Begin(a, "a0", true);
  PendingCommit b0 = Begin(b, "b0", true);
  faults_->FailNextBatch(MakeError(ErrorCode::kStoreError, "", "injected: disk full"));
  faults_->Step();
  faults_->AwaitBatchesStarted(2);
  // Queued behind the failing batch: b's second order (decided on state with b0) and c's.
  PendingCommit b1 = Begin(b, "b1", false);
  PendingCommit c0 = Begin(c, "c0", true);
  faults_->Resume();

  ASSERT_TRUE(warm_.Wait().ok());
  for (PendingCommit* failed : {&a0, &b0, &b1}) {
    auto outcome = failed->Wait();
    EXPECT_FALSE(outcome.ok());
  }
  auto c_outcome = c0.Wait();
  ASSERT_TRUE(c_outcome.ok()) << c_outcome.error().ToString();
  EXPECT_EQ(Stored(), (std::map<std::string, int>{{"c/c0", 1}, {"warm/warm", 1}}));
  ExpectServiceMatchesStore();
  for (auto [member, order] : {std::pair{a, "a0"}, std::pair{b, "b0"}, std::pair{b, "b1"}}) {
    auto outcome = service_->Commit(std::string("k-") + order, Order(member, order, false), now_);
    ASSERT_TRUE(outcome.ok()) << order << ": " << outcome.error().ToString();
  }
  ExpectServiceMatchesStore();
}

// No injected fault: SQLite's own checks fail one write each (a member's version and a budget
// shard changed by another process on the same database), and the batch commits around them.
TEST_F(CheckoutBatchFailure, ChecksBrokenByAnotherProcessFailOnlyTheirWrites) {
  const std::string& v = Member("v");
  const std::string& w = Member("w");
  const std::string& x = Member("x");
  ASSERT_TRUE(service_->Commit("k-v0", Order(v, "v0", false), now_).ok());
  HoldCommitter();
  PendingCommit v1 = Begin(v, "v1", false);
  PendingCommit w0 = Begin(w, "w0", true);  // takes from the coffee budget
  PendingCommit x0 = Begin(x, "x0", false);

  // Another process: one order of v (so v's version moves on), and the whole coffee budget.
  auto other = store_->OpenBenefitStore();
  ASSERT_TRUE(other.ok());
  CheckoutWrite theirs;
  CheckoutCommitRecord& record = theirs.commit.emplace();
  record.member = v;
  record.key = "k-theirs";
  record.order = "theirs";
  record.fingerprint = 1;
  record.at = now_;
  record.month = month_;
  {
    UseWindow window{LocalDay{0}, month_, term_start_.us};
    record.record = EncodeCheckoutRecord(window, Quote{}, config_.benefits);
  }
  for (int32_t shard = 0; shard < kShards; ++shard) {
    theirs.budgets.push_back({"coffee_voucher", 0, shard, 125, 125});
  }
  CheckoutBatch batch;
  batch.members = {{v, 1}};
  batch.writes = {&theirs};
  std::vector<Status> outcomes;
  ASSERT_TRUE((*other)->CommitBatch(batch, &outcomes).ok());
  ASSERT_TRUE(outcomes[0].ok()) << outcomes[0].error().ToString();
  faults_->Resume();

  auto f1 = v1.Wait();
  ASSERT_FALSE(f1.ok());
  EXPECT_EQ(f1.error().code, ErrorCode::kConcurrentUpdate) << f1.error().ToString();
  auto f2 = w0.Wait();
  ASSERT_FALSE(f2.ok());
  EXPECT_EQ(f2.error().code, ErrorCode::kConcurrentUpdate) << f2.error().ToString();
  ASSERT_TRUE(x0.Wait().ok());
  ASSERT_TRUE(warm_.Wait().ok());
  EXPECT_EQ(Stored(), (std::map<std::string, int>{
                          {"v/v0", 1}, {"v/theirs", 1}, {"x/x0", 1}, {"warm/warm", 1}}));

  // The service took in what the other process wrote: v's order under k-theirs is known, and
  // the coffee budget is spent.
  auto conflict = service_->Commit("k-theirs", Order(v, "mine", false), now_);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, ErrorCode::kIdempotencyConflict);
  auto retried = service_->Commit("k-w0", Order(w, "w0", true), now_);
  ASSERT_TRUE(retried.ok()) << retried.error().ToString();
  for (const AppliedBenefit& a : retried->quote.applied) {
    EXPECT_NE(a.benefit, config_.benefits.FindBenefit("coffee_voucher"));
  }
  ASSERT_TRUE(service_->Commit("k-v1", Order(v, "v1", false), now_).ok());
  auto budgets = (*other)->LoadBudgets();
  ASSERT_TRUE(budgets.ok());
  int64_t coffee_used = 0;
  for (const BudgetShardUsed& b : *budgets) {
    if (b.benefit == "coffee_voucher") coffee_used += b.used_minor;
  }
  EXPECT_EQ(coffee_used, 500);
}

}  // namespace
}  // namespace onecard
