// Drops under a stampede, in process: (1) --claimers members (default 1,000,000) claim one unit
// each of a --units drop (default 200) from --threads threads, all eligible, and the clock runs
// until every claim is decided (the grants durable in the SQLite store, the rest refused);
// (2) a --big-units drop (default 100,000) claimed by --big-claimers members from --big-threads
// threads, every grant durable before it is answered (group commit). Each thread keeps up to
// --window claims in flight (DropService::BeginClaim), as a server's many connections would. Each
// prints its time, its rate and "RESULT <name> <seconds>" lines that scripts/bench-drops.sh
// compares with the PostgreSQL and Redis baselines.
#include <atomic>
#include <deque>
#include <thread>

#include "bench_util.h"
#include "engine/config_loader.h"
#include "engine/drop_service.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard::bench {
namespace {

// Every member is paid and of the first tier, so that only stock decides (a fixed table in
// memory, thread-safe: the real standing source is the paid plan's service).
class AllPaid final : public MemberStandingSource {
 public:
  Result<MemberStanding> Standing(std::string_view member, Instant) override {
    MemberStanding standing;
    standing.member = std::string(member);
    standing.paid = true;
    standing.tier = "registered";
    return standing;
  }
};

DropRules Drop(const std::string& id, int64_t units) {
  DropRules rules;
  rules.id = id;
  rules.product = "benchmark";
  rules.schedule.date = LocalDay{20249};  // 2025-06-10
  rules.schedule.minute_of_day = 600;
  rules.units_per_slot = units;
  rules.per_member_limit = 1;
  rules.window_minutes = 60;
  rules.hold_minutes = 15;
  rules.eligibility.paid_plan = true;
  return rules;
}

struct Outcome {
  double seconds = 0;
  int64_t granted = 0;
  int64_t refused = 0;
  int64_t transactions = 0;
  int64_t failed = 0;  // answers other than a grant or sold_out
};

Outcome Stampede(const std::string& dir, const std::string& name, int64_t units, int64_t claimers,
                 int threads, int64_t window) {
  TempDir temp(dir);
  auto config = ParseProgramConfig(
      "[program]\nname=\"b\"\nrule_version=\"b\"\nutc_offset=\"+08:00\"\npublication_day=8\n"
      "[score]\nwindow_months=12\n[score.order_points.physical]\nrate_per_unit=\"0.1\"\ncap=50\n"
      "[score.order_points.virtual]\nrate_per_unit=\"0.05\"\ncap=10\n[score.shopping]\n"
      "month_cap=200\nday_cap=80\nshop_cap=120\ncategory_cap=120\n[score.reward]\nreview=2\n"
      "review_photos_bonus=1\nshare=1\npost=1\nanswer=2\nmonth_cap=40\n[score.active]\n"
      "points_per_month=5\n[score.breadth]\npoints_per_category=10\nfree_categories=1\ncap=100\n"
      "[score.credit]\ndefault_level=3\nlevels=[{level=1,base=0,multiplier=\"0.5\"},"
      "{level=2,base=100,multiplier=\"0.8\"},{level=3,base=200,multiplier=\"1.0\"},"
      "{level=4,base=300,multiplier=\"1.1\"},{level=5,base=400,multiplier=\"1.2\"}]\n"
      "[tiers]\nlevels=[{name=\"registered\",min_score=0}]\n"
      "[plan]\nterm_days=365\nmin_tier=\"\"\nrefund_policy=\"full_if_unused\"\n"
      "prices=[{min_score=0,price=\"888.00\"}]\n",
      "bench");
  if (!config.ok()) throw std::runtime_error(config.error().ToString());
  auto store = OpenSqliteStore(temp.File("drops.db"));
  if (!store.ok()) throw std::runtime_error(store.error().ToString());
  auto drop_store = (*store)->OpenDropStore();
  AllPaid standing;
  DropServiceOptions options;
  options.standing_source_thread_safe = true;
  auto service = DropService::Open(std::move(drop_store).value(), *config, &standing, options);
  if (!service.ok()) throw std::runtime_error(service.error().ToString());
  DropService& drops = **service;
  const Instant open = drops.time().ParseTimestamp("2025-06-10T10:00:00").value();
  if (!drops.OpenDrop(Drop(name, units), open).ok()) throw std::runtime_error("open drop");
  // Warm the slot (its load from the store) outside the clock, and the member ids too.
  (void)drops.SlotStatus(name, open, open);
  std::vector<std::string> members(static_cast<size_t>(claimers));
  for (int64_t i = 0; i < claimers; ++i) members[static_cast<size_t>(i)] = "m" + std::to_string(i);

  std::atomic<int64_t> granted{0};
  std::atomic<int64_t> refused{0};
  std::atomic<int64_t> failed{0};
  std::atomic<int64_t> next{0};
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      // Each thread keeps up to `window` claims in flight (BeginClaim answers a refusal at once
      // and a grant once its group commit is durable), the way a server's connections would.
      std::deque<PendingClaim> in_flight;
      auto settle = [&](PendingClaim& pending) {
        auto answer = pending.Wait();
        if (answer.ok()) {
          granted.fetch_add(1, std::memory_order_relaxed);
        } else if (answer.error().code == ErrorCode::kSoldOut) {
          refused.fetch_add(1, std::memory_order_relaxed);
        } else {
          failed.fetch_add(1, std::memory_order_relaxed);  // reported; never expected
        }
      };
      constexpr int64_t kChunk = 256;  // members taken at a time from the shared counter
      for (;;) {
        const int64_t first = next.fetch_add(kChunk);
        if (first >= claimers) break;
        for (int64_t i = first; i < std::min(claimers, first + kChunk); ++i) {
          in_flight.push_back(drops.BeginClaim(name, members[static_cast<size_t>(i)], 1, open));
          while (static_cast<int64_t>(in_flight.size()) > window ||
                 (!in_flight.empty() && in_flight.front().ready())) {
            settle(in_flight.front());
            in_flight.pop_front();
          }
        }
      }
      for (PendingClaim& pending : in_flight) settle(pending);
    });
  }
  for (std::thread& thread : pool) thread.join();
  Outcome outcome;
  outcome.seconds = SecondsSince(start);
  outcome.granted = granted.load();
  outcome.refused = refused.load();
  outcome.transactions = drops.transactions();
  outcome.failed = failed.load();
  return outcome;
}

