// The SQLite side of the HTTP API's idempotency keys (issue 4): the schema migration and the
// statements, run on the store's connection inside whatever transaction the caller holds (so that
// a record commits with the effect it answers for).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace onecard::sqlite {

// The migration that creates the idempotency_keys table.
std::string_view IdempotencySchema();

// Inserts `records`; a (scope, key) already stored fails with kIdempotencyConflict.
// REQUIRES: inside a write transaction.
Status InsertIdempotencyRecords(Database& db, const std::vector<IdempotencyRecord>& records);
Result<std::optional<IdempotencyRecord>> FindIdempotencyRecord(Database& db, std::string_view scope,
                                                               std::string_view key);
// Deletes records created before `created_before` (autocommit); returns how many went.
Result<int64_t> PurgeIdempotencyRecords(Database& db, Instant created_before);

}  // namespace onecard::sqlite
