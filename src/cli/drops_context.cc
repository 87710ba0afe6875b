#include "cli/drops_context.h"

#include <utility>

namespace onecard::cli {

Result<DropsContext> OpenDropsContext(const GlobalOptions& global, bool create_database) {
  auto services = OpenProgramServices(global, create_database);
  if (!services.ok()) return services.error();
  DropsContext context;
  context.services = std::move(services).value();
  context.engine = context.services.engine.get();
  context.now = context.services.now;
  auto drops = OpenDropServiceFor(*context.engine, *context.services.plan);
  if (!drops.ok()) return drops.error();
  context.drops = std::move(drops).value();
  return context;
}

}  // namespace onecard::cli
