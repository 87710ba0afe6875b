// Publication at scale and resident memory per member. Builds N members' states by folding a light
// synthetic stream straight into the engine's resident form (a MemberTable of encoded states; no
// store), then measures, in one run:
//   1. resident memory per member (RSS growth while the table is held) and encoded state size;
//   2. compute: decode each resident state into a reused MemberState (for the score: names
//      skipped), ComputeScoreInto and the tier, over every member, on 1 thread and on --threads;
//   3. write: Engine::Publish into the SQLite store over an engine opened on the saved states
//      (it loads them into its table, scores on a worker, writes rows and breakdowns in member
//      order in one transaction);
//   4. the baseline: the same events as rows in plain SQLite and the publication as SQL GROUP BY
//      queries (order points, per-day/shop/category caps, month cap, reward with its caps,
//      active months, breadth, credit level and score, tier), with checksums against onecard.
//
//   bench_publish --members 1000000 --mean 1 --threads 2 [--write 1] [--baseline 1]
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "core/member_state.h"
#include "core/score.h"
#include "engine/engine.h"
#include "engine/member_table.h"
#include "engine/program.h"
#include "engine/synthetic_stream.h"
#include "store/sqlite/sqlite_store.h"
#include "timing_store.h"

namespace onecard::bench {
namespace {

struct Totals {
  int64_t members = 0;
  int64_t score = 0;
  int64_t shopping = 0;
  int64_t reward = 0;
  int64_t active = 0;
  int64_t breadth = 0;
  int64_t super_tier = 0;
  void Add(const Totals& other) {
    members += other.members;
    score += other.score;
    shopping += other.shopping;
    reward += other.reward;
    active += other.active;
    breadth += other.breadth;
    super_tier += other.super_tier;
  }
  bool operator==(const Totals&) const = default;
};

void Die(const char* what, const Error& error) {
  std::fprintf(stderr, "%s: %s\n", what, error.ToString().c_str());
  std::exit(1);
}

std::unique_ptr<Engine> OpenFresh(const std::string& path,
                                  std::map<std::string, MethodTime>* times = nullptr) {
  auto store = OpenSqliteStore(path);
  if (!store.ok()) Die("open store", store.error());
  std::unique_ptr<Store> opened = std::move(store).value();
  if (times != nullptr) opened = std::make_unique<TimingStore>(std::move(opened), times);
  auto engine = OpenEngine(std::move(opened), std::nullopt);
  if (!engine.ok()) Die("open engine", engine.error());
  return std::move(engine).value();
}

// Scores the states in slots [begin, end) of the table and sums what the checksums compare; the
// engine's publication does the same per member (decode into a reused state, score, tier).
Totals ScoreRange(const MemberTable& table, size_t begin, size_t end, const ProgramConfig& config,
                  MonthKey month, Instant instant) {
  Totals totals;
  MemberState state;
  ScoreBreakdown breakdown;
  for (size_t slot = begin; slot < end; ++slot) {
    table.Prefetch(slot + 4);
    const std::string_view bytes = table.StateAt(slot);
    if (bytes.empty()) continue;
    if (Status decoded = DecodeMemberStateForScore(bytes, &state); !decoded.ok()) {
      Die("decode", decoded.error());
    }
    if (!IsCovered(state, instant)) continue;
    ComputeScoreInto(state, config, month, &breakdown);
    const std::string tier = PublishedTier(config.tiers, breakdown, false);
    ++totals.members;
    totals.score += breakdown.score;
    totals.shopping += breakdown.shopping;
    totals.reward += breakdown.reward;
    totals.active += breakdown.active;
    totals.breadth += breakdown.breadth;
    totals.super_tier += tier == "super";
  }
  return totals;
}

Totals ScoreAll(const MemberTable& table, int threads, const ProgramConfig& config, MonthKey month,
                Instant instant) {
  std::vector<Totals> parts(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  const size_t n = table.slot_count();
  for (int t = 0; t < threads; ++t) {
    const size_t begin = n * static_cast<size_t>(t) / static_cast<size_t>(threads);
    const size_t end = n * static_cast<size_t>(t + 1) / static_cast<size_t>(threads);
    workers.emplace_back([&, t, begin, end] {
      parts[static_cast<size_t>(t)] = ScoreRange(table, begin, end, config, month, instant);
    });
  }
  Totals totals;
  for (int t = 0; t < threads; ++t) {
    workers[static_cast<size_t>(t)].join();
    totals.Add(parts[static_cast<size_t>(t)]);
  }
  return totals;
}

void PrintTotals(const char* who, const Totals& t) {
  std::printf(
      "  %-9s members %lld  Σscore %lld  Σshopping %lld  Σreward %lld  Σactive %lld  "
      "Σbreadth %lld  super %lld\n",
      who, static_cast<long long>(t.members), static_cast<long long>(t.score),
      static_cast<long long>(t.shopping), static_cast<long long>(t.reward),
      static_cast<long long>(t.active), static_cast<long long>(t.breadth),
      static_cast<long long>(t.super_tier));
}

// ---- The SQL baseline publication --------------------------------------------------------

struct SqlRules {
  int64_t begin_us, end_us, instant_us, offset_s;
};

std::string Replace(std::string sql, const std::string& key, const std::string& value) {
  for (size_t at = sql.find(key); at != std::string::npos; at = sql.find(key, at + value.size())) {
    sql.replace(at, key.size(), value);
  }
  return sql;
}

// The rule numbers come from the same config as onecard's, spliced into the SQL text.
std::vector<std::pair<std::string, std::string>> BaselineSteps(const ProgramConfig& config,
                                                               const SqlRules& r) {
  const ScoreRules& s = config.score;
  std::string credit_base =
      "CASE COALESCE(c.level, " + std::to_string(s.credit.default_level) + ")";
  std::string credit_mult = credit_base;
  for (const CreditLevelRule& level : s.credit.levels) {
    credit_base += " WHEN " + std::to_string(level.level) + " THEN " + std::to_string(level.base);
    credit_mult += " WHEN " + std::to_string(level.level) + " THEN " +
                   std::to_string(level.multiplier_permille);
  }
  credit_base += " END";
  credit_mult += " END";
  std::string tier = "CASE";
  for (auto it = config.tiers.tiers.rbegin(); it != config.tiers.tiers.rend(); ++it) {
    tier += " WHEN score >= " + std::to_string(it->min_score) + " THEN '" + it->name + "'";
  }
  tier += " END";
  auto fill = [&](std::string sql) {
    for (std::string column : {"at_us", "p.at_us", "v.at_us"}) {
      sql = Replace(sql, "LOCAL_MONTH(" + column + ")",
                    "CAST(strftime('%Y%m', " + column +
                        " / 1000000 + :off, 'unixepoch') AS "
                        "INTEGER)");
      sql =
          Replace(sql, "LOCAL_DAY(" + column + ")", "((" + column + " / 1000000 + :off) / 86400)");
    }
    sql = Replace(sql, ":off", std::to_string(r.offset_s));
    sql = Replace(sql, ":begin", std::to_string(r.begin_us));
    sql = Replace(sql, ":end", std::to_string(r.end_us));
    sql = Replace(sql, ":instant", std::to_string(r.instant_us));
    sql = Replace(sql, ":phys_rate", std::to_string(s.shopping.physical.rate_ppm));
    sql = Replace(sql, ":phys_cap", std::to_string(s.shopping.physical.cap_points));
    sql = Replace(sql, ":virt_rate", std::to_string(s.shopping.virtual_goods.rate_ppm));
    sql = Replace(sql, ":virt_cap", std::to_string(s.shopping.virtual_goods.cap_points));
    sql = Replace(sql, ":day_cap", std::to_string(s.shopping.day_cap));
    sql = Replace(sql, ":shop_cap", std::to_string(s.shopping.shop_cap));
    sql = Replace(sql, ":category_cap", std::to_string(s.shopping.category_cap));
    sql = Replace(sql, ":month_cap", std::to_string(s.shopping.month_cap));
    sql = Replace(sql, ":review_photos", std::to_string(s.reward.review_photos_bonus));
    sql = Replace(sql, ":review", std::to_string(s.reward.review));
    sql = Replace(sql, ":share", std::to_string(s.reward.share));
    sql = Replace(sql, ":post", std::to_string(s.reward.post));
    sql = Replace(sql, ":answer", std::to_string(s.reward.answer));
    sql = Replace(sql, ":reward_cap", std::to_string(s.reward.month_cap));
    sql = Replace(sql, ":active_points", std::to_string(s.active.points_per_month));
    sql = Replace(sql, ":breadth_points", std::to_string(s.breadth.points_per_category));
    sql = Replace(sql, ":breadth_free", std::to_string(s.breadth.free_categories));
    sql = Replace(sql, ":breadth_cap", std::to_string(s.breadth.cap));
    sql = Replace(sql, ":credit_base", credit_base);
    sql = Replace(sql, ":credit_mult", credit_mult);
    sql = Replace(sql, ":tier", tier);
    sql = Replace(sql, ":default_level", std::to_string(s.credit.default_level));
    return sql;
  };
  // EventType numbers: purchase 0, refund 1, review 2, share 3, post 4, answer 5, credit 6.
  std::vector<std::pair<std::string, std::string>> steps = {
      {"refunds per order (before instant)",
       "CREATE TEMP TABLE b_refunds AS SELECT member, order_id, SUM(amount) AS refunded "
       "FROM events WHERE type = 1 AND order_id IS NOT NULL AND at_us < :instant "
       "GROUP BY member, order_id;"
       "CREATE INDEX temp.b_refunds_key ON b_refunds (member, order_id)"},
      {"order points per order (net, rate, cap)",
       "CREATE TEMP TABLE b_orders AS SELECT p.member AS member, p.category AS category, "
       "p.shop AS shop, LOCAL_MONTH(p.at_us) AS month, LOCAL_DAY(p.at_us) AS day, "
       "MAX(p.amount - COALESCE(r.refunded, 0), 0) AS net, "
       "CASE p.goods WHEN 1 THEN MIN(:virt_cap, MAX(p.amount - COALESCE(r.refunded, 0), 0) * "
       ":virt_rate / 100000000) ELSE MIN(:phys_cap, MAX(p.amount - COALESCE(r.refunded, 0), 0) * "
       ":phys_rate / 100000000) END AS points "
       "FROM events p LEFT JOIN b_refunds r ON r.member = p.member AND r.order_id = p.order_id "
       "WHERE p.type = 0 AND p.at_us >= :begin AND p.at_us < :end"},
      {"shopping: day/shop/category caps, month cap",
       "CREATE TEMP TABLE b_shopping AS "
       "WITH d AS (SELECT member, month, SUM(MIN(:day_cap, v)) AS v FROM (SELECT member, month, "
       "day, SUM(points) AS v FROM b_orders GROUP BY member, month, day) GROUP BY member, month), "
       "s AS (SELECT member, month, SUM(MIN(:shop_cap, v)) AS v FROM (SELECT member, month, "
       "shop, SUM(points) AS v FROM b_orders GROUP BY member, month, shop) GROUP BY member, "
       "month), "
       "c AS (SELECT member, month, SUM(MIN(:category_cap, v)) AS v FROM (SELECT member, month, "
       "category, SUM(points) AS v FROM b_orders GROUP BY member, month, category) GROUP BY "
       "member, month) "
       "SELECT d.member AS member, SUM(MIN(:month_cap, d.v, s.v, c.v)) AS shopping FROM d "
       "JOIN s ON s.member = d.member AND s.month = d.month "
       "JOIN c ON c.member = d.member AND c.month = d.month GROUP BY d.member"},
      {"active months, distinct categories (breadth)",
       "CREATE TEMP TABLE b_order_parts AS SELECT member, "
       ":active_points * COUNT(DISTINCT CASE WHEN net > 0 THEN month END) AS active, "
       "MIN(:breadth_cap, :breadth_points * MAX(0, COUNT(DISTINCT CASE WHEN net > 0 THEN "
       "category END) - :breadth_free)) AS breadth FROM b_orders GROUP BY member"},
      {"reward: earliest review per order, social, cap",
       "CREATE TEMP TABLE b_reward AS "
       "WITH first_review AS (SELECT member, order_id, at_us, photos FROM (SELECT member, "
       "order_id, at_us, photos, ROW_NUMBER() OVER (PARTITION BY member, order_id ORDER BY "
       "at_us, photos DESC, id) AS rn FROM events WHERE type = 2) WHERE rn = 1), "
       "bought AS (SELECT DISTINCT member, order_id FROM events WHERE type = 0 AND at_us < "
       ":instant), "
       "acts AS (SELECT v.member AS member, LOCAL_MONTH(v.at_us) AS month, :review + "
       ":review_photos * v.photos AS points FROM first_review v JOIN bought b ON b.member = "
       "v.member AND b.order_id = v.order_id WHERE v.at_us >= :begin AND v.at_us < :end "
       "UNION ALL SELECT member, LOCAL_MONTH(at_us), CASE type WHEN 3 THEN :share WHEN 4 THEN "
       ":post ELSE :answer END FROM events WHERE type IN (3, 4, 5) AND at_us >= :begin AND "
       "at_us < :end) "
       "SELECT member, SUM(v) AS reward FROM (SELECT member, month, MIN(:reward_cap, "
       "SUM(points)) AS v FROM acts GROUP BY member, month) GROUP BY member"},
      {"credit: latest level before instant",
       "CREATE TEMP TABLE b_credit AS SELECT member, level FROM (SELECT member, level, "
       "ROW_NUMBER() OVER (PARTITION BY member ORDER BY at_us DESC, id DESC) AS rn FROM events "
       "WHERE type = 6 AND at_us < :instant) WHERE rn = 1"},
      {"score, tier: write one row per member (durable)",
       "BEGIN IMMEDIATE;"
       "CREATE TABLE b_scores (member TEXT PRIMARY KEY, score INT, tier TEXT, shopping INT, "
       "reward INT, active INT, breadth INT, credit_level INT) WITHOUT ROWID;"
       "INSERT INTO b_scores SELECT member, score, :tier, shopping, reward, active, breadth, "
       "level FROM (SELECT m.member AS member, COALESCE(sh.shopping, 0) AS shopping, "
       "COALESCE(r.reward, 0) AS reward, COALESCE(o.active, 0) AS active, "
       "COALESCE(o.breadth, 0) AS breadth, COALESCE(c.level, :default_level) AS level, "
       ":credit_base + "
       "(:credit_mult * (COALESCE(sh.shopping, 0) + COALESCE(r.reward, 0) + "
       "COALESCE(o.active, 0) + COALESCE(o.breadth, 0)) + 500) / 1000 AS score "
       "FROM (SELECT DISTINCT member FROM events WHERE at_us < :instant) m "
       "LEFT JOIN b_shopping sh ON sh.member = m.member "
       "LEFT JOIN b_order_parts o ON o.member = m.member "
       "LEFT JOIN b_reward r ON r.member = m.member "
       "LEFT JOIN b_credit c ON c.member = m.member);"
       "COMMIT"},
  };
  for (auto& step : steps) step.second = fill(step.second);
  return steps;
}

Totals BaselineTotals(sqlite3* db) {
  sqlite3_stmt* query = nullptr;
  Check(sqlite3_prepare_v2(db,
                           "SELECT COUNT(*), SUM(score), SUM(shopping), SUM(reward), SUM(active), "
                           "SUM(breadth), SUM(tier = 'super') FROM b_scores",
                           -1, &query, nullptr),
        db, "prepare totals");
  Check(sqlite3_step(query), db, "totals");
  Totals t;
  t.members = sqlite3_column_int64(query, 0);
  t.score = sqlite3_column_int64(query, 1);
  t.shopping = sqlite3_column_int64(query, 2);
  t.reward = sqlite3_column_int64(query, 3);
  t.active = sqlite3_column_int64(query, 4);
  t.breadth = sqlite3_column_int64(query, 5);
  t.super_tier = sqlite3_column_int64(query, 6);
  sqlite3_finalize(query);
  return t;
}

// Folds the whole stream into `table`. The stream gives each member's events of a month together
// (within a small reordering window), so one decoded state is kept at hand and written back to
// the table when another member's event comes.
void FoldInto(const SyntheticOptions& options, const ProgramTime& time, MemberTable* table,
              int64_t* events, int64_t* rejected) {
  SyntheticStream stream(options);
  Event event;
  MemberState state;
  std::string encoded;
  bool holding = false;
  auto put_back = [&] {
    if (!holding) return;
    EncodeMemberStateTo(state, &encoded);
    table->Put(state.member(), encoded, false);
  };
  while (stream.Next(&event)) {
    ++*events;
    if (!holding || state.member() != event.member) {
      put_back();
      const std::string_view bytes = table->Find(event.member);
      if (bytes.empty()) {
        state.Reset(event.member);
      } else if (Status decoded = DecodeMemberStateInto(bytes, &state); !decoded.ok()) {
        Die("decode", decoded.error());
      }
      holding = true;
    }
    *rejected += !state.Apply(event, time).ok();
  }
  put_back();
}

struct Phase {
  double fold = 0, compute_one = 0, compute_many = 0, publish = 0;
  int64_t events = 0, rejected = 0, with_events = 0, encoded_bytes = 0;
  int64_t resident = 0, table_bytes = 0;
};

int Main(int argc, char** argv) {
  Args args(argc, argv);
  SyntheticOptions options;
  options.members = args.Int("members", 100'000);
  options.months = static_cast<int32_t>(args.Int("months", 12));
  options.events_per_member_mean = static_cast<int32_t>(args.Int("mean", 1));
  options.seed = static_cast<uint64_t>(args.Int("seed", 1));
  // No repeated deliveries: the states are folded here without the store's idempotency check,
  // and the baseline rows would drop them anyway.
  options.duplicate_permille = 0;
  const int threads = static_cast<int>(args.Int("threads", 2));
  const bool write = args.Int("write", 1) != 0;
  const bool baseline = args.Int("baseline", 1) != 0;
  const std::string root = args.Text("dir", "/tmp");
  const int64_t checkpoint_members = args.Int("checkpoint-members", 200'000);
  args.CheckAllUsed();

  TempDir dir(root);
  ProgramConfig config;
  {
    auto engine = OpenFresh(dir.File("config.db"));
    config = engine->config();
  }
  std::filesystem::remove_all(dir.path());
  std::filesystem::create_directory(dir.path());
  const ProgramTime time(config.utc_offset_seconds);
  options.time = time;
  if (Status valid = ValidateSyntheticOptions(options); !valid.ok()) Die("options", valid.error());
  const MonthKey month = options.first_month.plus(options.months);  // window = the stream's months
  const Instant instant = PublicationInstant(config, month);
  const Instant now{instant.us + 86'400'000'000};
  const size_t n = static_cast<size_t>(options.members);

  std::printf(
      "bench_publish: %zu members, %d months, mean %d events/member/month, publish %s "
      "(window of %d months), threads %d, dir %s, load average %s\n",
      n, options.months, options.events_per_member_mean, FormatMonthKey(month).c_str(),
      config.score.window_months, threads, root.c_str(), LoadAverage().c_str());

  Phase p;
  Totals onecard_totals;
  MemberTable table;

  // 1. Fold the stream into the resident table; measure its memory.
  malloc_trim(0);
  const int64_t rss_start = ResidentBytes();
  auto start = Clock::now();
  FoldInto(options, time, &table, &p.events, &p.rejected);
  p.fold = SecondsSince(start);
  malloc_trim(0);  // hand back what folding freed, so that RSS shows what the table holds
  p.resident = ResidentBytes() - rss_start;
  p.table_bytes = table.bytes_held();
  for (size_t slot = 0; slot < table.slot_count(); ++slot) {
    const std::string_view bytes = table.StateAt(slot);
    if (bytes.empty()) continue;
    ++p.with_events;
    p.encoded_bytes += static_cast<int64_t>(bytes.size());
  }
  const double members_held = static_cast<double>(std::max<int64_t>(1, p.with_events));
  std::printf(
      "\n1. states: %lld events folded in %.1f s (%.0f events/s incl. generation; "
      "%lld refused by the fold)\n",
      static_cast<long long>(p.events), p.fold, static_cast<double>(p.events) / p.fold,
      static_cast<long long>(p.rejected));
  std::printf(
      "   RESIDENT per member: %.0f bytes (RSS growth %.1f MiB for %lld members held in the "
      "engine's MemberTable: encoded state, block header, allocator overhead, table slot)\n",
      static_cast<double>(p.resident) / members_held, static_cast<double>(p.resident) / (1 << 20),
      static_cast<long long>(p.with_events));
  std::printf(
      "   of which: encoded state %.0f bytes, table slots and headers %.0f bytes (counted), "
      "allocator overhead %.0f bytes (the rest)\n",
      static_cast<double>(p.encoded_bytes) / members_held,
      static_cast<double>(p.table_bytes - p.encoded_bytes) / members_held,
      static_cast<double>(p.resident - p.table_bytes) / members_held);
  std::printf(
      "   RESULT memory members=%lld resident_bytes_per_member=%.0f "
      "encoded_bytes_per_member=%.0f goal=256\n",
      static_cast<long long>(p.with_events), static_cast<double>(p.resident) / members_held,
      static_cast<double>(p.encoded_bytes) / members_held);

  // 2. Compute from the resident states.
  std::printf("\n2. compute (decode + ComputeScoreInto + tier over the resident states):\n");
  double cpu_one = 0;
  double cpu_many = 0;
  for (int t : {1, threads}) {
    start = Clock::now();
    const double cpu_start = CpuSeconds();
    const Totals totals = ScoreAll(table, t, config, month, instant);
    (t == 1 ? p.compute_one : p.compute_many) = SecondsSince(start);
    (t == 1 ? cpu_one : cpu_many) = CpuSeconds() - cpu_start;
    onecard_totals = totals;
  }
  const double members = static_cast<double>(onecard_totals.members);
  for (int t : {1, threads}) {
    const double seconds = t == 1 ? p.compute_one : p.compute_many;
    const double cpu = t == 1 ? cpu_one : cpu_many;
    std::printf(
        "   %d thread(s): %.3f s  (%.0f members/s, %.2f us/member; CPU %.3f s = %.2f us/member, "
        "%.0f%% of %d core(s))\n",
        t, seconds, members / seconds, seconds * 1e6 / members, cpu, cpu * 1e6 / members,
        100.0 * cpu / seconds / t, t);
  }
  std::printf(
      "   RESULT compute members=%lld seconds_1t=%.3f seconds_%dt=%.3f goal_10M=2.0 "
      "scaled_to_10M_%dt=%.2f\n",
      static_cast<long long>(onecard_totals.members), p.compute_one, threads, p.compute_many,
      threads, p.compute_many * 10e6 / static_cast<double>(n));
  PrintTotals("onecard", onecard_totals);

  // 3. Write: save the states into a store (setup), then open an engine on it and publish.
  if (write) {
    const std::string path = dir.File("onecard.db");
    start = Clock::now();
    {
      auto store = OpenSqliteStore(path);
      if (!store.ok()) Die("open store", store.error());
      std::vector<std::pair<std::string, std::string>> chunk;
      auto flush = [&] {
        if (Status saved = (*store)->SaveCheckpoint(chunk, 0); !saved.ok()) {
          Die("checkpoint", saved.error());
        }
        chunk.clear();
      };
      for (size_t slot = 0; slot < table.slot_count(); ++slot) {
        const std::string_view bytes = table.StateAt(slot);
        if (bytes.empty()) continue;
        chunk.emplace_back(EncodedStateMember(bytes), bytes);
        if (static_cast<int64_t>(chunk.size()) >= checkpoint_members) flush();
      }
      flush();
      // An engine opens this store as one that has taken a batch, so it reads the states.
      if (Status committed = (*store)->CommitIngest(IngestWrite{1, {}}); !committed.ok()) {
        Die("position", committed.error());
      }
      if (Status saved = (*store)->SaveCheckpoint({}, 1); !saved.ok())
        Die("position", saved.error());
    }
    table.Clear();
    malloc_trim(0);
    const double save_seconds = SecondsSince(start);
    const int64_t states_db = DatabaseBytes(path);
    std::map<std::string, MethodTime> store_times;
    auto engine = OpenFresh(path, &store_times);
    store_times.clear();
    start = Clock::now();
    const double cpu_start = CpuSeconds();
    auto published = engine->Publish(month, now);
    const double publish_cpu = CpuSeconds() - cpu_start;
    p.publish = SecondsSince(start);
    if (!published.ok()) Die("publish", published.error());
    std::printf(
        "\n3. write: saving %lld states by checkpoints of %lld took %.1f s (setup, not "
        "publication; %.0f MiB)\n",
        static_cast<long long>(p.with_events), static_cast<long long>(checkpoint_members),
        save_seconds, static_cast<double>(states_db) / (1 << 20));
    std::printf(
        "   Engine::Publish: %.2f s for %lld members (%.0f members/s), database now "
        "%.0f MiB\n",
        p.publish, static_cast<long long>(published->members),
        static_cast<double>(published->members) / p.publish,
        static_cast<double>(DatabaseBytes(path)) / (1 << 20));
    std::printf("      CPU (user+sys) %.2f s = %.0f%% of wall\n", publish_cpu,
                100.0 * publish_cpu / p.publish);
    PrintMethodTimes(store_times, p.publish);
    const double load = store_times["ForEachMemberState (incl. the engine's visit)"].seconds;
    const double add = store_times["PublicationWriter::Add"].seconds;
    const double commit = store_times["PublicationWriter::Commit"].seconds;
    std::printf(
        "      => loading the saved states into memory: %.2f s (a fresh process only); sorting, "
        "scoring on a worker and waiting for it: %.2f s; inserting rows: %.2f s; commit: %.2f s\n",
        load, p.publish - load - add - commit, add, commit);
    std::printf("   RESULT publish members=%lld seconds=%.2f\n",
                static_cast<long long>(published->members), p.publish);
    engine.reset();
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  table.Clear();

  // 4. The baseline: the same stream as rows, then the publication in SQL.
  if (baseline) {
    const std::string path = dir.File("baseline.db");
    BaselineEvents rows(path);
    start = Clock::now();
    {
      SyntheticStream stream(options);
      std::vector<Event> batch(100'000);
      size_t filled = 0;
      while (true) {
        const bool more = stream.Next(&batch[filled]);
        if (more) ++filled;
        if (filled == batch.size() || (!more && filled > 0)) {
          rows.InsertBatch(batch.data(), filled);
          filled = 0;
        }
        if (!more) break;
      }
    }
    const double load_seconds = SecondsSince(start);
    std::printf(
        "\n4. baseline: %lld events loaded as rows in %.1f s (%.0f events/s, batches of "
        "100000, synchronous=FULL; setup)\n",
        static_cast<long long>(p.events), load_seconds,
        static_cast<double>(p.events) / load_seconds);
    SqlRules rules{time.StartOfLocalDay(options.first_month, 1).us,
                   time.StartOfLocalDay(month, 1).us, instant.us, config.utc_offset_seconds};
    double sql_seconds = 0;
    for (const auto& [what, sql] : BaselineSteps(config, rules)) {
      start = Clock::now();
      Exec(rows.db(), sql);
      const double seconds = SecondsSince(start);
      sql_seconds += seconds;
      std::printf("   %-50s %8.2f s\n", what.c_str(), seconds);
    }
    const Totals baseline_totals = BaselineTotals(rows.db());
    std::printf("   SQL publication total: %.2f s; database %.0f MiB\n", sql_seconds,
                static_cast<double>(DatabaseBytes(path)) / (1 << 20));
    PrintTotals("onecard", onecard_totals);
    PrintTotals("baseline", baseline_totals);
    std::printf("   checksums %s\n", baseline_totals == onecard_totals
                                         ? "MATCH (same members, parts, scores and tiers)"
                                         : "DIFFER (see the totals above)");
    std::printf(
        "   RESULT publication members=%lld onecard_compute_%dt=%.3f "
        "onecard_publish=%.2f baseline_sql=%.2f baseline_over_publish=%.1f "
        "baseline_over_compute=%.0f\n",
        static_cast<long long>(onecard_totals.members), threads, p.compute_many, p.publish,
        sql_seconds, write ? sql_seconds / p.publish : 0.0, sql_seconds / p.compute_many);
  }
  std::printf("\npeak RSS %.0f MiB; load average %s\n",
              static_cast<double>(PeakResidentBytes()) / (1 << 20), LoadAverage().c_str());
  return 0;
}

}  // namespace
}  // namespace onecard::bench

int main(int argc, char** argv) { return onecard::bench::Main(argc, argv); }
