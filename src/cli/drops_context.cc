#include "cli/drops_context.h"

namespace onecard::cli {

Result<DropsContext> OpenDropsContext(const GlobalOptions& global, bool create_database) {
  DropsContext context;
  auto engine = OpenEngineFor(global, create_database);
  if (!engine.ok()) return engine.error();
  context.engine = std::move(engine).value();
  auto now = Now(global, context.engine->time());
  if (!now.ok()) return now.error();
  context.now = *now;
  auto use_log = OpenBenefitUseLog(*context.engine);
  if (!use_log.ok()) return use_log.error();
  context.use_log = std::move(use_log).value();
  auto plan_store = context.engine->store().OpenPlanStore();
  if (!plan_store.ok()) return plan_store.error();
  context.standing = std::make_unique<PlanService>(
      std::move(plan_store).value(), context.engine->config(), context.use_log.get());
  auto store = context.engine->store().OpenDropStore();
  if (!store.ok()) return store.error();
  auto drops =
      DropService::Open(std::move(store).value(), context.engine->config(), context.standing.get());
  if (!drops.ok()) return drops.error();
  context.drops = std::move(drops).value();
  return context;
}

}  // namespace onecard::cli
