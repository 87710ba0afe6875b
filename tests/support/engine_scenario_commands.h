// The score engine's scenario commands (ingest, publish, scores, breakdown, tiers, invite,
// accept; tests/scenarios/README.md), shared by the scenario runners.
#pragma once

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/breakdown_codec.h"
#include "engine/engine.h"
#include "support/scenario_file.h"

namespace onecard::test_support {

inline std::string DescribeMonth(const MonthBreakdown& m) {
  std::ostringstream out;
  out << FormatMonthKey(m.month) << " orders " << m.orders << " capped " << m.orders_capped << " P "
      << m.order_points << " D " << m.day_sum << " S " << m.shop_sum << " C " << m.category_sum
      << " shopping " << m.shopping << " bound " << ShoppingBoundName(m.bound) << " reviews "
      << m.review_points << " social " << m.social_points << " reward " << m.reward << " active "
      << (m.active ? "yes" : "no");
  return out.str();
}

inline std::vector<std::string> DescribeBreakdown(const ScoreBreakdown& b) {
  std::ostringstream head;
  head << "score " << b.score << " base " << b.credit_base << " multiplier "
       << b.multiplier_permille << " credit " << b.credit_level << " shopping " << b.shopping
       << " reward " << b.reward << " active " << b.active << " breadth " << b.breadth
       << " categories " << b.categories << " net_spend " << FormatMoney(b.net_spend) << " caps "
       << b.caps;
  std::vector<std::string> lines = {head.str()};
  for (const MonthBreakdown& m : b.months) {
    if (m.orders > 0 || m.review_points > 0 || m.social_points > 0) {
      lines.push_back(DescribeMonth(m));
    }
  }
  return lines;
}

class EngineScenarioCommands {
 public:
  explicit EngineScenarioCommands(Engine* engine) : engine_(engine) {}

  // The block's actual output lines, or nothing when the command is not an engine command.
  std::optional<std::vector<std::string>> Run(const ScenarioBlock& block) {
    const std::vector<std::string> words = Words(block.command);
    const std::string& verb = words[0];
    if (verb == "ingest") return Ingest(block.input);
    if (verb == "publish") return std::vector<std::string>{Publish(words)};
    if (verb == "scores") return Scores(words.at(1));
    if (verb == "breakdown") return Breakdown(words.at(1), words.at(2));
    if (verb == "tiers") return Tiers(words.at(1));
    if (verb == "invite" || verb == "accept") {
      return std::vector<std::string>{Invitation(verb, words.at(1))};
    }
    return std::nullopt;
  }

 private:
  std::vector<std::string> Ingest(const std::vector<std::string>& lines) {
    std::vector<std::string_view> views(lines.begin(), lines.end());
    auto results = engine_->IngestLines(views);
    if (!results.ok()) return {Outcome(results.error())};
    std::vector<std::string> out;
    for (const IngestLineResult& result : *results) {
      std::string text(IngestOutcomeName(result.outcome));
      if (result.error) text += " " + std::string(ErrorCodeName(result.error->code));
      out.push_back(text);
    }
    return out;
  }

  std::string Publish(const std::vector<std::string>& words) {
    auto month = ParseMonthKey(words.at(1));
    if (!month.ok()) return Outcome(month.error());
    Instant now{4'102'444'800'000'000};  // 2100-01-01: every month's instant has passed
    if (words.size() >= 4 && words[2] == "now") {
      now = engine_->time().ParseTimestamp(words[3]).value();
    }
    auto info = engine_->Publish(*month, now);
    if (!info.ok()) return Outcome(info.error());
    return "ok " + std::to_string(info->members) + " members";
  }

  std::vector<std::string> Scores(const std::string& month_text) {
    auto month = ParseMonthKey(month_text);
    if (!month.ok()) return {Outcome(month.error())};
    std::vector<std::string> out = {
        "member,score,tier,shopping,reward,active,breadth,credit_level"};
    Status status = engine_->ForEachScore(*month, [&](const PublishedRow& r) -> Status {
      std::ostringstream row;
      row << r.member << ',' << r.score << ',' << r.tier << ',' << r.shopping << ',' << r.reward
          << ',' << r.active << ',' << r.breadth << ',' << r.credit_level;
      out.push_back(row.str());
      return Status::Ok();
    });
    if (!status.ok()) return {Outcome(status)};
    return out;
  }

  std::vector<std::string> Breakdown(const std::string& month_text, const std::string& member) {
    auto month = ParseMonthKey(month_text);
    if (!month.ok()) return {Outcome(month.error())};
    auto row = engine_->store().LoadPublishedRow(*month, member);
    if (!row.ok()) return {Outcome(row.error())};
    if (!row->has_value()) return {"no row"};
    auto breakdown = DecodeBreakdown((*row)->breakdown);
    if (!breakdown.ok()) return {Outcome(breakdown.error())};
    std::vector<std::string> out = DescribeBreakdown(*breakdown);
    out.insert(out.begin(), "tier " + (*row)->tier);
    return out;
  }

  std::vector<std::string> Tiers(const std::string& month_text) {
    auto month = ParseMonthKey(month_text);
    if (!month.ok()) return {Outcome(month.error())};
    auto counts = engine_->Tiers(*month);
    if (!counts.ok()) return {Outcome(counts.error())};
    std::vector<std::string> out;
    for (const TierCount& count : *counts) {
      out.push_back(count.tier + " " + std::to_string(count.members));
    }
    return out;
  }

  std::string Invitation(const std::string& verb, const std::string& member) {
    const Instant now{4'102'444'800'000'000};
    auto result = verb == "invite" ? engine_->Invite(member, now) : engine_->Accept(member, now);
    return result.ok() ? "ok" : Outcome(result.error());
  }

  Engine* engine_;
};

}  // namespace onecard::test_support
