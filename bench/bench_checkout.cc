// Checkout: in-process quote latency (p50/p99) for a 10-line cart, and durable commits per second
// with group commit, next to the baseline a team would write — the same commit as one SQL
// transaction per order in SQLite (read the member's usage, price, insert the order, update the
// usage and the budget, COMMIT with fsync) — in the same run, with the ratio.
//
// Program: the built-in eighty-eight catalogue. Members are paid (a fixed standing table). Each
// commit is a 3-line order choosing tmall_95, a delivery voucher and the Lancome sample (which
// has a budget, so the budget ledger is on the path); every member commits twice, so the
// benefits apply on every order.
//
//   bench_checkout --quotes 200000 --members 100000 --threads 2 --window 8192 --baseline 2000
//                  [--dir /tmp]
#include <pthread.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "core/benefit_eligibility.h"
#include "core/checkout_quote.h"
#include "core/checkout_record.h"
#include "engine/checkout_service.h"
#include "engine/config_loader.h"
#include "engine/default_config.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard::bench {
namespace {

// Every member is paid for 2025 (the benchmark's own table; the paid plan is another service).
class PaidStandings final : public MemberStandingSource {
 public:
  explicit PaidStandings(const ProgramTime& time)
      : start_(*time.ParseTimestamp("2025-01-01T00:00:00")),
        end_(*time.ParseTimestamp("2026-01-01T00:00:00")) {}
  Result<MemberStanding> Standing(std::string_view member, Instant /*at*/) override {
    MemberStanding s;
    s.member = std::string(member);
    s.tier = "super";
    s.score = 1200;
    s.paid = true;
    s.term_start = start_;
    s.term_end = end_;
    return s;
  }

