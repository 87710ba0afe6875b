// Durable ingest throughput: onecard (Engine::IngestEvents and Engine::IngestLines into the SQLite
// store, fsync per batch) against the plain SQLite baseline (one row per event, prepared INSERT
// per row, one transaction per batch, WAL + synchronous=FULL), on the same synthetic events, in
// one run. Events and JSONL lines are made in memory before any clock starts; only the ingest
// calls and the final Close (checkpoint) are timed. Sub-timings of the in-memory steps (decode,
// chunk encoding, fold, state encoding) explain where the time goes.
//
//   bench_ingest --events 2000000 --batches 10000,100000 --members 50000 [--dir /tmp]
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_util.h"
#include "core/member_state.h"
#include "engine/engine.h"
#include "engine/event_codec.h"
#include "engine/program.h"
#include "engine/synthetic_stream.h"
#include "store/sqlite/sqlite_event_chunk.h"
#include "store/sqlite/sqlite_store.h"
#include "timing_store.h"

namespace onecard::bench {
namespace {

struct Run {
  std::string name;
  double seconds = 0;        // ingest calls plus the final Close
  double close_seconds = 0;  // of which the final Close (checkpoint of the remaining states)
  double cpu_seconds = 0;    // process CPU (user + system) during the timed calls
  IngestCounts counts;
  int64_t db_bytes = 0;
  std::map<std::string, MethodTime> store_times;  // time inside each store method
};

std::unique_ptr<Engine> OpenFresh(const std::string& path,
                                  std::map<std::string, MethodTime>* times = nullptr) {
  auto store = OpenSqliteStore(path);
  if (!store.ok()) {
    std::fprintf(stderr, "open store: %s\n", store.error().ToString().c_str());
    std::exit(1);
  }
  std::unique_ptr<Store> opened = std::move(store).value();
  if (times != nullptr) opened = std::make_unique<TimingStore>(std::move(opened), times);
  auto engine = OpenEngine(std::move(opened), std::nullopt);
  if (!engine.ok()) {
    std::fprintf(stderr, "open engine: %s\n", engine.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(engine).value();
}

void CheckIngest(const Result<std::vector<IngestLineResult>>& result, IngestCounts* counts) {
  if (!result.ok()) {
    std::fprintf(stderr, "ingest: %s\n", result.error().ToString().c_str());
    std::exit(1);
  }
  counts->Add(*result);
}

void Close(Engine* engine, Run* run) {
  auto close_start = Clock::now();
  if (Status closed = engine->Close(); !closed.ok()) {
    std::fprintf(stderr, "close: %s\n", closed.error().ToString().c_str());
    std::exit(1);
  }
  run->close_seconds = SecondsSince(close_start);
}

Run RunEngineEvents(const std::vector<Event>& events, size_t batch, const TempDir& dir) {
  Run run;
  run.name = "onecard IngestEvents";
  const std::string path = dir.File("events.db");
  {
    auto engine = OpenFresh(path, &run.store_times);
    run.store_times.clear();  // only what the ingest calls spend
    double timed = 0;
    double cpu = 0;
    for (size_t begin = 0; begin < events.size(); begin += batch) {
      const size_t end = std::min(events.size(), begin + batch);
      // The copy is the caller's (IngestEvents takes the vector by value); it is not timed.
      std::vector<Event> copy(events.begin() + static_cast<ptrdiff_t>(begin),
                              events.begin() + static_cast<ptrdiff_t>(end));
      auto start = Clock::now();
      const double cpu_start = CpuSeconds();
      CheckIngest(engine->IngestEvents(std::move(copy)), &run.counts);
      cpu += CpuSeconds() - cpu_start;
      timed += SecondsSince(start);
    }
    const double cpu_start = CpuSeconds();
    Close(engine.get(), &run);
    run.cpu_seconds = cpu + CpuSeconds() - cpu_start;
    run.seconds = timed + run.close_seconds;
  }
  run.db_bytes = DatabaseBytes(path);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return run;
}

Run RunEngineLines(const std::vector<std::string>& lines, size_t batch, const TempDir& dir) {
  Run run;
  run.name = "onecard IngestLines (JSONL)";
  const std::string path = dir.File("lines.db");
  {
    auto engine = OpenFresh(path, &run.store_times);
    run.store_times.clear();  // only what the ingest calls spend
    double timed = 0;
    double cpu = 0;
    std::vector<std::string_view> views;
    for (size_t begin = 0; begin < lines.size(); begin += batch) {
      const size_t end = std::min(lines.size(), begin + batch);
      views.assign(lines.begin() + static_cast<ptrdiff_t>(begin),
                   lines.begin() + static_cast<ptrdiff_t>(end));
      auto start = Clock::now();
      const double cpu_start = CpuSeconds();
      CheckIngest(engine->IngestLines(views), &run.counts);
      cpu += CpuSeconds() - cpu_start;
      timed += SecondsSince(start);
    }
    const double cpu_start = CpuSeconds();
    Close(engine.get(), &run);
    run.cpu_seconds = cpu + CpuSeconds() - cpu_start;
    run.seconds = timed + run.close_seconds;
  }
  run.db_bytes = DatabaseBytes(path);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return run;
}

// What an idempotency check by id costs per event in SQLite (onecard's store now keeps its id
// index in memory instead): a point lookup by id, each in its own autocommit read (every statement
// takes and drops the file and WAL locks with fcntl) against the same lookups inside one read
// transaction.
void LookupCost(sqlite3* db, const std::vector<Event>& events) {
  sqlite3_stmt* find = nullptr;
  Check(sqlite3_prepare_v2(db, "SELECT type FROM events WHERE id = ?", -1, &find, nullptr), db,
        "prepare find");
  const size_t count = std::min<size_t>(events.size(), 100'000);
  auto lookups = [&] {
    int64_t found = 0;
    for (size_t i = 0; i < count; ++i) {
      const std::string& id = events[i * (events.size() / count)].id;
      sqlite3_bind_text(find, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
      found += sqlite3_step(find) == SQLITE_ROW;
      sqlite3_reset(find);
    }
    return found;
  };
  auto start = Clock::now();
  lookups();
  const double autocommit = SecondsSince(start);
  start = Clock::now();
  Exec(db, "BEGIN");
  lookups();
  Exec(db, "COMMIT");
  const double in_transaction = SecondsSince(start);
  sqlite3_finalize(find);
  std::printf(
      "  lookup by id, %zu ids: autocommit %.2f us/id, inside one read transaction "
      "%.2f us/id\n",
      count, autocommit * 1e6 / static_cast<double>(count),
      in_transaction * 1e6 / static_cast<double>(count));
}

Run RunBaseline(const std::vector<Event>& events, size_t batch, const TempDir& dir) {
  Run run;
  run.name = "baseline SQLite rows";
  const std::string path = dir.File("baseline.db");
  {
    BaselineEvents baseline(path);
    auto start = Clock::now();
    const double cpu_start = CpuSeconds();
    for (size_t begin = 0; begin < events.size(); begin += batch) {
      const size_t count = std::min(events.size() - begin, batch);
      const int64_t inserted = baseline.InsertBatch(&events[begin], count);
      run.counts.accepted += inserted;
      run.counts.duplicate += static_cast<int64_t>(count) - inserted;
    }
    run.cpu_seconds = CpuSeconds() - cpu_start;
    run.seconds = SecondsSince(start);
    LookupCost(baseline.db(), events);
  }
  run.db_bytes = DatabaseBytes(path);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return run;
}

// The in-memory steps of one ingest, each over every event, single-threaded: what the engine
// does before and besides the SQLite commit.
void SubTimings(const std::vector<Event>& events, const std::vector<std::string>& lines,
                const ProgramTime& time) {
  const double n = static_cast<double>(events.size());
  auto report = [&](const char* what, double seconds) {
    std::printf("  %-44s %8.3f s  %10.0f events/s  %7.2f us/event\n", what, seconds, n / seconds,
                seconds * 1e6 / n);
  };
  std::printf("\nIn-memory sub-timings (single thread, all %zu events):\n", events.size());
  auto start = Clock::now();
  int64_t ok = 0;
  for (const std::string& line : lines) ok += DecodeEventJson(line, time).ok();
  report("DecodeEventJson (JSON -> validated Event)", SecondsSince(start));

  start = Clock::now();
  size_t bytes = 0;
  std::string chunk;
  for (size_t begin = 0; begin < events.size(); begin += sqlite::kEventChunkEventsMax) {
    const size_t size = std::min(sqlite::kEventChunkEventsMax, events.size() - begin);
    sqlite::EncodeEventChunk(&events[begin], size, &chunk);
    bytes += chunk.size();
  }
  report("EncodeEventChunk (the stored binary form)", SecondsSince(start));

  start = Clock::now();
  std::unordered_map<std::string, MemberState> states;
  int64_t rejected = 0;
  for (const Event& event : events) {
    auto [it, inserted] = states.try_emplace(event.member, event.member);
    rejected += !it->second.Apply(event, time).ok();
  }
  report("MemberState::Apply (fold, with the map lookup)", SecondsSince(start));

  start = Clock::now();
  size_t state_bytes = 0;
  for (const auto& [member, state] : states) state_bytes += EncodeMemberState(state).size();
  const double encode_seconds = SecondsSince(start);
  std::printf("  %-44s %8.3f s  (%zu members, %.0f bytes/member encoded)\n",
              "EncodeMemberState (once per member)", encode_seconds, states.size(),
              static_cast<double>(state_bytes) / static_cast<double>(states.size()));
  std::printf("  (decoded ok %lld, stored %.0f bytes/event, fold rejected %lld)\n",
              static_cast<long long>(ok), static_cast<double>(bytes) / n,
              static_cast<long long>(rejected));
}

// The raw cost of a durable commit on this disk: an empty-ish transaction, fsynced.
double CommitLatencySeconds(const TempDir& dir) {
  const std::string path = dir.File("fsync.db");
  double seconds = 0;
  {
    BaselineEvents db(path);
    Event event;
    event.id = "x";
    const int rounds = 50;
    auto start = Clock::now();
    for (int i = 0; i < rounds; ++i) {
      event.id = "x" + std::to_string(i);
      db.InsertBatch(&event, 1);
    }
    seconds = SecondsSince(start) / rounds;
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return seconds;
}

std::vector<size_t> ParseList(const std::string& text) {
  std::vector<size_t> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) values.push_back(static_cast<size_t>(std::stoll(item)));
  return values;
}

int Main(int argc, char** argv) {
  Args args(argc, argv);
  const int64_t events_max = args.Int("events", 200'000);
  const std::vector<size_t> batches = ParseList(args.Text("batches", "10000,100000"));
  SyntheticOptions options;
  options.members = args.Int("members", 5'000);
  options.months = static_cast<int32_t>(args.Int("months", 12));
  options.events_per_member_mean = static_cast<int32_t>(args.Int("mean", 40));
  options.seed = static_cast<uint64_t>(args.Int("seed", 1));
  const std::string root = args.Text("dir", "/tmp");
  const bool sub_timings = args.Int("sub-timings", 1) != 0;
  args.CheckAllUsed();

  // The program config (for its clock): from a throwaway engine over a fresh database.
  TempDir dir(root);
  ProgramTime time;
  {
    auto engine = OpenFresh(dir.File("config.db"));
    time = engine->time();
  }
  std::filesystem::remove_all(dir.path());
  std::filesystem::create_directory(dir.path());
  options.time = time;
  if (Status valid = ValidateSyntheticOptions(options); !valid.ok()) {
    std::fprintf(stderr, "%s\n", valid.error().ToString().c_str());
    return 2;
  }

  auto gen_start = Clock::now();
  std::vector<Event> events;
  events.reserve(static_cast<size_t>(events_max));
  SyntheticStream stream(options);
  Event event;
  while (static_cast<int64_t>(events.size()) < events_max && stream.Next(&event)) {
    events.push_back(event);
  }
  std::vector<std::string> lines;
  lines.reserve(events.size());
  size_t line_bytes = 0;
  for (const Event& e : events) {
    lines.push_back(EncodeEventJson(e, time));
    line_bytes += lines.back().size() + 1;
  }
  std::printf(
      "bench_ingest: %zu events (%lld members, mean %d/member/month, %lld duplicate "
      "deliveries), JSONL %.1f MiB, generated in %.1f s; dir %s; load average %s\n",
      events.size(), static_cast<long long>(options.members), options.events_per_member_mean,
      static_cast<long long>(stream.counters().duplicates),
      static_cast<double>(line_bytes) / (1 << 20), SecondsSince(gen_start), root.c_str(),
      LoadAverage().c_str());
  std::printf(
      "durable commit latency on this disk (1-row transaction, WAL, synchronous=FULL): "
      "%.2f ms\n",
      CommitLatencySeconds(dir) * 1e3);

  const double goal = 1'000'000;
  for (size_t batch : batches) {
    std::printf("\nbatch %zu events (%zu batches)\n", batch, (events.size() + batch - 1) / batch);
    Run runs[] = {RunEngineEvents(events, batch, dir), RunEngineLines(lines, batch, dir),
                  RunBaseline(events, batch, dir)};
    const double baseline_rate = static_cast<double>(events.size()) / runs[2].seconds;
    std::printf("  %-28s %9s %12s %10s %10s %10s %8s %9s\n", "", "seconds", "events/s", "vs goal",
                "vs base", "accepted", "dup", "DB MiB");
    for (const Run& run : runs) {
      const double rate = static_cast<double>(events.size()) / run.seconds;
      std::printf("  %-28s %9.3f %12.0f %9.2fx %9.2fx %10lld %8lld %9.1f\n", run.name.c_str(),
                  run.seconds, rate, rate / goal, rate / baseline_rate,
                  static_cast<long long>(run.counts.accepted),
                  static_cast<long long>(run.counts.duplicate),
                  static_cast<double>(run.db_bytes) / (1 << 20));
      std::printf("      CPU (user+sys) %.3f s = %.0f%% of wall", run.cpu_seconds,
                  100.0 * run.cpu_seconds / run.seconds);
      if (run.close_seconds > 0)
        std::printf("; final Close (checkpoint) %.3f s", run.close_seconds);
      std::printf("\n");
      double in_store = 0;
      for (const auto& [name, spent] : run.store_times) in_store += spent.seconds;
      PrintMethodTimes(run.store_times, run.seconds);
      if (!run.store_times.empty()) {
        std::printf(
            "      engine outside the store (decode, fold, state encoding) %8.3f s  "
            "%5.1f%%\n",
            run.seconds - in_store, 100.0 * (run.seconds - in_store) / run.seconds);
      }
    }
    std::printf(
        "  RESULT ingest batch=%zu onecard_events=%.0f onecard_lines=%.0f baseline=%.0f "
        "goal=%.0f\n",
        batch, static_cast<double>(events.size()) / runs[0].seconds,
        static_cast<double>(events.size()) / runs[1].seconds, baseline_rate, goal);
  }
  if (sub_timings) SubTimings(events, lines, time);
  std::printf("peak RSS %.0f MiB\n", static_cast<double>(PeakResidentBytes()) / (1 << 20));
  return 0;
}

}  // namespace
}  // namespace onecard::bench

int main(int argc, char** argv) { return onecard::bench::Main(argc, argv); }
