// How the plan and economics commands print: JSON for machines (one object per command, stable
// keys, money as decimal strings, instants in program time) and sentences or tables for people.
#pragma once

#include <string>

#include "core/plan_economics.h"
#include "engine/plan_service.h"

namespace onecard::cli {

std::string ReceiptJson(const PlanReceipt& receipt, const ProgramTime& time);
std::string ReceiptText(const PlanReceipt& receipt, const ProgramTime& time);
std::string ReportJson(const PlanReport& report, const ProgramTime& time);
std::string ReportText(const PlanReport& report, const ProgramTime& time);
std::string RenewDueJson(const RenewDueReport& report, const ProgramTime& time);
std::string RenewDueText(const RenewDueReport& report, const ProgramTime& time);

std::string EconomicsJson(const PlanEconomics& economics);
std::string EconomicsCsv(const PlanEconomics& economics);
std::string EconomicsTable(const PlanEconomics& economics);

}  // namespace onecard::cli
