#include "cli/plan_session.h"

namespace onecard::cli {

Result<PlanSession> OpenPlanSession(const GlobalOptions& options) {
  PlanSession session;
  auto engine = OpenEngineFor(options, /*create_database=*/false);
  if (!engine.ok()) return engine.error();
  session.engine = std::move(engine).value();
  auto use_log = OpenBenefitUseLog(*session.engine);
  if (!use_log.ok()) return use_log.error();
  session.use_log = std::move(use_log).value();
  auto plan_store = session.engine->store().OpenPlanStore();
  if (!plan_store.ok()) return plan_store.error();
  session.plan = std::make_unique<PlanService>(std::move(plan_store).value(),
                                               session.engine->config(), session.use_log.get());
  return session;
}

}  // namespace onecard::cli
