// What every `onecard drops` command opens: the engine over --db (it holds the database lock and
// the program config), the drop service on the drop store's own connection, and the source of
// members' standing that eligibility reads.
#pragma once

#include <memory>

#include "cli/cli_common.h"
#include "engine/drop_service.h"
#include "engine/engine.h"
#include "engine/member_standing_source.h"

namespace onecard::cli {

struct DropsContext {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<MemberStandingSource> standing;
  std::unique_ptr<DropService> drops;  // declared last: closed before what it reads
  Instant now;
};

Result<DropsContext> OpenDropsContext(const GlobalOptions& global, bool create_database);

// PLACEHOLDER until the paid plan's service is merged (the lead wires the real
// MemberStandingSource then): tier and score come from the member's latest publication whose
// instant is at or before the moment, read through the existing Store, and `paid` is ALWAYS
// false — so drops with eligibility.paid_plan = true refuse every member from the CLI until then.
std::unique_ptr<MemberStandingSource> OpenMemberStandingSource(Engine& engine);

}  // namespace onecard::cli
