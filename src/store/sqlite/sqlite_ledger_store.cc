#include "store/sqlite/sqlite_ledger_store.h"

#include <utility>

#include "store/sqlite/sqlite_db.h"

namespace onecard {
namespace {

using sqlite::Database;
using sqlite::Statement;

class SqliteLedgerStore final : public LedgerStore {
 public:
  Status Open(const std::string& path) {
    if (Status opened = db_.Open(path); !opened.ok()) return opened;
    for (std::string_view pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"}) {
      if (Status status = db_.Exec(pragma); !status.ok()) return status;
    }
    auto insert = db_.Prepare("INSERT INTO ledger_log (batch, records, body) VALUES (?, ?, ?)");
    if (!insert.ok()) return insert.error();
    insert_ = std::move(insert).value();
    return Status::Ok();
  }

  // One transaction: the new snapshot in, the older ones out (one fsync).
  Status WriteSnapshot(int64_t batch, std::string_view bytes) override {
    if (Status begun = db_.Exec("BEGIN IMMEDIATE"); !begun.ok()) return begun;
    Status status = InsertSnapshot(batch, bytes);
    if (status.ok()) status = db_.Exec("COMMIT");
    if (!status.ok()) (void)db_.Exec("ROLLBACK");
    return status;
  }

  Result<std::optional<Snapshot>> LatestSnapshot() override {
    auto query = db_.Prepare("SELECT batch, body FROM ledger_snapshot ORDER BY batch DESC LIMIT 1");
    if (!query.ok()) return query.error();
    bool failed = false;
    if (!query->Step(&failed)) {
      if (failed) return MakeError(ErrorCode::kStoreError, "", query->error());
      return std::optional<Snapshot>();
    }
    return std::optional<Snapshot>(
        Snapshot{query->ColumnInt(0), std::string(query->ColumnBlob(1))});
  }

  Result<int64_t> LastBatch() override {
    auto query = db_.Prepare("SELECT coalesce(max(batch), 0) FROM ledger_log");
    if (!query.ok()) return query.error();
    bool failed = false;
    if (!query->Step(&failed)) return MakeError(ErrorCode::kStoreError, "", query->error());
    return query->ColumnInt(0);
  }

  // One INSERT outside an explicit transaction is its own transaction: one commit, one fsync. The
  // primary key refuses a batch number used before; the engine numbers batches from LastBatch.
  Status AppendBatch(int64_t batch, int64_t records, std::string_view bytes) override {
    insert_.BindInt(1, batch);
    insert_.BindInt(2, records);
    insert_.BindBlob(3, bytes);
    bool failed = false;
    while (insert_.Step(&failed)) {
    }
    std::string error = insert_.error();
    insert_.Reset();
    if (failed) return MakeError(ErrorCode::kStoreError, "", "ledger append: " + error);
    return Status::Ok();
  }

  Status ForEachBatch(const std::function<Status(int64_t, std::string_view)>& visit) override {
    auto query = db_.Prepare("SELECT batch, body FROM ledger_log ORDER BY batch");
    if (!query.ok()) return query.error();
    bool failed = false;
    int64_t expected = 1;
    while (query->Step(&failed)) {
      const int64_t batch = query->ColumnInt(0);
      if (batch != expected) {
        return MakeError(ErrorCode::kCorruptState, "ledger",
                         "the ledger log misses batch " + std::to_string(expected));
      }
      ++expected;
      if (Status status = visit(batch, query->ColumnBlob(1)); !status.ok()) return status;
    }
    if (failed) return MakeError(ErrorCode::kStoreError, "", query->error());
    return Status::Ok();
  }

 private:
  Status InsertSnapshot(int64_t batch, std::string_view bytes) {
    auto insert = db_.Prepare("INSERT INTO ledger_snapshot (batch, body) VALUES (?, ?)");
    if (!insert.ok()) return insert.error();
    insert->BindInt(1, batch);
    insert->BindBlob(2, bytes);
    bool failed = false;
    while (insert->Step(&failed)) {
    }
    if (failed) return MakeError(ErrorCode::kStoreError, "", "ledger snapshot: " + insert->error());
    auto drop = db_.Prepare("DELETE FROM ledger_snapshot WHERE batch < ?");
    if (!drop.ok()) return drop.error();
    drop->BindInt(1, batch);
    while (drop->Step(&failed)) {
    }
    if (failed) return MakeError(ErrorCode::kStoreError, "", "ledger snapshot: " + drop->error());
    return Status::Ok();
  }

  Database db_;
  Statement insert_;
};

}  // namespace

Result<std::unique_ptr<LedgerStore>> OpenSqliteLedgerStore(const std::string& path) {
  auto store = std::make_unique<SqliteLedgerStore>();
  if (Status status = store->Open(path); !status.ok()) return status.error();
  return std::unique_ptr<LedgerStore>(std::move(store));
}

}  // namespace onecard
