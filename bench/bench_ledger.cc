// Durable ledger throughput (issue 5): transfers per second through LedgerService::Submit in
// batches (group commit: each batch is one log row, one transaction, one fsync before Submit
// returns), against the same workload written as one SQL transaction per transfer in plain SQLite
// (read the balance, update both accounts, insert the transfer, commit; WAL + synchronous=FULL),
// in one run, with the ratio. Requests are made in memory before any clock starts.
//
// Workload: --members accounts of the shipped program "aurora_beauty" are seeded by earnings
// (timed apart); then --transfers requests, 9 in 10 a member-to-member transfer of 1..10 points
// and 1 in 10 a redemption, in batches of --batch. The baseline runs --baseline transfers (it is
// fsync-bound, so fewer suffice). Also timed: rebuilding the ledger from its log at open.
//
//   bench_ledger --transfers 2000000 --batch 10000 --members 100000 --baseline 2000 [--dir /tmp]
#include <random>

#include "bench_util.h"
#include "core/ledger_verify.h"
#include "engine/ledger_service.h"
#include "engine/program.h"
#include "store/sqlite/sqlite_store.h"
#include "timing_store.h"

namespace onecard::bench {
namespace {

constexpr Instant kBought{1'735'689'600'000'000};  // 2025-01-01T00:00:00Z
constexpr Instant kNow{1'740'787'200'000'000};     // 2025-03-01: past the return window

class NoStanding final : public MemberStandingSource {
 public:
  Result<MemberStanding> Standing(std::string_view member, Instant) override {
    MemberStanding standing;
    standing.member = std::string(member);
    return standing;
  }
};

std::string MemberName(int64_t i) { return "m" + std::to_string(i); }

// Wall time spent in the durable appends (the INSERT and its fsync), to tell the commit from the
// in-memory work.
class TimedLedgerStore final : public LedgerStore {
 public:
  TimedLedgerStore(std::unique_ptr<LedgerStore> inner, double* append_seconds)
      : inner_(std::move(inner)), append_seconds_(append_seconds) {}
  Result<int64_t> LastBatch() override { return inner_->LastBatch(); }
  Status AppendBatch(int64_t batch, int64_t records, std::string_view bytes) override {
    const auto start = Clock::now();
    Status status = inner_->AppendBatch(batch, records, bytes);
    *append_seconds_ += SecondsSince(start);
    return status;
  }
  Status ForEachBatch(const std::function<Status(int64_t, std::string_view)>& visit) override {
    return inner_->ForEachBatch(visit);
  }
  // Snapshots are written inside Submit too, so they count in its time (not in the appends').
  Status WriteSnapshot(int64_t batch, std::string_view bytes) override {
    return inner_->WriteSnapshot(batch, bytes);
  }
  Result<std::optional<Snapshot>> LatestSnapshot() override { return inner_->LatestSnapshot(); }

 private:
  std::unique_ptr<LedgerStore> inner_;
  double* append_seconds_;
};

struct Opened {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<LedgerService> ledger;
};

Opened OpenLedger(const std::string& path, MemberStandingSource* standing, double* append_seconds) {
  auto store = OpenSqliteStore(path);
  if (!store.ok()) throw std::runtime_error(store.error().ToString());
  auto engine = OpenEngine(std::move(store).value(), std::nullopt);
  if (!engine.ok()) throw std::runtime_error(engine.error().ToString());
  auto log = (*engine)->store().OpenLedgerStore();
  if (!log.ok()) throw std::runtime_error(log.error().ToString());
  auto timed = std::make_unique<TimedLedgerStore>(std::move(log).value(), append_seconds);
  auto ledger = LedgerService::Open(std::move(timed), (*engine)->config().points, standing);
  if (!ledger.ok()) throw std::runtime_error(ledger.error().ToString());
  return Opened{std::move(engine).value(), std::move(ledger).value()};
}

// `requests` cut into batches of `batch` before any clock starts (a caller hands the service
// batches it already holds; copying them is not the service's work).
std::vector<std::vector<LedgerRequest>> Batches(std::vector<LedgerRequest> requests,
                                                int64_t batch) {
  std::vector<std::vector<LedgerRequest>> batches;
  for (size_t at = 0; at < requests.size(); at += static_cast<size_t>(batch)) {
    const size_t end = std::min(requests.size(), at + static_cast<size_t>(batch));
    batches.emplace_back(std::make_move_iterator(requests.begin() + static_cast<long>(at)),
                         std::make_move_iterator(requests.begin() + static_cast<long>(end)));
  }
  return batches;
}

// Submits the batches; returns the seconds taken (and the process CPU seconds in *cpu) and checks
// every request was accepted.
double SubmitAll(LedgerService& ledger, const std::vector<std::vector<LedgerRequest>>& batches,
                 double* cpu) {
  const auto start = Clock::now();
  const double cpu_start = CpuSeconds();
  for (const std::vector<LedgerRequest>& slice : batches) {
    auto results = ledger.Submit(slice, kNow);
    if (!results.ok()) throw std::runtime_error(results.error().ToString());
    for (const auto& result : *results) {
      if (!result.ok()) throw std::runtime_error("rejected: " + result.error().ToString());
    }
  }
  *cpu = CpuSeconds() - cpu_start;
  return SecondsSince(start);
}

std::vector<LedgerRequest> Workload(int64_t transfers, int64_t members) {
  std::mt19937_64 random(88);
  std::vector<LedgerRequest> requests;
  requests.reserve(static_cast<size_t>(transfers));
  for (int64_t i = 0; i < transfers; ++i) {
    const int64_t from = static_cast<int64_t>(random() % static_cast<uint64_t>(members));
    int64_t to = static_cast<int64_t>(random() % static_cast<uint64_t>(members));
    if (to == from) to = (to + 1) % members;
    const int64_t points = 1 + static_cast<int64_t>(random() % 10);
    const bool redeem = i % 10 == 9;
    requests.push_back(TransferRequest{"t" + std::to_string(i), "aurora_beauty",
                                       redeem ? TransferKind::kRedeem : TransferKind::kTransfer,
                                       MemberName(from), redeem ? "" : MemberName(to), points,
                                       false});
  }
  return requests;
}

// The baseline: one SQL transaction per transfer, the way a team would write a ledger on SQLite.
double Baseline(const std::string& path, int64_t transfers, int64_t members) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Exec(db, "PRAGMA journal_mode=WAL");
  Exec(db, "PRAGMA synchronous=FULL");
  Exec(db,
       "CREATE TABLE accounts (program TEXT, owner TEXT, balance INTEGER NOT NULL, "
       "PRIMARY KEY (program, owner)) WITHOUT ROWID");
  Exec(db,
       "CREATE TABLE transfers (id TEXT PRIMARY KEY, program TEXT, debit TEXT, credit TEXT, "
       "amount INTEGER, at_us INTEGER) WITHOUT ROWID");
  Exec(db, "BEGIN");
  for (int64_t i = 0; i < members; ++i) {
    Exec(db, "INSERT INTO accounts VALUES ('aurora_beauty', '" + MemberName(i) + "', 1000000)");
  }
  Exec(db, "INSERT INTO accounts VALUES ('aurora_beauty', '', 0)");
  Exec(db, "COMMIT");
  sqlite3_stmt *balance, *debit, *credit, *insert;
  Check(sqlite3_prepare_v2(db, "SELECT balance FROM accounts WHERE program = ? AND owner = ?", -1,
                           &balance, nullptr),
        db, "prepare");
  Check(sqlite3_prepare_v2(db,
                           "UPDATE accounts SET balance = balance - ?3 WHERE program = ?1 AND "
                           "owner = ?2",
                           -1, &debit, nullptr),
        db, "prepare");
  Check(sqlite3_prepare_v2(db,
                           "UPDATE accounts SET balance = balance + ?3 WHERE program = ?1 AND "
                           "owner = ?2",
                           -1, &credit, nullptr),
        db, "prepare");
  Check(sqlite3_prepare_v2(db, "INSERT INTO transfers VALUES (?, ?, ?, ?, ?, ?)", -1, &insert,
                           nullptr),
        db, "prepare");
  const std::vector<LedgerRequest> requests = Workload(transfers, members);
  const auto start = Clock::now();
  for (const LedgerRequest& request : requests) {
    const auto& t = std::get<TransferRequest>(request);
    Exec(db, "BEGIN IMMEDIATE");
    sqlite3_bind_text(balance, 1, t.program.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(balance, 2, t.from.c_str(), -1, SQLITE_STATIC);
    Check(sqlite3_step(balance), db, "balance");
    const int64_t have = sqlite3_column_int64(balance, 0);
    sqlite3_reset(balance);
    if (have < t.points) throw std::runtime_error("baseline: insufficient points");
    for (sqlite3_stmt* update : {debit, credit}) {
      sqlite3_bind_text(update, 1, t.program.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(update, 2, update == debit ? t.from.c_str() : t.to.c_str(), -1,
                        SQLITE_STATIC);
      sqlite3_bind_int64(update, 3, t.points);
      Check(sqlite3_step(update), db, "update");
      sqlite3_reset(update);
    }
    sqlite3_bind_text(insert, 1, t.id.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, t.program.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, t.from.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, t.to.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 5, t.points);
    sqlite3_bind_int64(insert, 6, kNow.us);
    Check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
    Exec(db, "COMMIT");
  }
  const double seconds = SecondsSince(start);
  for (sqlite3_stmt* s : {balance, debit, credit, insert}) sqlite3_finalize(s);
  sqlite3_close(db);
  return seconds;
}

int Main(int argc, char** argv) {
  Args args(argc, argv);
  const int64_t transfers = args.Int("transfers", 200'000);
  const int64_t batch = args.Int("batch", 10'000);
  const int64_t members = args.Int("members", 10'000);
  const int64_t baseline = args.Int("baseline", 500);
  TempDir dir(args.Text("dir", "/tmp"));
  args.CheckAllUsed();
  std::printf("transfers %lld in batches of %lld over %lld members; baseline %lld; load %s\n",
              static_cast<long long>(transfers), static_cast<long long>(batch),
              static_cast<long long>(members), static_cast<long long>(baseline),
              LoadAverage().c_str());

  NoStanding standing;
  const std::string path = dir.File("ledger.db");
  double seed_seconds = 0;
  double run_seconds = 0;
  double run_cpu = 0;
  double append_seconds = 0;
  {
    Opened opened = OpenLedger(path, &standing, &append_seconds);
    std::vector<LedgerRequest> seed;
    for (int64_t i = 0; i < members; ++i) {
      // 10,000.00 on the brand's shop: 10,000 points each, posted (the window has closed).
      seed.push_back(EarnRequest{"aurora_beauty", MemberName(i), "seed-" + std::to_string(i),
                                 "tmall_flagship", "skincare", Money{1'000'000}, kBought});
    }
    seed_seconds = SubmitAll(*opened.ledger, Batches(std::move(seed), batch), &run_cpu);
    const auto requests = Batches(Workload(transfers, members), batch);
    append_seconds = 0;
    run_seconds = SubmitAll(*opened.ledger, requests, &run_cpu);
  }
  std::printf("seed: %lld earnings in %.2f s\n", static_cast<long long>(members), seed_seconds);
  const double rate = static_cast<double>(transfers) / run_seconds;
  std::printf("onecard: %lld transfers in %.2f s = %.0f durable transfers/s (%.0f batches/s)\n",
              static_cast<long long>(transfers), run_seconds, rate,
              static_cast<double>(transfers) / static_cast<double>(batch) / run_seconds);
  std::printf(
      "  of which durable appends (INSERT + fsync) %.2f s, in-memory work %.2f s; process CPU "
      "%.2f s = %.0f transfers per CPU-second\n",
      append_seconds, run_seconds - append_seconds, run_cpu,
      static_cast<double>(transfers) / run_cpu);
  const auto reopen_start = Clock::now();
  {
    double ignored = 0;
    Opened reopened = OpenLedger(path, &standing, &ignored);
    const double reopen_seconds = SecondsSince(reopen_start);
    const auto verify_start = Clock::now();
    const size_t violations = VerifyLedger(reopened.ledger->ledger()).size();
    std::printf(
        "rebuild at open: %lld transfers in %.2f s; verify %.2f s, %zu violations; database "
        "%.1f MB; peak RSS %.0f MB\n",
        static_cast<long long>(reopened.ledger->ledger().transfers().size()), reopen_seconds,
        SecondsSince(verify_start), violations, static_cast<double>(DatabaseBytes(path)) / 1e6,
        static_cast<double>(PeakResidentBytes()) / 1e6);
  }
  const double base_seconds = Baseline(dir.File("baseline.db"), baseline, members);
  const double base_rate = static_cast<double>(baseline) / base_seconds;
  std::printf("baseline (one SQL transaction per transfer): %lld in %.2f s = %.0f transfers/s\n",
              static_cast<long long>(baseline), base_seconds, base_rate);
  std::printf("ratio onecard / baseline: %.0fx\n", rate / base_rate);
  return 0;
}

}  // namespace
}  // namespace onecard::bench

int main(int argc, char** argv) { return onecard::bench::Main(argc, argv); }
