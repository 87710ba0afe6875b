#include "store/sqlite/migrations.h"

#include "store/sqlite/sqlite_drop_schema.h"
#include "store/sqlite/sqlite_plan_schema.h"
#include "store/sqlite/sqlite_benefit_schema.h"
#include "store/sqlite/sqlite_idempotency.h"
#include "store/sqlite/sqlite_ledger_schema.h"

namespace onecard::sqlite {

const std::vector<std::string_view>& Migrations() {
  // Member-scoped tables lead their primary key with the member id, so that the same schema can be
  // distributed by member on a PostgreSQL-compatible distributed engine.
  static const std::vector<std::string_view> kMigrations = {
      R"sql(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- The raw log of accepted events, for audit, idempotency and rebuilds: one row per chunk of up
-- to 4,096 events of one batch in a compact binary form (sqlite_event_chunk.cc), so that a batch
-- costs a few row inserts. `ids` holds the 64-bit hash of each event id, from which the store
-- rebuilds its in-memory idempotency index at open.
CREATE TABLE event_chunks (
  chunk  INTEGER PRIMARY KEY,
  batch  INTEGER NOT NULL,
  events INTEGER NOT NULL,
  ids    BLOB NOT NULL,
  body   BLOB NOT NULL
);
CREATE INDEX event_chunks_by_batch ON event_chunks (batch);

-- One row: how far ingest (last_batch) and the saved member states (checkpoint_batch) have come.
CREATE TABLE ingest_position (
  singleton        INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_batch       INTEGER NOT NULL,
  checkpoint_batch INTEGER NOT NULL
);
INSERT INTO ingest_position VALUES (1, 0, 0);

-- Each member's folded state (core/member_state.h, encoded): what publications read when the
-- engine does not hold it in memory already.
CREATE TABLE member_states (
  member TEXT PRIMARY KEY,
  state  BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE publications (
  month           INTEGER PRIMARY KEY,
  instant_us      INTEGER NOT NULL,
  published_at_us INTEGER NOT NULL,
  rule_version    TEXT NOT NULL,
  members         INTEGER NOT NULL
);

CREATE TABLE published_scores (
  member       TEXT NOT NULL,
  month        INTEGER NOT NULL,
  score        INTEGER NOT NULL,
  tier         TEXT NOT NULL,
  shopping     INTEGER NOT NULL,
  reward       INTEGER NOT NULL,
  active       INTEGER NOT NULL,
  breadth      INTEGER NOT NULL,
  credit_level INTEGER NOT NULL,
  caps         INTEGER NOT NULL,
  breakdown    BLOB NOT NULL,
  PRIMARY KEY (member, month)
) WITHOUT ROWID;
CREATE INDEX published_scores_by_month ON published_scores (month, member);

CREATE TABLE invitations (
  member         TEXT PRIMARY KEY,
  month          INTEGER NOT NULL,
  invited_at_us  INTEGER NOT NULL,
  accepted_at_us INTEGER
) WITHOUT ROWID;
)sql",
      // Exclusive drops (store/sqlite/sqlite_drop_schema.cc).
      DropSchemaMigration(),
      // The paid plan (sqlite_plan_schema.cc).
      PlanSchemaSql(),
      // Benefits and checkout (issue 3): store/sqlite/sqlite_benefit_schema.cc.
      kBenefitSchemaSql,
      // HTTP API idempotency keys (issue 4).
      IdempotencySchema(),
      // Points ledger (issue 5): its log, sqlite_ledger_schema.cc.
      kLedgerSchema,
      // Points ledger snapshots (bounded open time), sqlite_ledger_schema.cc.
      kLedgerSnapshotSchema,
  };
  return kMigrations;
}

}  // namespace onecard::sqlite
