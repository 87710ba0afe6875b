// How the plan and economics commands print: sentences or tables for people; JSON for machines is
// engine/plan_json.h (shared with the HTTP API).
#pragma once

#include <string>

#include "core/plan_economics.h"
#include "engine/plan_json.h"
#include "engine/plan_service.h"

namespace onecard::cli {

std::string ReceiptText(const PlanReceipt& receipt, const ProgramTime& time);
std::string ReportText(const PlanReport& report, const ProgramTime& time);
std::string RenewDueText(const RenewDueReport& report, const ProgramTime& time);

std::string EconomicsCsv(const PlanEconomics& economics);
std::string EconomicsTable(const PlanEconomics& economics);

}  // namespace onecard::cli
