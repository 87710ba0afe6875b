// `onecard ingest` (canonical JSONL) and `onecard import online-retail` (the UCI retail year).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/line_reader.h"
#include "core/limits.h"
#include "engine/online_retail.h"

namespace onecard::cli {
namespace {

void PrintSummary(const IngestCounts& counts) {
  std::printf("accepted %s, duplicate %s, rejected %s\n", Thousands(counts.accepted).c_str(),
              Thousands(counts.duplicate).c_str(), Thousands(counts.rejected).c_str());
}

// Ingests one batch and reports each rejected line by its line number in the input.
Status IngestBatch(Engine& engine, const std::vector<std::string>& lines,
                   const std::vector<int64_t>& line_numbers, IngestCounts* counts) {
  std::vector<std::string_view> views(lines.begin(), lines.end());
  auto results = engine.IngestLines(views);
  if (!results.ok()) return results.error();
  counts->Add(*results);
  for (size_t i = 0; i < results->size(); ++i) {
    const IngestLineResult& result = (*results)[i];
    if (result.outcome == IngestOutcome::kRejected) {
      std::fprintf(stderr, "line %lld: rejected %s\n", static_cast<long long>(line_numbers[i]),
                   result.error->ToString().c_str());
    }
  }
  return Status::Ok();
}

int RunIngest(const GlobalOptions& global, const std::string& input, int64_t batch_events) {
  auto engine = OpenEngineFor(global, /*create_database=*/true);
  if (!engine.ok()) return Fail(engine.error());
  LineReader reader;
  if (Status opened = reader.Open(input, limits::kEventLineBytesMax); !opened.ok()) {
    return Fail(opened.error());
  }
  Progress progress("ingest", reader.total_bytes());
  IngestCounts counts;
  std::vector<std::string> batch;
  std::vector<int64_t> line_numbers;
  auto flush = [&]() -> Status {
    progress.Clear();  // rejections are printed on lines of their own
    Status status = IngestBatch(**engine, batch, line_numbers, &counts);
    batch.clear();
    line_numbers.clear();
    progress.Update(reader.bytes_read(), Thousands(counts.accepted) + " accepted");
    return status;
  };
  std::string line;
  int64_t line_number = 0;
  while (reader.Next(&line)) {
    ++line_number;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines are skipped
    batch.push_back(line);
    line_numbers.push_back(line_number);
    if (static_cast<int64_t>(batch.size()) >= batch_events) {
      if (Status s = flush(); !s.ok()) return Fail(s.error());
    }
  }
  if (!batch.empty()) {
    if (Status s = flush(); !s.ok()) return Fail(s.error());
  }
  progress.Finish();
  if (Status read = reader.status(); !read.ok()) {
    PrintSummary(counts);
    (void)(*engine)->Close();
    return Fail(read.error());
  }
  if (Status closed = (*engine)->Close(); !closed.ok()) return Fail(closed.error());
  PrintSummary(counts);
  return 0;
}

int RunImportOnlineRetail(const GlobalOptions& global, const std::string& path,
                          int64_t batch_events) {
  auto engine = OpenEngineFor(global, /*create_database=*/true);
  if (!engine.ok()) return Fail(engine.error());
  Progress progress("import", 0);
  IngestCounts counts;
  std::vector<Event> batch;
  auto flush = [&]() -> Status {
    progress.Clear();  // rejections are printed on lines of their own
    auto results = (*engine)->IngestEvents(std::move(batch));
    batch.clear();
    if (!results.ok()) return results.error();
    counts.Add(*results);
    for (const IngestLineResult& result : *results) {
      if (result.outcome == IngestOutcome::kRejected) {
        std::fprintf(stderr, "rejected %s\n", result.error->ToString().c_str());
      }
    }
    progress.Update(0,
                    Thousands(counts.accepted + counts.duplicate + counts.rejected) + " invoices");
    return Status::Ok();
  };
  OnlineRetailStats stats;
  Status status = ReadOnlineRetail(
      path, (*engine)->time(),
      [&](const Event& event) -> Status {
        batch.push_back(event);
        if (static_cast<int64_t>(batch.size()) >= batch_events) return flush();
        return Status::Ok();
      },
      &stats);
  if (status.ok() && !batch.empty()) status = flush();
  progress.Finish();
  if (status.ok()) status = (*engine)->Close();
  if (!status.ok()) return Fail(status.error());
  std::printf(
      "read %s rows, %s invoices: %s purchases, %s refunds, %s guest invoices and %s "
      "adjustments skipped, %s anomalies; %s customers\n",
      Thousands(stats.rows).c_str(), Thousands(stats.invoices).c_str(),
      Thousands(stats.purchases).c_str(), Thousands(stats.refunds).c_str(),
      Thousands(stats.guest_invoices).c_str(), Thousands(stats.adjustment_invoices).c_str(),
      Thousands(stats.anomalies).c_str(), Thousands(stats.customers).c_str());
  PrintSummary(counts);
  return 0;
}

}  // namespace

void AddEventCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  struct Options {
    std::string input = "-";
    std::string csv_path;
    int64_t batch_events = 10'000;
  };
  auto options = std::make_shared<Options>();
  CLI::App* ingest = app.add_subcommand(
      "ingest", "Ingest canonical JSONL events (one JSON object per line) durably");
  ingest->add_option("input", options->input, "JSONL file, or - for standard input")
      ->capture_default_str();
  ingest->add_option("--batch", options->batch_events, "events per durable commit")
      ->check(CLI::Range(int64_t{1}, limits::kIngestBatchEventsMax))
      ->capture_default_str();
  ingest->callback([&global, run, options]() {
    *run = [&global, options]() {
      return RunIngest(global, options->input, options->batch_events);
    };
  });

  CLI::App* import = app.add_subcommand("import", "Import a known dataset as events");
  import->require_subcommand(1);
  CLI::App* retail = import->add_subcommand(
      "online-retail", "The UCI Online Retail year (CSV, or .csv.zst compressed)");
  retail->add_option("csv", options->csv_path, "the dataset file")
      ->required()
      ->check(CLI::ExistingFile);
  retail->add_option("--batch", options->batch_events, "events per durable commit")
      ->check(CLI::Range(int64_t{1}, limits::kIngestBatchEventsMax));
  retail->callback([&global, run, options]() {
    *run = [&global, options]() {
      return RunImportOnlineRetail(global, options->csv_path, options->batch_events);
    };
  });
}

}  // namespace onecard::cli
