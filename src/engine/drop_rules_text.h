// A drop's rules as an operator writes them — `onecard drops open --weekdays tue,thu --time 10:00
// …` or the body of POST /v1/drops — read into DropRules. Only the form is read here; the rules
// themselves are checked by DropService::OpenDrop (ValidateDropRules).
#pragma once

#include <cstdint>
#include <string>

#include "core/drop_rules.h"
#include "core/result.h"

namespace onecard {

struct DropRulesText {
  std::string id;
  std::string product;
  std::string mode = "first_come";  // or "lottery"
  std::string weekdays;             // "tue,thu,sat"; or a one-off `date`
  std::string date;                 // YYYY-MM-DD
  std::string time;                 // HH:MM, program time
  int64_t units = 0;                // units per slot
  int64_t limit = 1;                // units per member per slot
  int64_t window_minutes = 60;
  int64_t hold_minutes = 15;
  bool paid_only = false;
  std::string min_tier;
};

// Errors: kInvalidArgument naming the field (mode, date, weekdays, time).
Result<DropRules> DropRulesFromText(const DropRulesText& text);

}  // namespace onecard
