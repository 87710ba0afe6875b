// Many threads commit for the same member and the same budget at once: afterwards no cap, voucher
// or budget is overspent, every acknowledged order is stored exactly once, and retries of the same
// key answer the same result without using anything twice.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "engine/checkout_service.h"
#include "engine/config_loader.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fixed_standing_source.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

CheckoutRequest Order(const BenefitCatalog& catalog, const std::string& member,
                      const std::string& order) {
  // tmall_95 on 100.00 (5.00 of a 10.00 cap), a delivery voucher (4 a month), a coffee voucher
  // (2.00 of a 5.00 budget shared by every member).
  CheckoutRequest r;
  r.member = member;
  r.order = order;
  r.cart.lines = {CartLine{"", Money{10000}, 1, {"tmall_95"}, "tmall", "", ""},
                  CartLine{"", Money{3000}, 1, {}, "eleme", "", ""},
                  CartLine{"", Money{1000}, 1, {}, "coffee", "", ""}};
  for (const char* id : {"tmall_95", "delivery_voucher", "coffee_voucher"}) {
    r.choices.push_back(BenefitChoice{catalog.FindBenefit(id), 1});
  }
  return r;
}

TEST(CheckoutConcurrency, SameMemberSameBudgetNeverOverspent) {
  auto config = LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) +
                                  "/tests/scenarios/checkout/checkout-test.toml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  const BenefitCatalog& catalog = config->benefits;
  const fs::path dir =
      fs::temp_directory_path() / ("onecard-checkout-concurrency-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  test_support::FixedStandingSource standing;
  const ProgramTime time(config->utc_offset_seconds);
  const Instant term_start = *time.ParseTimestamp("2025-01-01T00:00:00");
  const Instant term_end = *time.ParseTimestamp("2026-01-01T00:00:00");
  const Instant now = *time.ParseTimestamp("2025-03-10T12:00:00");
  for (const char* member : {"hot", "m2", "m3"}) {
    standing.SetPaid(member, "standard", term_start, term_end);
  }
  auto store = OpenSqliteStore((dir / "c.db").string());
  ASSERT_TRUE(store.ok());
  std::vector<std::string> committed;  // member/order of every acknowledged commit
  int64_t tmall_discount = 0, delivery_units = 0, coffee_cost = 0;
  {
    auto benefits = (*store)->OpenBenefitStore();
    ASSERT_TRUE(benefits.ok());
    auto service = CheckoutService::Open(*config, std::move(benefits).value(), &standing, nullptr,
                                         CheckoutOptions{.budget_shards = 4, .batch_jobs_max = 7});
    ASSERT_TRUE(service.ok());
    constexpr int kThreads = 8;
    constexpr int kOrders = 25;
    std::mutex mu;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kOrders; ++i) {
          // Most orders for the hot member; some for two others (the shared coffee budget).
          const std::string member = i % 5 == 0 ? (t % 2 ? "m2" : "m3") : "hot";
          const std::string order = "t" + std::to_string(t) + "-" + std::to_string(i);
          CheckoutRequest request = Order(catalog, member, order);
          auto first = (*service)->Commit("k-" + order, request, now);
          ASSERT_TRUE(first.ok()) << first.error().ToString();
          // A retry (same key, same request) must answer the same and use nothing.
          auto again = (*service)->Commit("k-" + order, request, now);
          ASSERT_TRUE(again.ok());
          EXPECT_TRUE(again->replayed);
          EXPECT_EQ(again->quote.total, first->quote.total);
          std::lock_guard lock(mu);
          committed.push_back(member + "/" + order);
          for (const AppliedBenefit& a : first->quote.applied) {
            const std::string& id = catalog.benefits[static_cast<size_t>(a.benefit)].id;
            if (id == "tmall_95" && member == "hot") tmall_discount += a.discount.minor;
            if (id == "delivery_voucher" && member == "hot") delivery_units += a.units;
            if (id == "coffee_voucher") coffee_cost += a.cost.minor;
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_GT((*service)->batches_written(), 1);
  }
  // Exactly at the limits: the cap 10.00 (two orders of 5.00), 4 vouchers, budget 5.00 (two
  // of 2.00).
  EXPECT_EQ(tmall_discount, 1000);
  EXPECT_EQ(delivery_units, 4);
  EXPECT_EQ(coffee_cost, 400);
  // Every acknowledged order is stored once, and nothing else is.
  auto benefits = (*store)->OpenBenefitStore();
  ASSERT_TRUE(benefits.ok());
  std::map<std::string, int> stored;
  for (const char* member : {"hot", "m2", "m3"}) {
    auto data = (*benefits)->LoadMember(member);
    ASSERT_TRUE(data.ok());
    for (const CheckoutCommitRecord& c : data->commits) ++stored[c.member + "/" + c.order];
  }
  EXPECT_EQ(stored.size(), committed.size());
  for (const std::string& order : committed) EXPECT_EQ(stored[order], 1) << order;
  auto budgets = (*benefits)->LoadBudgets();
  ASSERT_TRUE(budgets.ok());
  int64_t coffee_used = 0;
  for (const BudgetShardUsed& b : *budgets) {
    if (b.benefit == "coffee_voucher") coffee_used += b.used_minor;
  }
  EXPECT_EQ(coffee_used, 400);
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onecard
