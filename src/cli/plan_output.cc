#include "cli/plan_output.h"

#include <utility>
#include <vector>

#include "cli/cli_common.h"
#include "cli/output.h"

namespace onecard::cli {
namespace {

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

std::string ReceiptText(const PlanReceipt& receipt, const ProgramTime& time) {
  return receipt.member + ": " + EntryText(receipt.entry, time) +
         (receipt.replayed ? " (a retry: this key was used before)" : "") + "\nplan " +
         std::string(PlanStatusName(receipt.status)) + ", paid until " +
         time.FormatLocal(receipt.paid_until) + "\n";
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

std::string EconomicsCsv(const PlanEconomics& economics) {
  std::string header;
  std::string row;
  for (const auto& [name, value] : EconomicsFigures(economics)) {
    header += (header.empty() ? "" : ",") + name;
    row += (row.empty() ? "" : ",") + CsvField(value);
  }
  return header + "\n" + row + "\n";
}

std::string EconomicsTable(const PlanEconomics& economics) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, value] : EconomicsFigures(economics)) {
    rows.push_back({name, value.empty() ? "-" : value});
  }
  return RenderTable({"figure", "value"}, rows);
}

}  // namespace onecard::cli
