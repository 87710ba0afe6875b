// What the `onecard points` and `onecard ledger` commands share: opening the ledger service over
// --db beside the engine, the member standing it earns with, and printing outcomes.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cli/cli_common.h"
#include "cli/program_services.h"
#include "engine/ledger_service.h"

namespace onecard::cli {

// The program's services (engine, checkout, the paid plan) and the ledger service over them,
// kept alive together. The ledger earns with the member standing the paid plan's service gives
// (published tier and score, paid status inside a running term).
struct LedgerSession {
  ProgramServices services;
  Engine* engine = nullptr;                  // services.engine
  MemberStandingSource* standing = nullptr;  // services.plan
  std::unique_ptr<LedgerService> ledger;     // declared last: closed first
  Instant now;
};

// Opens --db (which must exist unless create_database) and rebuilds the ledger from its log.
Result<LedgerSession> OpenLedgerFor(const GlobalOptions& options, bool create_database);

// --program: the given id, or the only program when there is one.
Result<std::string> ProgramOption(const PointsConfig& config, const std::string& given);

// Opens the ledger, submits the request `make` builds for the program (ProgramOption of
// `program`), and prints "ok" or "duplicate" and its transfers. Returns the exit code.
int SubmitAndPrint(const GlobalOptions& global, const std::string& program,
                   const std::function<LedgerRequest(const std::string& program)>& make);

// "earn:aurora_beauty:o1 (earn, pending, +120)" lines for the transfers of an outcome.
void PrintOutcome(const Ledger& ledger, const LedgerOutcome& outcome);

}  // namespace onecard::cli
