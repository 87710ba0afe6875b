// `onecard publish`, `scores`, `tiers` and `member`: making and reading publications.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "core/breakdown_codec.h"
#include "engine/explain.h"

namespace onecard::cli {
namespace {

// ["order","day"]: the caps that bit, as a JSON array of names.
std::string CapsJson(uint32_t caps) {
  std::string out = "[";
  for (std::string_view name : CapBitNames(caps)) {
    if (out.size() > 1) out += ',';
    out += JsonString(name);
  }
  return out + "]";
}

std::vector<std::string> RowCells(const PublishedRow& r) {
  return {r.member,
          std::to_string(r.score),
          r.tier,
          std::to_string(r.shopping),
          std::to_string(r.reward),
          std::to_string(r.active),
          std::to_string(r.breadth),
          std::to_string(r.credit_level)};
}

const std::vector<std::string>& ScoreHeader() {
  static const std::vector<std::string> kHeader = {"member", "score",  "tier",    "shopping",
                                                   "reward", "active", "breadth", "credit_level"};
  return kHeader;
}

std::string JsonRow(const PublishedRow& r) {
  return "{\"member\":" + JsonString(r.member) + ",\"score\":" + std::to_string(r.score) +
         ",\"tier\":" + JsonString(r.tier) + ",\"shopping\":" + std::to_string(r.shopping) +
         ",\"reward\":" + std::to_string(r.reward) + ",\"active\":" + std::to_string(r.active) +
         ",\"breadth\":" + std::to_string(r.breadth) +
         ",\"credit_level\":" + std::to_string(r.credit_level) + ",\"caps\":" + CapsJson(r.caps) +
         "}";
}

struct ScoresOptions {
  std::string month;
  std::string format = "table";
  int64_t top = 0;
  bool explain = false;
};

Result<MonthKey> MonthOption(const std::string& text) {
  auto month = ParseMonthKey(text);
  if (!month.ok()) return MakeError(ErrorCode::kInvalidMonth, "month", month.error().message);
  return month;
}

int RunPublish(const GlobalOptions& global, const std::string& month_text) {
  auto month = MonthOption(month_text);
  if (!month.ok()) return Fail(month.error());
  auto engine = OpenEngineFor(global, /*create_database=*/false);
  if (!engine.ok()) return Fail(engine.error());
  auto now = Now(global, (*engine)->time());
  if (!now.ok()) return Fail(now.error());
  auto info = (*engine)->Publish(*month, *now);
  if (!info.ok()) return Fail(info.error());
  std::printf("published %s: %s members scored on events before %s (rules %s)\n",
              FormatMonthKey(info->month).c_str(), Thousands(info->members).c_str(),
              (*engine)->time().FormatLocal(info->instant).c_str(), info->rule_version.c_str());
  return 0;
}

// Writes rows as they come for CSV and JSON, so that a publication of any size streams out in
// constant memory; a table for people needs every row first to size its columns.
class ScorePrinter {
 public:
  explicit ScorePrinter(Format format) : format_(format) {
    if (format_ == Format::kCsv) {
      std::string header;
      for (size_t c = 0; c < ScoreHeader().size(); ++c) header += (c ? "," : "") + ScoreHeader()[c];
      std::puts(header.c_str());
    } else if (format_ == Format::kJson) {
      std::fputs("[", stdout);
    }
  }

  void Print(const PublishedRow& row) {
    if (format_ == Format::kCsv) {
      const auto cells = RowCells(row);
      std::string line;
      for (size_t c = 0; c < cells.size(); ++c) line += (c ? "," : "") + CsvField(cells[c]);
      std::puts(line.c_str());
    } else if (format_ == Format::kJson) {
      std::fputs(rows_ ? ",\n " : "", stdout);
      std::fputs(JsonRow(row).c_str(), stdout);
    } else {
      table_.push_back(RowCells(row));
    }
    ++rows_;
  }

  void Finish() {
    if (format_ == Format::kJson) {
      std::fputs("]\n", stdout);
    } else if (format_ == Format::kTable) {
      std::fputs(RenderTable(ScoreHeader(), table_).c_str(), stdout);
    }
  }

 private:
  Format format_;
  int64_t rows_ = 0;
  std::vector<std::vector<std::string>> table_;
};

// Keeps the N highest scores seen (equal scores: the earlier member, i.e. the smaller id).
class TopScores {
 public:
  explicit TopScores(int64_t limit) : limit_(static_cast<size_t>(limit)) {}
  void Offer(const PublishedRow& row) {
    if (rows_.size() == limit_ && row.score <= rows_.back().score) return;
    auto at =
        std::upper_bound(rows_.begin(), rows_.end(), row.score,
                         [](int64_t score, const PublishedRow& r) { return score > r.score; });
    rows_.insert(at, row);
    if (rows_.size() > limit_) rows_.pop_back();
  }
  const std::vector<PublishedRow>& rows() const { return rows_; }

