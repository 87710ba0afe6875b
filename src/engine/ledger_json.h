// The ledger's JSON input: one request per line, for `onecard points earn` (and the server later).
//
//   {"type":"earn","program":"aurora_beauty","member":"m1","order":"o1",
//    "channel":"tmall_flagship","category":"skincare","amount":"129.90",
//    "at":"2025-03-01T10:00:00+08:00"}
//   {"type":"refund","id":"r1","program":"aurora_beauty","order":"o1","amount":"29.90",
//    "at":"2025-03-05T09:00:00"}
//
// Purchase events of the score (core/event.h) name a site and a shop, not a brand program and a
// channel, so earning has this input of its own, keyed by order so that a refund can reverse it.
// Money is a decimal string with at most two places; a time without an offset is program time.
#pragma once

#include <string_view>

#include "core/program_time.h"
#include "core/result.h"
#include "engine/ledger_service.h"

namespace onecard {

// Fails with kInvalidJson, kUnknownField, kMissingField, kInvalidType, kUnknownEventType ("type"),
// kInvalidAmount, kInvalidAt or kLineTooLong, naming the field. Field rules beyond form (ids,
// programs, channels) are the ledger's (core/ledger_ops.h).
Result<LedgerRequest> DecodeLedgerRequestJson(std::string_view line, const ProgramTime& time);

}  // namespace onecard
