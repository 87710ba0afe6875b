// The services that act on a program's members, opened together over one database: the engine
// (it holds the database lock and the program config), the checkout service (benefits; it is the
// plan's benefit-use log) and the paid plan's service (it is the standing source checkout, drops
// and points read). The CLI commands and `onecard serve` open them here, the same way.
//
// Checkout and the plan need each other — the plan's refund policy asks checkout whether a benefit
// was used, checkout asks the plan whether a member is paid — so checkout reads standing through a
// forwarder bound to the plan once both exist.
#pragma once

#include <memory>

#include "engine/checkout_service.h"
#include "engine/drop_service.h"
#include "engine/engine.h"
#include "engine/ledger_service.h"
#include "engine/member_standing_source.h"
#include "engine/plan_service.h"

namespace onecard {

// Declared in the order they are opened; destroyed in reverse (the plan first, the engine last).
struct ProgramServiceSet {
  std::unique_ptr<Engine> engine;  // null when the caller keeps the engine (OpenServicesBeside)
  std::unique_ptr<MemberStandingSource> standing;  // forwards to *plan
  std::unique_ptr<CheckoutService> checkout;
  std::unique_ptr<PlanService> plan;
};

// Opens checkout and the plan over `engine`'s database. `gateway` (may be null: partners confirm
// activations later) must outlive the services.
Result<ProgramServiceSet> OpenProgramServiceSet(std::unique_ptr<Engine> engine,
                                                PartnerGateway* gateway = nullptr);
// The same beside an engine the caller keeps (it must outlive the services); `engine` is null.
Result<ProgramServiceSet> OpenServicesBeside(Engine& engine, PartnerGateway* gateway = nullptr);

// The drop service on the drop store's own connection; eligibility reads the plan's standing
// (thread-safe, so the drop service calls it without a lock of its own).
Result<std::unique_ptr<DropService>> OpenDropServiceFor(Engine& engine, PlanService& plan);

// The points ledger, rebuilt from its log; earning reads the plan's standing.
Result<std::unique_ptr<LedgerService>> OpenLedgerServiceFor(Engine& engine, PlanService& plan);

}  // namespace onecard