 private:
  size_t limit_;
  std::vector<PublishedRow> rows_;
};

int RunScores(const GlobalOptions& global, const ScoresOptions& options) {
  auto month = MonthOption(options.month);
  if (!month.ok()) return Fail(month.error());
  const Format format = options.format == "csv"    ? Format::kCsv
                        : options.format == "json" ? Format::kJson
                                                   : Format::kTable;
  auto engine = OpenEngineFor(global, /*create_database=*/false);
  if (!engine.ok()) return Fail(engine.error());
  if (options.top == 0) {
    ScorePrinter printer(format);
    Status status = (*engine)->ForEachScore(*month, [&](const PublishedRow& row) -> Status {
      printer.Print(row);
      return Status::Ok();
    });
    if (!status.ok()) return Fail(status.error());
    printer.Finish();
    return 0;
  }
  TopScores top(options.top);
  Status status = (*engine)->ForEachScore(*month, [&](const PublishedRow& row) -> Status {
    top.Offer(row);
    return Status::Ok();
  });
  if (!status.ok()) return Fail(status.error());
  ScorePrinter printer(format);
  for (const PublishedRow& row : top.rows()) printer.Print(row);
  printer.Finish();
  if (options.explain && format == Format::kTable) {
    for (const PublishedRow& row : top.rows()) {
      auto breakdown = DecodeBreakdown(row.breakdown);
      if (!breakdown.ok()) return Fail(breakdown.error());
      std::printf("\n%s (%s):\n", row.member.c_str(), row.tier.c_str());
      for (const std::string& line : ExplainBreakdown(*breakdown, (*engine)->config())) {
        std::printf("  %s\n", line.c_str());
      }
    }
  }
  return 0;
}

int RunTiers(const GlobalOptions& global, const std::string& month_text) {
  auto month = MonthOption(month_text);
  if (!month.ok()) return Fail(month.error());
  auto engine = OpenEngineFor(global, /*create_database=*/false);
  if (!engine.ok()) return Fail(engine.error());
  auto counts = (*engine)->Tiers(*month);
  if (!counts.ok()) return Fail(counts.error());
  int64_t total = 0;
  for (const TierCount& count : *counts) total += count.members;
  std::vector<std::vector<std::string>> rows;
  for (const TierCount& count : *counts) {
    const int64_t tenths = total == 0 ? 0 : (count.members * 1000 + total / 2) / total;
    rows.push_back({count.tier, Thousands(count.members),
                    std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%"});
  }
  rows.push_back({"total", Thousands(total), total == 0 ? "0.0%" : "100.0%"});
  std::printf("tiers published for %s\n", FormatMonthKey(*month).c_str());
  std::fputs(RenderTable({"tier", "members", "share"}, rows).c_str(), stdout);
  return 0;
}

int RunMember(const GlobalOptions& global, const std::string& member) {
  auto engine = OpenEngineFor(global, /*create_database=*/false);
  if (!engine.ok()) return Fail(engine.error());
  auto report = (*engine)->Member(member);
  if (!report.ok()) return Fail(report.error());
  std::printf("member %s: %s %s received, %zu %s\n", report->member.c_str(),
              Thousands(report->events).c_str(), report->events == 1 ? "event" : "events",
              report->publications.size(),
              report->publications.size() == 1 ? "publication" : "publications");
  if (report->invitation.has_value()) {
    const Invitation& inv = *report->invitation;
    std::printf("invited after the %s publication on %s; %s\n", FormatMonthKey(inv.month).c_str(),
                (*engine)->time().FormatLocal(inv.invited_at).c_str(),
                inv.accepted_at
                    ? ("accepted on " + (*engine)->time().FormatLocal(*inv.accepted_at)).c_str()
                    : "not accepted yet");
  }
  for (const MemberPublication& publication : report->publications) {
    std::printf("\n%s: score %lld, tier %s\n", FormatMonthKey(publication.info.month).c_str(),
                static_cast<long long>(publication.row.score), publication.row.tier.c_str());
    for (const std::string& line : ExplainBreakdown(publication.breakdown, (*engine)->config())) {
      std::printf("  %s\n", line.c_str());
    }
  }
  return 0;
}

}  // namespace

void AddScoreCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  auto options = std::make_shared<ScoresOptions>();
  auto member = std::make_shared<std::string>();

  CLI::App* publish = app.add_subcommand(
      "publish", "Freeze scores, breakdowns and tiers of every member for a month");
  publish->add_option("--month", options->month, "YYYY-MM")->required();
  publish->callback([&global, run, options]() {
    *run = [&global, options]() { return RunPublish(global, options->month); };
  });

  CLI::App* scores = app.add_subcommand("scores", "The published scores of a month");
  scores->add_option("--month", options->month, "YYYY-MM")->required();
  scores->add_option("--format", options->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  scores->add_option("--top", options->top, "only the N highest scores")
      ->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
  scores->add_flag("--explain", options->explain, "explain each row in words (table format)");
  scores->callback([&global, run, options]() {
    *run = [&global, options]() { return RunScores(global, *options); };
  });

  CLI::App* tiers = app.add_subcommand("tiers", "How many members each tier holds in a month");
  tiers->add_option("--month", options->month, "YYYY-MM")->required();
  tiers->callback([&global, run, options]() {
    *run = [&global, options]() { return RunTiers(global, options->month); };
  });

  CLI::App* member_cmd =
      app.add_subcommand("member", "A member's publications, each explained in words");
  member_cmd->add_option("id", *member, "the member id")->required();
  member_cmd->callback([&global, run, member]() {
    *run = [&global, member]() { return RunMember(global, *member); };
  });
}

}  // namespace onecard::cli
