#include "store/sqlite/sqlite_idempotency.h"

#include <sqlite3.h>

#include <string>

namespace onecard::sqlite {

std::string_view IdempotencySchema() {
  // Keyed by the API key's id first: a client's keys live in its own space. A rowid table rather
  // than WITHOUT ROWID, because a stored answer (an ingest batch's results) can be megabytes.
  return R"sql(
-- Answers of the HTTP API's state-changing requests made with an Idempotency-Key (issue 4).
CREATE TABLE idempotency_keys (
  scope       TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status      INTEGER NOT NULL,
  body        BLOB NOT NULL,
  created_us  INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_us);
)sql";
}

Status InsertIdempotencyRecords(Database& db, const std::vector<IdempotencyRecord>& records) {
  if (records.empty()) return Status::Ok();
  auto insert = db.Prepare(
      "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_us) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.error();
  for (const IdempotencyRecord& record : records) {
    insert->BindText(1, record.scope);
    insert->BindText(2, record.key);
    insert->BindText(3, record.fingerprint);
    insert->BindInt(4, record.status);
    insert->BindBlob(5, record.body);
    insert->BindInt(6, record.created_at.us);
    bool failed = false;
    while (insert->Step(&failed)) {
    }
    const std::string error = insert->error();
    insert->Reset();
    if (failed) {
      // Only another writer (another process on a shared database) can have stored the key since
      // the caller looked it up.
      if (sqlite3_extended_errcode(db.handle()) == SQLITE_CONSTRAINT_PRIMARYKEY ||
          error.find("UNIQUE") != std::string::npos) {
        return MakeError(ErrorCode::kIdempotencyConflict, "Idempotency-Key",
                         "the Idempotency-Key was used by a request stored meanwhile");
      }
      return MakeError(ErrorCode::kStoreError, "", error);
    }
  }
  return Status::Ok();
}

Result<std::optional<IdempotencyRecord>> FindIdempotencyRecord(Database& db, std::string_view scope,
                                                               std::string_view key) {
  auto query = db.Prepare(
      "SELECT fingerprint, status, body, created_us FROM idempotency_keys "
      "WHERE scope = ? AND key = ?");
  if (!query.ok()) return query.error();
  query->BindText(1, scope);
  query->BindText(2, key);
  bool failed = false;
  if (!query->Step(&failed)) {
    if (failed) return MakeError(ErrorCode::kStoreError, "", query->error());
    return std::optional<IdempotencyRecord>();
  }
  IdempotencyRecord record;
  record.scope = std::string(scope);
  record.key = std::string(key);
  record.fingerprint = std::string(query->ColumnText(0));
  record.status = static_cast<int32_t>(query->ColumnInt(1));
  record.body = std::string(query->ColumnBlob(2));
  record.created_at = Instant{query->ColumnInt(3)};
  return std::optional<IdempotencyRecord>(std::move(record));
}

Result<int64_t> PurgeIdempotencyRecords(Database& db, Instant created_before) {
  auto purge = db.Prepare("DELETE FROM idempotency_keys WHERE created_us < ?");
  if (!purge.ok()) return purge.error();
  purge->BindInt(1, created_before.us);
  bool failed = false;
  while (purge->Step(&failed)) {
  }
  if (failed) return MakeError(ErrorCode::kStoreError, "", purge->error());
  return static_cast<int64_t>(sqlite3_changes(db.handle()));
}

}  // namespace onecard::sqlite
