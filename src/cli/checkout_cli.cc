#include "cli/checkout_cli.h"

#include <vector>

namespace onecard::cli {
namespace {

// PLACEHOLDER until the paid plan is merged (issue 3, the other half): a standing source that
// knows only the published score and tier and reports every member as NOT paid, so paid-only
// benefits are declined (not_paid) from the CLI for now. The lead replaces the body of
// OpenMemberStandingSource with the paid plan service's MemberStandingSource at merge; nothing
// else in the CLI depends on how standing is found.
class PublishedStandingSource final : public MemberStandingSource {
 public:
  explicit PublishedStandingSource(Engine* engine) : engine_(engine) {}

  Result<MemberStanding> Standing(std::string_view member, Instant at) override {
    MemberStanding standing;
    standing.member = std::string(member);
    auto publications = engine_->Publications();
    if (!publications.ok()) return publications.error();
    for (auto it = publications->rbegin(); it != publications->rend(); ++it) {
      if (it->instant > at) continue;
      auto row = engine_->store().LoadPublishedRow(it->month, member);
      if (!row.ok()) return row.error();
      if (!row->has_value()) continue;  // not covered by this publication: try an earlier one
      standing.publication = it->month;
      standing.score = (*row)->score;
      standing.tier = (*row)->tier;
      break;
    }
    return standing;
  }

 private:
  Engine* engine_;
};

std::unique_ptr<MemberStandingSource> OpenMemberStandingSource(Engine* engine) {
  return std::make_unique<PublishedStandingSource>(engine);
}

}  // namespace

Result<CheckoutSession> OpenCheckoutFor(const GlobalOptions& global) {
  CheckoutSession session;
  auto engine = OpenEngineFor(global, /*create_database=*/false);
  if (!engine.ok()) return engine.error();
  session.engine = std::move(engine).value();
  auto now = Now(global, session.engine->time());
  if (!now.ok()) return now.error();
  session.now = *now;
  session.standing = OpenMemberStandingSource(session.engine.get());
  auto store = session.engine->store().OpenBenefitStore();
  if (!store.ok()) return store.error();
  // No partner gateway in the CLI: partners confirm activations with `benefits confirm`.
  auto service = CheckoutService::Open(session.engine->config(), std::move(store).value(),
                                       session.standing.get(), /*gateway=*/nullptr);
  if (!service.ok()) return service.error();
  session.service = std::move(service).value();
  return session;
}

}  // namespace onecard::cli