void Report(const std::string& name, const std::string& goal, int64_t claimers, int threads,
            const Outcome& o) {
  std::printf(
      "%s: %lld claimers on %d threads: %lld granted (durable), %lld sold out, "
      "%lld transactions, %.3f s, %.0f claims/s (goal %s)\n",
      name.c_str(), static_cast<long long>(claimers), threads, static_cast<long long>(o.granted),
      static_cast<long long>(o.refused), static_cast<long long>(o.transactions), o.seconds,
      static_cast<double>(claimers) / o.seconds, goal.c_str());
  if (o.failed != 0)
    std::printf("%s: %lld claims failed otherwise\n", name.c_str(),
                static_cast<long long>(o.failed));
  std::printf("RESULT %s %.6f\n", name.c_str(), o.seconds);
}

int Main(int argc, char** argv) {
  Args args(argc, argv);
  const int64_t claimers = args.Int("claimers", 1'000'000);
  const int64_t units = args.Int("units", 200);
  const int threads = static_cast<int>(args.Int("threads", 2));
  const int64_t big_units = args.Int("big-units", 100'000);
  const int64_t big_claimers = args.Int("big-claimers", 120'000);
  const int big_threads = static_cast<int>(args.Int("big-threads", 2));
  const int64_t window = args.Int("window", 16384);
  const std::string dir = args.Text("dir", "/tmp");
  args.CheckAllUsed();
  std::printf("load average at start: %s\n", LoadAverage().c_str());
  const Outcome stampede = Stampede(dir, "stampede", units, claimers, threads, window);
  Report("stampede", "<= 0.100 s", claimers, threads, stampede);
  const Outcome big = Stampede(dir, "big", big_units, big_claimers, big_threads, window);
  Report("big", "<= 1.000 s", big_claimers, big_threads, big);
  std::printf("peak RSS %.1f MiB\n", static_cast<double>(PeakResidentBytes()) / (1 << 20));
  return 0;
}

}  // namespace
}  // namespace onecard::bench

int main(int argc, char** argv) { return onecard::bench::Main(argc, argv); }
