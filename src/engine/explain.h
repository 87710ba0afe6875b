// Puts a published breakdown into words a member understands: what each part is worth, month by
// month, and which caps bit ("shopping 120 of 200 this month: the shop cap of 120 was reached").
#pragma once

#include <string>
#include <vector>

#include "core/program_config.h"
#include "core/program_time.h"
#include "core/score.h"

namespace onecard {

std::vector<std::string> ExplainBreakdown(const ScoreBreakdown& breakdown,
                                          const ProgramConfig& config);

// "1.1" for 1100 permille.
std::string FormatPermille(int64_t permille);

}  // namespace onecard
