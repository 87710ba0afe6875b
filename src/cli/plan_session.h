// What the plan and economics commands open: the program's services over an existing --db (the
// plan never creates a database: ingest or import does).
#pragma once

#include "cli/program_services.h"

namespace onecard::cli {

using PlanSession = ProgramServices;

Result<PlanSession> OpenPlanSession(const GlobalOptions& options);

}  // namespace onecard::cli
