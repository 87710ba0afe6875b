#include "cli/program_services.h"

#include <utility>

namespace onecard::cli {
namespace {

// Checkout's standing source, bound to the plan service after both are open.
class ForwardingStandingSource final : public MemberStandingSource {
 public:
  void Bind(MemberStandingSource* target) { target_ = target; }
  Result<MemberStanding> Standing(std::string_view member, Instant at) override {
    return target_->Standing(member, at);
  }

 private:
  MemberStandingSource* target_ = nullptr;
};

}  // namespace

Result<ProgramServices> OpenProgramServices(const GlobalOptions& global, bool create_database) {
  ProgramServices services;
  auto engine = OpenEngineFor(global, create_database);
  if (!engine.ok()) return engine.error();
  services.engine = std::move(engine).value();
  auto now = Now(global, services.engine->time());
  if (!now.ok()) return now.error();
  services.now = *now;

  auto forwarder = std::make_unique<ForwardingStandingSource>();
  ForwardingStandingSource* bind_later = forwarder.get();
  services.standing = std::move(forwarder);
  auto benefit_store = services.engine->store().OpenBenefitStore();
  if (!benefit_store.ok()) return benefit_store.error();
  // No partner gateway in the CLI: partners confirm activations with `benefits confirm`.
  auto checkout = CheckoutService::Open(services.engine->config(), std::move(benefit_store).value(),
                                        services.standing.get(), /*gateway=*/nullptr);
  if (!checkout.ok()) return checkout.error();
  services.checkout = std::move(checkout).value();

  auto plan_store = services.engine->store().OpenPlanStore();
  if (!plan_store.ok()) return plan_store.error();
  services.plan = std::make_unique<PlanService>(
      std::move(plan_store).value(), services.engine->config(), services.checkout.get());
  bind_later->Bind(services.plan.get());
  return services;
}

}  // namespace onecard::cli
