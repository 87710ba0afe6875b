#include "cli/drops_context.h"

namespace onecard::cli {
namespace {

// See OpenMemberStandingSource: the only placeholder of the drops feature.
class PublishedStandingSource final : public MemberStandingSource {
 public:
  explicit PublishedStandingSource(Engine& engine) : engine_(engine) {}

  Result<MemberStanding> Standing(std::string_view member, Instant at) override {
    MemberStanding standing;
    standing.member = std::string(member);
    auto publications = engine_.Publications();
    if (!publications.ok()) return publications.error();
    for (auto it = publications->rbegin(); it != publications->rend(); ++it) {
      if (it->instant > at) continue;
      auto row = engine_.store().LoadPublishedRow(it->month, member);
      if (!row.ok()) return row.error();
      if (row->has_value()) {
        standing.publication = it->month;
        standing.score = (*row)->score;
        standing.tier = (*row)->tier;
      }
      break;  // the latest publication before the moment; a member it does not cover has no tier
    }
    standing.paid = false;  // PLACEHOLDER: the paid plan's service answers this once merged
    return standing;
  }

 private:
  Engine& engine_;
};

}  // namespace

std::unique_ptr<MemberStandingSource> OpenMemberStandingSource(Engine& engine) {
  return std::make_unique<PublishedStandingSource>(engine);
}

Result<DropsContext> OpenDropsContext(const GlobalOptions& global, bool create_database) {
  DropsContext context;
  auto engine = OpenEngineFor(global, create_database);
  if (!engine.ok()) return engine.error();
  context.engine = std::move(engine).value();
  auto now = Now(global, context.engine->time());
  if (!now.ok()) return now.error();
  context.now = *now;
  context.standing = OpenMemberStandingSource(*context.engine);
  auto store = context.engine->store().OpenDropStore();
  if (!store.ok()) return store.error();
  auto drops =
      DropService::Open(std::move(store).value(), context.engine->config(), context.standing.get());
  if (!drops.ok()) return drops.error();
  context.drops = std::move(drops).value();
  return context;
}

}  // namespace onecard::cli
