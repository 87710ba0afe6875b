#include "cli/plan_output.h"

#include <utility>
#include <vector>

#include "cli/cli_common.h"
#include "cli/output.h"

namespace onecard::cli {
namespace {

std::string Bool(bool value) { return value ? "true" : "false"; }

std::string MonthJson(const std::optional<MonthKey>& month) {
  return month.has_value() ? JsonString(FormatMonthKey(*month)) : "null";
}

std::string TermJson(const PlanTerm& term, const ProgramTime& time) {
  return "{\"start\":" + JsonString(time.FormatLocal(term.start)) +
         ",\"end\":" + JsonString(time.FormatLocal(term.end)) + "}";
}

std::string EntryJson(const PlanEntry& e, const ProgramTime& time) {
  std::string out = "{\"seq\":" + std::to_string(e.seq) +
                    ",\"kind\":" + JsonString(PlanEntryKindName(e.kind)) +
                    ",\"at\":" + JsonString(time.FormatLocal(e.at));
  if (IsPlanCharge(e.kind) || e.kind == PlanEntryKind::kRefund) {
    out +=
        ",\"amount\":" + JsonString(FormatMoney(e.amount)) +
        ",\"score\":" + std::to_string(e.score) + ",\"publication\":" + MonthJson(e.publication) +
        ",\"rule_version\":" + JsonString(e.rule_version) + ",\"term\":" + TermJson(e.term, time);
  }
  if (e.kind == PlanEntryKind::kRefund)
    out += ",\"refunded_seq\":" + std::to_string(e.refunded_seq);
  if (e.kind == PlanEntryKind::kRenewal) out += ",\"automatic\":" + Bool(e.automatic);
  if (!IsPlanCharge(e.kind) && e.kind != PlanEntryKind::kRefund) {
    out += ",\"reason\":" + JsonString(e.reason);
  }
  return out + "}";
}

std::string ErrorJson(const Error& error) {
  return "{\"code\":" + JsonString(ErrorCodeName(error.code)) +
         ",\"field\":" + JsonString(error.field) + ",\"message\":" + JsonString(error.message) +
         "}";
}

std::string EntryText(const PlanEntry& e, const ProgramTime& time) {
  std::string out = std::string(PlanEntryKindName(e.kind)) + " #" + std::to_string(e.seq) + " at " +
                    time.FormatLocal(e.at);
  if (e.kind == PlanEntryKind::kRefund) {
    return out + ": " + FormatMoney(e.amount) + " refunded (charge #" +
           std::to_string(e.refunded_seq) + ")";
  }
  if (!IsPlanCharge(e.kind)) return out + (e.reason.empty() ? "" : ": " + e.reason);
  const std::string publication =
      e.publication ? "the " + FormatMonthKey(*e.publication) + " publication" : "no publication";
  return out + (e.automatic ? " (automatic)" : "") + ": " + FormatMoney(e.amount) + " for score " +
         std::to_string(e.score) + " (" + publication + ", rules " + e.rule_version + "), term " +
         time.FormatLocal(e.term.start) + " to " + time.FormatLocal(e.term.end);
}

}  // namespace

std::string ReceiptJson(const PlanReceipt& receipt, const ProgramTime& time) {
  // A retry prints exactly what the first request printed: "replayed" is not part of it.
  return "{\"member\":" + JsonString(receipt.member) +
         ",\"entry\":" + EntryJson(receipt.entry, time) +
         ",\"status\":" + JsonString(PlanStatusName(receipt.status)) +
         ",\"paid_until\":" + JsonString(time.FormatLocal(receipt.paid_until)) + "}";
}

std::string ReceiptText(const PlanReceipt& receipt, const ProgramTime& time) {
  return receipt.member + ": " + EntryText(receipt.entry, time) +
         (receipt.replayed ? " (a retry: this key was used before)" : "") + "\nplan " +
         std::string(PlanStatusName(receipt.status)) + ", paid until " +
         time.FormatLocal(receipt.paid_until) + "\n";
}

std::string ReportJson(const PlanReport& r, const ProgramTime& time) {
  std::string out =
      "{\"member\":" + JsonString(r.member) +
      ",\"status\":" + JsonString(PlanStatusName(r.status)) + ",\"paid\":" + Bool(r.paid) +
      ",\"auto_renew\":" + Bool(r.auto_renew) +
      ",\"term\":" + (r.term ? TermJson(*r.term, time) : "null") +
      ",\"paid_until\":" + (r.term ? JsonString(time.FormatLocal(r.paid_until)) : "null") +
      ",\"last_charge\":" + (r.last_charge ? EntryJson(*r.last_charge, time) : "null");
  out += ",\"publication\":" + MonthJson(r.basis.publication) +
         ",\"score\":" + std::to_string(r.basis.score) +
         ",\"tier\":" + (r.basis.tier.empty() ? "null" : JsonString(r.basis.tier)) +
         ",\"price\":" + JsonString(FormatMoney(r.price_now)) +
         ",\"eligible\":" + Bool(!r.not_eligible.has_value());
  if (r.not_eligible) out += ",\"not_eligible\":" + ErrorJson(*r.not_eligible);
  out += ",\"history\":[";
  for (size_t i = 0; i < r.history.size(); ++i) {
    out += (i ? "," : "") + EntryJson(r.history[i], time);
  }
  return out + "]}";
}

std::string ReportText(const PlanReport& r, const ProgramTime& time) {
  std::string out = "member " + r.member + ": plan " + std::string(PlanStatusName(r.status)) +
                    (r.paid ? " (paid)" : " (not paid)") + ", automatic renewal " +
                    (r.auto_renew ? "on" : "off") + "\n";
  if (r.term) {
    out += "term " + time.FormatLocal(r.term->start) + " to " + time.FormatLocal(r.term->end) +
           "; paid until " + time.FormatLocal(r.paid_until) + "\n";
  }
  out += (r.basis.publication
              ? "latest publication " + FormatMonthKey(*r.basis.publication) + ": score " +
                    std::to_string(r.basis.score) + ", tier " + r.basis.tier
              : std::string("never published (priced as score 0)")) +
         "; the plan costs " + FormatMoney(r.price_now) + " now" +
         (r.not_eligible ? " but may not be bought: " + r.not_eligible->message : "") + "\n";
  for (const PlanEntry& entry : r.history) out += "  " + EntryText(entry, time) + "\n";
  return out;
}

std::string RenewDueJson(const RenewDueReport& report, const ProgramTime& time) {
  std::string out = "{\"renewed\":" + std::to_string(report.renewed) +
                    ",\"lapsed\":" + std::to_string(report.lapsed) +
                    ",\"more\":" + Bool(report.more) + ",\"outcomes\":[";
  for (size_t i = 0; i < report.outcomes.size(); ++i) {
    const RenewDueOutcome& o = report.outcomes[i];
    out += std::string(i ? "," : "") + "{\"member\":" + JsonString(o.member);
    out += o.receipt ? ",\"result\":\"renewed\",\"entry\":" + EntryJson(o.receipt->entry, time)
                     : ",\"result\":\"lapsed\",\"error\":" + ErrorJson(*o.error);
    out += "}";
  }
  return out + "]}";
}

std::string RenewDueText(const RenewDueReport& report, const ProgramTime& time) {
  std::string out;
  for (const RenewDueOutcome& o : report.outcomes) {
    out += o.receipt
               ? o.member + ": " + EntryText(o.receipt->entry, time) + "\n"
               : o.member + ": not renewed, automatic renewal turned off: " + o.error->ToString() +
                     "\n";
  }
  out += "renewed " + Thousands(report.renewed) + ", lapsed " + Thousands(report.lapsed) +
         (report.more ? "; the limit was reached: run again for the rest" : "") + "\n";
  return out;
}

namespace {

// The economics as (name, value) pairs in a fixed order, shared by the three formats. Money is a
// decimal string; a figure per paid member is empty when the month had none.
std::vector<std::pair<std::string, std::string>> EconomicsFields(const PlanEconomics& e) {
  auto per = [](const std::optional<Money>& money) {
    return money ? FormatMoney(*money) : std::string();
  };
  return {
      {"month", FormatMonthKey(e.month)},
      {"charges", std::to_string(e.fees.charges)},
      {"fees", FormatMoney(e.fees.charged)},
      {"refunds", std::to_string(e.fees.refunds)},
      {"refunded", FormatMoney(e.fees.refunded)},
      {"net_fees", FormatMoney(e.fees.net())},
      {"paying_members", std::to_string(e.fees.paying_members)},
      {"paid_members", std::to_string(e.fees.paid_members)},
      {"subsidy", FormatMoney(e.subsidy.cost)},
      {"benefit_uses", std::to_string(e.subsidy.uses)},
      {"benefit_members", std::to_string(e.subsidy.members)},
      {"net", FormatMoney(e.net)},
      {"net_fees_per_paid_member", per(e.net_fees_per_paid_member)},
      {"subsidy_per_paid_member", per(e.subsidy_per_paid_member)},
      {"net_per_paid_member", per(e.net_per_paid_member)},
  };
}

bool IsMoneyField(const std::string& name) {
  return name == "fees" || name == "refunded" || name == "net_fees" || name == "subsidy" ||
         name == "net" || name.find("_per_paid_member") != std::string::npos;
}

}  // namespace

std::string EconomicsJson(const PlanEconomics& economics) {
  std::string out = "{";
  for (const auto& [name, value] : EconomicsFields(economics)) {
    if (out.size() > 1) out += ",";
    out += JsonString(name) + ":";
    if (value.empty()) {
      out += "null";
    } else if (name == "month" || IsMoneyField(name)) {
      out += JsonString(value);
    } else {
      out += value;
    }
  }
  return out + "}\n";
}

std::string EconomicsCsv(const PlanEconomics& economics) {
  std::string header;
  std::string row;
  for (const auto& [name, value] : EconomicsFields(economics)) {
    header += (header.empty() ? "" : ",") + name;
    row += (row.empty() ? "" : ",") + CsvField(value);
  }
  return header + "\n" + row + "\n";
}

std::string EconomicsTable(const PlanEconomics& economics) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, value] : EconomicsFields(economics)) {
    rows.push_back({name, value.empty() ? "-" : value});
  }
  return RenderTable({"figure", "value"}, rows);
}

}  // namespace onecard::cli
