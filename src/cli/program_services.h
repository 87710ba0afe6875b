// The services the member-facing commands (plan, economics, benefits, checkout, drops, points) open
// together over --db: engine/program_services.h's set, and the moment the command acts at.
#pragma once

#include "cli/cli_common.h"
#include "engine/program_services.h"

namespace onecard::cli {

struct ProgramServices : ProgramServiceSet {
  Instant now;  // --now, or the clock
};

Result<ProgramServices> OpenProgramServices(const GlobalOptions& global, bool create_database);

}  // namespace onecard::cli
