// The services the member-facing commands (plan, economics, benefits, checkout, drops) open
// together over one database: the engine (it holds the database lock and the program config), the
// checkout service (benefits; it is the plan's benefit-use log) and the paid plan's service (it is
// the standing source checkout and drops read). The two need each other — the plan's refund policy
// asks checkout whether a benefit was used, checkout asks the plan whether a member is paid — so
// checkout reads standing through a forwarder bound to the plan once both exist.
#pragma once

#include <memory>

#include "cli/cli_common.h"
#include "engine/checkout_service.h"
#include "engine/engine.h"
#include "engine/member_standing_source.h"
#include "engine/plan_service.h"

namespace onecard::cli {

// Declared in the order they are opened; destroyed in reverse (the plan first, the engine last).
struct ProgramServices {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<MemberStandingSource> standing;  // forwards to *plan
  std::unique_ptr<CheckoutService> checkout;
  std::unique_ptr<PlanService> plan;
  Instant now;  // --now, or the clock
};

Result<ProgramServices> OpenProgramServices(const GlobalOptions& global, bool create_database);

}  // namespace onecard::cli
