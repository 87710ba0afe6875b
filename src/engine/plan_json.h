// The paid plan's answers as JSON, for `onecard plan|economics --format json` and the HTTP API
// alike: one object per answer, stable keys, money as decimal strings, instants in program time.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/plan_economics.h"
#include "engine/plan_service.h"

namespace onecard {

// A retry prints exactly what the first request printed: "replayed" is not part of it.
std::string ReceiptJson(const PlanReceipt& receipt, const ProgramTime& time);
std::string ReportJson(const PlanReport& report, const ProgramTime& time);
std::string RenewDueJson(const RenewDueReport& report, const ProgramTime& time);

// The economics as (name, value) pairs in a fixed order, shared by JSON, CSV and tables. Money is
// a decimal string; a figure per paid member is empty when the month had none.
std::vector<std::pair<std::string, std::string>> EconomicsFigures(const PlanEconomics& economics);
bool IsEconomicsMoneyFigure(const std::string& name);
std::string EconomicsJson(const PlanEconomics& economics);

}  // namespace onecard
