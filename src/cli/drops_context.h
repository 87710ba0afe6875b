// What every `onecard drops` command opens: the engine over --db (it holds the database lock and
// the program config), the drop service on the drop store's own connection, and the paid plan's
// service, which answers the members' standing (tier, paid) that eligibility reads.
#pragma once

#include <memory>

#include "cli/cli_common.h"
#include "engine/drop_service.h"
#include "engine/engine.h"
#include "engine/plan_service.h"

namespace onecard::cli {

struct DropsContext {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<BenefitUseLog> use_log;
  std::unique_ptr<PlanService> standing;
  std::unique_ptr<DropService> drops;  // declared last: closed before what it reads
  Instant now;
};

Result<DropsContext> OpenDropsContext(const GlobalOptions& global, bool create_database);


}  // namespace onecard::cli
