// What `onecard checkout` and `onecard benefits` share: the program's services over an existing
// --db (checkout reads members' standing from the paid plan's service).
#pragma once

#include "cli/program_services.h"

namespace onecard::cli {

struct CheckoutSession {
  ProgramServices services;
  Engine* engine = nullptr;
  CheckoutService* service = nullptr;
  Instant now;
};

Result<CheckoutSession> OpenCheckoutFor(const GlobalOptions& global);

}  // namespace onecard::cli
