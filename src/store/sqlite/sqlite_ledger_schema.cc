#include "store/sqlite/sqlite_ledger_schema.h"

namespace onecard::sqlite {

// The ledger's log: one row per group-committed batch, its records encoded compactly
// (core/ledger_codec.h). A batch of 10,000 transfers is one row of about 300 KB, written with one
// INSERT and one fsync; rows are keyed by an integer, so appending never searches a B-tree of
// text keys. Nothing here is member-scoped: a member's balances and history are rebuilt from the
// log at open (docs/architecture.md, "The points ledger").
const std::string_view kLedgerSchema = R"sql(
CREATE TABLE ledger_log (
  batch   INTEGER PRIMARY KEY,
  records INTEGER NOT NULL,
  body    BLOB NOT NULL
);
)sql";

// Snapshots of the ledger's state (core/ledger_snapshot.cc), written every N batches after the
// batch is durable; opening reads the latest and applies only the log after it. The store keeps
// the latest only: writing one deletes the older ones in the same transaction.
const std::string_view kLedgerSnapshotSchema = R"sql(
CREATE TABLE ledger_snapshot (
  batch INTEGER PRIMARY KEY,
  body  BLOB NOT NULL
);
)sql";

}  // namespace onecard::sqlite
