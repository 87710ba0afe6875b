// JSON ⇄ events. Decodes one canonical JSONL line into a validated Event (the JSON-level checks
// here, the field rules in core::ValidateEvent) and encodes events back to canonical JSONL.
#pragma once

#include <string>
#include <string_view>

#include "core/event.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

// Decodes one JSON object. Errors: kLineTooLong, kInvalidJson (not an object, bad syntax),
// kUnknownField, kInvalidType (a value of the wrong JSON kind), and every ValidateEvent error.
Result<Event> DecodeEventJson(std::string_view line, const ProgramTime& time);

// One JSON object on one line, without a trailing newline; `at` in program-local time with its
// offset, money as a decimal string. DecodeEventJson(EncodeEventJson(e)) == e.
std::string EncodeEventJson(const Event& event, const ProgramTime& time);

}  // namespace onecard