 private:
  Instant start_, end_;
};

[[noreturn]] void Die(const Error& error) {
  std::fprintf(stderr, "%s\n", error.ToString().c_str());
  std::exit(1);
}

CheckoutRequest TenLineCart(const BenefitCatalog& catalog, const std::string& member) {
  CheckoutRequest r;
  r.member = member;
  r.order = "q1";
  for (int i = 0; i < 10; ++i) {
    CartLine line;
    line.id = "l" + std::to_string(i);
    line.price = Money{1999 + 1000 * i};
    line.quantity = 1 + i % 3;
    line.flags = {"tmall_95"};
    if (i == 3) line.flags.push_back("flash_sale");
    line.shop = i < 8 ? "tmall" : "eleme";
    line.brand = i % 4 == 0 ? "lancome" : "acme";
    line.category = "beauty";
    r.cart.lines.push_back(std::move(line));
  }
  r.cart.tax = Money{1200};
  r.cart.shipping = Money{800};
  for (const char* id : {"tmall_95", "delivery_voucher", "lancome_sample"}) {
    r.choices.push_back({catalog.FindBenefit(id), 1});
  }
  return r;
}

CheckoutRequest CommitCart(const BenefitCatalog& catalog, const std::string& member,
                           const std::string& order) {
  CheckoutRequest r;
  r.member = member;
  r.order = order;
  r.cart.lines = {CartLine{"a", Money{12000}, 1, {"tmall_95"}, "tmall", "acme", "home"},
                  CartLine{"b", Money{35000}, 1, {}, "tmall", "lancome", "beauty"},
                  CartLine{"c", Money{3200}, 1, {}, "eleme", "", "food"}};
  for (const char* id : {"tmall_95", "delivery_voucher", "lancome_sample"}) {
    r.choices.push_back({catalog.FindBenefit(id), 1});
  }
  return r;
}

// CPU seconds of the whole process so far, user and system: on a machine shared with other work,
// CPU per commit says more than wall time.
struct CpuSeconds {
  double user = 0, system = 0;
};
CpuSeconds ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

struct Percentiles {
  double p50_us = 0, p99_us = 0, max_us = 0;
};

Percentiles Measure(std::vector<double>& samples_us) {
  std::sort(samples_us.begin(), samples_us.end());
  const double last = static_cast<double>(samples_us.size() - 1);
  auto at = [&](double q) { return samples_us[static_cast<size_t>(q * last)]; };
  return {at(0.50), at(0.99), samples_us.back()};
}

std::unique_ptr<CheckoutService> OpenService(const ProgramConfig& config, Store* store,
                                             MemberStandingSource* standing) {
  auto benefits = store->OpenBenefitStore();
  if (!benefits.ok()) Die(benefits.error());
  auto service = CheckoutService::Open(config, std::move(benefits).value(), standing, nullptr);
  if (!service.ok()) Die(service.error());
  return std::move(service).value();
}

void BenchQuotes(const ProgramConfig& config, CheckoutService& service, int64_t quotes,
                 Instant now) {
  const CheckoutRequest cart = TenLineCart(config.benefits, "quote-member");
  std::vector<double> samples;
  samples.reserve(static_cast<size_t>(quotes));
  for (int64_t i = 0; i < quotes + 1000; ++i) {
    auto start = Clock::now();
    auto outcome = service.Quote(cart, now);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    if (!outcome.ok()) Die(outcome.error());
    if (i >= 1000) samples.push_back(us);  // the first thousand warm the caches
  }
  Percentiles service_p = Measure(samples);
  // The core computation alone, on the same cart.
  MemberStanding standing;
  standing.tier = "super";
  standing.paid = true;
  standing.term_start = Instant{0};
  standing.term_end = Instant{std::numeric_limits<int64_t>::max()};
  MemberUsage usage;
  std::array<Money, 16> left;
  left.fill(Money{std::numeric_limits<int64_t>::max()});
  QuoteContext context{&config.benefits,
                       &standing,
                       TierRank(config.tiers, "super"),
                       now,
                       UseWindow{LocalDay{20'000}, MonthKey::FromYearMonth(2025, 3), 1},
                       &usage,
                       left.data()};
  Quote quote;
  samples.clear();
  for (int64_t i = 0; i < quotes + 1000; ++i) {
    auto start = Clock::now();
    ComputeQuote(context, cart, &quote);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    if (i >= 1000) samples.push_back(us);
  }
  Percentiles core_p = Measure(samples);
  std::printf("quote, 10-line cart, 3 choices (%lld quotes, one thread)\n",
              static_cast<long long>(quotes));
  std::printf(
      "  CheckoutService::Quote  p50 %.2f us  p99 %.2f us  max %.1f us   goal p99 <= 5 us\n",
      service_p.p50_us, service_p.p99_us, service_p.max_us);
  std::printf("  core ComputeQuote       p50 %.2f us  p99 %.2f us  max %.1f us\n", core_p.p50_us,
              core_p.p99_us, core_p.max_us);
  std::printf("  discount %s of %s; applied %zu, declined %zu\n",
              FormatMoney(quote.discount).c_str(), FormatMoney(quote.subtotal).c_str(),
              quote.applied.size(), quote.declined.size());
}

double BenchCommits(const ProgramConfig& config, CheckoutService& service, int64_t members,
                    int64_t threads, int64_t window, Instant now) {
  // Members are loaded (from an empty store) before the clock starts: the timed part is the
  // steady state of deciding, queueing, writing and acknowledging.
  const CheckoutRequest warm = CommitCart(config.benefits, "m0", "w");
  for (int64_t m = 0; m < members; ++m) {
    CheckoutRequest r = warm;
    r.member = "m" + std::to_string(m);
    if (auto q = service.Quote(r, now); !q.ok()) Die(q.error());
  }
  const int64_t batches_before = service.batches_written();
  const int64_t commits = 2 * members;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> applied{0};
  std::vector<double> latencies_us(static_cast<size_t>(commits));
  const CpuSeconds cpu_before = ProcessCpuSeconds();
  auto start = Clock::now();
  std::vector<std::thread> pool;
  // Each thread keeps up to `window` commits in flight (Begin), then waits for them (Wait) and
  // acknowledges; latency is from Begin to the end of Wait.
  for (int64_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      pthread_setname_np(pthread_self(), "bench-client");  // for perf
      std::vector<std::pair<int64_t, PendingCommit>> flight;
      std::vector<Clock::time_point> begun;
      for (;;) {
        flight.clear();
        begun.clear();
        for (int64_t k = 0; k < window; ++k) {
          const int64_t i = next++;
          if (i >= commits) break;
          const std::string order = "o" + std::to_string(i);
          CheckoutRequest r = CommitCart(config.benefits, "m" + std::to_string(i % members), order);
          begun.push_back(Clock::now());
          auto pending = service.Begin("k" + order, r, now);
          if (!pending.ok()) Die(pending.error());
          flight.emplace_back(i, std::move(pending).value());
        }
        if (flight.empty()) return;
        for (size_t k = 0; k < flight.size(); ++k) {
          auto outcome = flight[k].second.Wait();
          if (!outcome.ok()) Die(outcome.error());
          latencies_us[static_cast<size_t>(flight[k].first)] =
              std::chrono::duration<double, std::micro>(Clock::now() - begun[k]).count();
          applied += static_cast<int64_t>(outcome->quote.applied.size());
        }
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
  const double seconds = SecondsSince(start);
  const CpuSeconds cpu_after = ProcessCpuSeconds();
  const double user = cpu_after.user - cpu_before.user;
  const double system = cpu_after.system - cpu_before.system;
  Percentiles p = Measure(latencies_us);
  const int64_t batches = service.batches_written() - batches_before;
  std::printf("commit, group commit (%lld commits, %lld members, %lld threads x %lld in flight)\n",
              static_cast<long long>(commits), static_cast<long long>(members),
              static_cast<long long>(threads), static_cast<long long>(window));
  std::printf(
      "  %.0f commits/s (%.2f s), %lld transactions (%.0f commits each), "
      "latency p50 %.0f us p99 %.0f us   goal >= 200,000/s\n",
      static_cast<double>(commits) / seconds, seconds, static_cast<long long>(batches),
      static_cast<double>(commits) / static_cast<double>(std::max<int64_t>(1, batches)), p.p50_us,
      p.p99_us);
  std::printf("  CPU %.2f s user + %.2f s system (all threads): %.2f us per commit\n", user, system,
              (user + system) * 1e6 / static_cast<double>(commits));
  std::printf("  benefits applied per commit: %.2f\n",
              static_cast<double>(applied.load()) / static_cast<double>(commits));
  return static_cast<double>(commits) / seconds;
}

// The baseline: per order, one SQLite transaction that reads the member's usage rows, prices the
// order with the same core quote, inserts the order and upserts the usage and the one budget row.
double BenchBaseline(const ProgramConfig& config, const std::string& path, int64_t orders,
                     Instant now) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Exec(db, "PRAGMA journal_mode=WAL");
  Exec(db, "PRAGMA synchronous=FULL");
  Exec(db,
       "CREATE TABLE orders (member TEXT, key TEXT, order_id TEXT, total INT, record BLOB, "
       "PRIMARY KEY (member, key)) WITHOUT ROWID");
  Exec(db,
       "CREATE TABLE usage (member TEXT, benefit INT, month INT, units INT, discount INT, "
       "PRIMARY KEY (member, benefit, month)) WITHOUT ROWID");
  Exec(db, "CREATE TABLE budgets (benefit INT PRIMARY KEY, used INT)");
  sqlite3_stmt *select_usage, *insert_order, *upsert_usage, *update_budget;
  Check(sqlite3_prepare_v2(db,
                           "SELECT benefit, units, discount FROM usage WHERE member = ? AND "
                           "month = ?",
                           -1, &select_usage, nullptr),
        db, "prepare");
  Check(sqlite3_prepare_v2(db, "INSERT INTO orders VALUES (?, ?, ?, ?, ?)", -1, &insert_order,
                           nullptr),
        db, "prepare");
  Check(
      sqlite3_prepare_v2(db,
                         "INSERT INTO usage VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                         "units = units + excluded.units, discount = discount + excluded.discount",
                         -1, &upsert_usage, nullptr),
      db, "prepare");
  Check(
      sqlite3_prepare_v2(db,
                         "INSERT INTO budgets VALUES (?, ?) ON CONFLICT DO UPDATE SET used = used "
                         "+ excluded.used",
                         -1, &update_budget, nullptr),
      db, "prepare");
  MemberStanding standing;
  standing.tier = "super";
  standing.paid = true;
  standing.term_start = Instant{0};
  standing.term_end = Instant{std::numeric_limits<int64_t>::max()};
  const UseWindow window{LocalDay{20'000}, MonthKey::FromYearMonth(2025, 3), 1};
  std::array<Money, 16> left;
  left.fill(Money{std::numeric_limits<int64_t>::max()});
  Quote quote;
  auto start = Clock::now();
  for (int64_t i = 0; i < orders; ++i) {
    const std::string member = "m" + std::to_string(i / 2);
    const std::string order = "o" + std::to_string(i);
    CheckoutRequest r = CommitCart(config.benefits, member, order);
    Exec(db, "BEGIN IMMEDIATE");
    MemberUsage usage;
    sqlite3_bind_text(select_usage, 1, member.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(select_usage, 2, window.month.value);
    while (sqlite3_step(select_usage) == SQLITE_ROW) {
      usage.Add(static_cast<int32_t>(sqlite3_column_int64(select_usage, 0)), window,
                sqlite3_column_int64(select_usage, 1),
                Money{sqlite3_column_int64(select_usage, 2)});
    }
    sqlite3_reset(select_usage);
    QuoteContext context{&config.benefits, &standing,  TierRank(config.tiers, "super"), now, window,
                         &usage,           left.data()};
    ComputeQuote(context, r, &quote);
    const std::string record = EncodeCheckoutRecord(window, quote, config.benefits);
    const std::string key = "k" + order;
    sqlite3_bind_text(insert_order, 1, member.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_order, 2, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_order, 3, order.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert_order, 4, quote.total.minor);
    sqlite3_bind_blob(insert_order, 5, record.data(), static_cast<int>(record.size()),
                      SQLITE_TRANSIENT);
    Check(sqlite3_step(insert_order), db, "insert order");
    sqlite3_reset(insert_order);
    for (const AppliedBenefit& a : quote.applied) {
      sqlite3_bind_text(upsert_usage, 1, member.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(upsert_usage, 2, a.benefit);
      sqlite3_bind_int64(upsert_usage, 3, window.month.value);
      sqlite3_bind_int64(upsert_usage, 4, a.units);
      sqlite3_bind_int64(upsert_usage, 5, a.discount.minor);
      Check(sqlite3_step(upsert_usage), db, "upsert usage");
      sqlite3_reset(upsert_usage);
      sqlite3_bind_int64(update_budget, 1, a.benefit);
      sqlite3_bind_int64(update_budget, 2, a.cost.minor);
      Check(sqlite3_step(update_budget), db, "update budget");
      sqlite3_reset(update_budget);
    }
    Exec(db, "COMMIT");
  }
  const double seconds = SecondsSince(start);
  for (sqlite3_stmt* s : {select_usage, insert_order, upsert_usage, update_budget}) {
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  std::printf("baseline, one SQL transaction per order (%lld orders, one writer)\n",
              static_cast<long long>(orders));
  std::printf("  %.0f commits/s (%.2f s)\n", static_cast<double>(orders) / seconds, seconds);
  return static_cast<double>(orders) / seconds;
}

}  // namespace
}  // namespace onecard::bench

int main(int argc, char** argv) {
  using namespace onecard;
  using namespace onecard::bench;
  Args args(argc, argv);
  const int64_t quotes = args.Int("quotes", 100'000);
  const int64_t members = args.Int("members", 20'000);
  const int64_t threads = args.Int("threads", 2);
  const int64_t window = args.Int("window", 8192);
  const int64_t baseline = args.Int("baseline", 500);
  const std::string root = args.Text("dir", "/tmp");
  args.CheckAllUsed();
  auto config = ParseProgramConfig(DefaultConfigToml(), "(built-in eighty-eight.toml)");
  if (!config.ok()) Die(config.error());
  const ProgramTime time(config->utc_offset_seconds);
  const Instant now = *time.ParseTimestamp("2025-03-10T12:00:00");
  std::printf("bench_checkout: load average %s, %u cores\n", LoadAverage().c_str(),
              std::thread::hardware_concurrency());
  TempDir dir(root);
  PaidStandings standing(time);
  double onecard_rate = 0;
  {
    auto store = OpenSqliteStore(dir.File("checkout.db"));
    if (!store.ok()) Die(store.error());
    auto service = OpenService(*config, store->get(), &standing);
    BenchQuotes(*config, *service, quotes, now);
    onecard_rate = BenchCommits(*config, *service, members, threads, window, now);
  }
  const double baseline_rate = BenchBaseline(*config, dir.File("baseline.db"), baseline, now);
  std::printf("onecard group commit / baseline = %.1fx\n", onecard_rate / baseline_rate);
  return 0;
}
