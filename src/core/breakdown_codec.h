// The byte form of a published ScoreBreakdown, kept with each published row so that the member
// and operators can later see why a score is what it is.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/score.h"

namespace onecard {

std::string EncodeBreakdown(const ScoreBreakdown& breakdown);
// Fails with kCorruptState on bytes this version cannot read.
Result<ScoreBreakdown> DecodeBreakdown(std::string_view bytes);

}  // namespace onecard
