// What `onecard checkout` and `onecard benefits` share: opening the checkout service over --db,
// with the member standing source the CLI uses.
#pragma once

#include <memory>

#include "cli/cli_common.h"
#include "engine/checkout_service.h"
#include "engine/engine.h"
#include "engine/member_standing_source.h"

namespace onecard::cli {

// The engine, the standing source and the service over it, closed in reverse order.
struct CheckoutSession {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<MemberStandingSource> standing;
  std::unique_ptr<CheckoutService> service;
  Instant now;
};

Result<CheckoutSession> OpenCheckoutFor(const GlobalOptions& global);

}  // namespace onecard::cli
