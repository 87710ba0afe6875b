// The paid plan's store in SQLite: a second connection to the database file (WAL, so it reads
// while the score engine's connection writes; synchronous=FULL, so a commit is fsynced before it
// returns; a busy timeout, so the two connections' writes wait for each other).
#pragma once

#include <memory>
#include <string>

#include "store/plan_store.h"

namespace onecard {

// REQUIRES: the database's schema includes the plan's migration (the SqliteStore that owns the
// file applied it at open).
Result<std::unique_ptr<PlanStore>> OpenSqlitePlanStore(const std::string& path);

}  // namespace onecard
