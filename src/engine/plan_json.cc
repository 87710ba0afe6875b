#include "engine/plan_json.h"

#include <boost/json.hpp>
#include <utility>

namespace onecard {
namespace {

std::string JsonString(std::string_view text) {
  return boost::json::serialize(boost::json::value(boost::json::string(text)));
}

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

}  // namespace

std::string ReceiptJson(const PlanReceipt& receipt, const ProgramTime& time) {
  return "{\"member\":" + JsonString(receipt.member) +
         ",\"entry\":" + EntryJson(receipt.entry, time) +
         ",\"status\":" + JsonString(PlanStatusName(receipt.status)) +
         ",\"paid_until\":" + JsonString(time.FormatLocal(receipt.paid_until)) + "}";
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

std::vector<std::pair<std::string, std::string>> EconomicsFigures(const PlanEconomics& e) {
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

bool IsEconomicsMoneyFigure(const std::string& name) {
  return name == "fees" || name == "refunded" || name == "net_fees" || name == "subsidy" ||
         name == "net" || name.find("_per_paid_member") != std::string::npos;
}

std::string EconomicsJson(const PlanEconomics& economics) {
  std::string out = "{";
  for (const auto& [name, value] : EconomicsFigures(economics)) {
    if (out.size() > 1) out += ",";
    out += JsonString(name) + ":";
    if (value.empty()) {
      out += "null";
    } else if (name == "month" || IsEconomicsMoneyFigure(name)) {
      out += JsonString(value);
    } else {
      out += value;
    }
  }
  return out + "}";
}

}  // namespace onecard
