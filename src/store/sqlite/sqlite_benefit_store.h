// The SQLite BenefitStore: two connections of its own to the database file (WAL, synchronous=FULL,
// a busy timeout), one for writes and one for reads, so that the checkout service loads members
// while its group commit writes. Each connection is used by one thread at a time (a mutex each).
#pragma once

#include <memory>
#include <string>

#include "store/benefit_store.h"

namespace onecard {

// REQUIRES: the schema is migrated (the database was opened by OpenSqliteStore).
Result<std::unique_ptr<BenefitStore>> OpenSqliteBenefitStore(const std::string& path);

}  // namespace onecard
