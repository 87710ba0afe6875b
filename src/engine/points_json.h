// The points ledger's answers as JSON, for `onecard points balance --format json` and the HTTP
// API: a member's balance and lots, their history, what a request did, the job's counts, and the
// ledger's verification. Points are integers; instants are program time.
#pragma once

#include <string>
#include <vector>

#include "core/ledger.h"
#include "core/ledger_ops.h"
#include "core/program_time.h"
#include "engine/ledger_service.h"

namespace onecard {

// `given`, or the only program of the config when `given` is empty. Errors: kInvalidArgument
// ("program") when it is empty and the config has no program or several.
Result<std::string> PointsProgramId(const PointsConfig& config, const std::string& given);

// {"program","member","available","pending","held","debt","lots":[{"points","expires"}]}; a member
// with no account has zeros.
std::string PointsBalanceJson(const Ledger& ledger, uint16_t program, const std::string& member,
                              const ProgramTime& time);
// {"program","member","transfers":[...]}: the member's latest `limit` transfers, latest last.
std::string PointsHistoryJson(const Ledger& ledger, uint16_t program, const std::string& member,
                              int64_t limit, const ProgramTime& time);
// {"result":"ok"|"duplicate","points","bonus","debt","pending","transfers":[...]}
std::string LedgerOutcomeJson(const Ledger& ledger, const LedgerOutcome& outcome,
                              const ProgramTime& time);
// {"posted","voided","settled","expired_points","expired_accounts","warnings":[...]}
std::string LedgerJobJson(const Ledger& ledger, const LedgerJobCounts& counts, Instant now,
                          const ProgramTime& time);
// {"batches","transfers","accounts","programs","holds","violations":[...]}
std::string LedgerVerifyJson(const Ledger& ledger, int64_t batches,
                             const std::vector<std::string>& violations);

}  // namespace onecard
