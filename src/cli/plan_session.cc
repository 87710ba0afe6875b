#include "cli/plan_session.h"

namespace onecard::cli {

Result<PlanSession> OpenPlanSession(const GlobalOptions& options) {
  return OpenProgramServices(options, /*create_database=*/false);
}

}  // namespace onecard::cli
