#include "engine/program_services.h"

#include <utility>

namespace onecard {
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

Result<ProgramServiceSet> OpenProgramServiceSet(std::unique_ptr<Engine> engine,
                                                PartnerGateway* gateway) {
  auto services = OpenServicesBeside(*engine, gateway);
  if (!services.ok()) return services.error();
  services->engine = std::move(engine);
  return services;
}

Result<ProgramServiceSet> OpenServicesBeside(Engine& engine, PartnerGateway* gateway) {
  ProgramServiceSet services;
  auto forwarder = std::make_unique<ForwardingStandingSource>();
  ForwardingStandingSource* bind_later = forwarder.get();
  services.standing = std::move(forwarder);
  auto benefit_store = engine.store().OpenBenefitStore();
  if (!benefit_store.ok()) return benefit_store.error();
  auto checkout = CheckoutService::Open(engine.config(), std::move(benefit_store).value(),
                                        services.standing.get(), gateway);
  if (!checkout.ok()) return checkout.error();
  services.checkout = std::move(checkout).value();

  auto plan_store = engine.store().OpenPlanStore();
  if (!plan_store.ok()) return plan_store.error();
  services.plan = std::make_unique<PlanService>(std::move(plan_store).value(), engine.config(),
                                                services.checkout.get());
  bind_later->Bind(services.plan.get());
  return services;
}

Result<std::unique_ptr<DropService>> OpenDropServiceFor(Engine& engine, PlanService& plan) {
  auto store = engine.store().OpenDropStore();
  if (!store.ok()) return store.error();
  DropServiceOptions options;
  options.standing_source_thread_safe = true;  // PlanService serialises its own calls
  return DropService::Open(std::move(store).value(), engine.config(), &plan, options);
}

Result<std::unique_ptr<LedgerService>> OpenLedgerServiceFor(Engine& engine, PlanService& plan) {
  auto store = engine.store().OpenLedgerStore();
  if (!store.ok()) return store.error();
  return LedgerService::Open(std::move(store).value(), engine.config().points, &plan);
}

}  // namespace onecard
