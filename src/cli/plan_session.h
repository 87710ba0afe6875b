// What the plan and economics commands open: the engine over --db (which binds the database to its
// program config), the benefit-use log, and the plan service on its own connection.
#pragma once

#include <memory>

#include "cli/cli_common.h"
#include "engine/plan_service.h"

namespace onecard::cli {

struct PlanSession {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<BenefitUseLog> use_log;
  std::unique_ptr<PlanService> plan;
};

// Opens an existing database (the plan never creates one: ingest or import does).
Result<PlanSession> OpenPlanSession(const GlobalOptions& options);

}  // namespace onecard::cli
