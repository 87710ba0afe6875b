#include "cli/checkout_cli.h"

#include <utility>

namespace onecard::cli {

Result<CheckoutSession> OpenCheckoutFor(const GlobalOptions& global) {
  auto services = OpenProgramServices(global, /*create_database=*/false);
  if (!services.ok()) return services.error();
  CheckoutSession session;
  session.services = std::move(services).value();
  session.engine = session.services.engine.get();
  session.service = session.services.checkout.get();
  session.now = session.services.now;
  return session;
}

}  // namespace onecard::cli
